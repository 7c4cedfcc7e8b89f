from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from messaging import receivers
        from network import signals

        user_logged_out.connect(
            receivers.close_sockets_on_logout, dispatch_uid="chat_close_on_logout"
        )
        signals.cohort_created.connect(receivers.open_cohort_spaces, dispatch_uid="cohort_spaces")
        signals.membership_started.connect(
            receivers.join_cohort_spaces, dispatch_uid="join_cohort_spaces"
        )
        signals.membership_ended.connect(
            receivers.leave_cohort_spaces, dispatch_uid="leave_cohort_spaces"
        )
        signals.nudges_queued.connect(receivers.send_nudges, dispatch_uid="send_nudges")
