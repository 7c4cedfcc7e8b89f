from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from messaging.receivers import close_sockets_on_logout

        user_logged_out.connect(close_sockets_on_logout, dispatch_uid="chat_close_on_logout")
