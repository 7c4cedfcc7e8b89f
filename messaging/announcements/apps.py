from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    # Nested in messaging (it rings the bell and sends e-mail through messaging's notifications)
    # but its own app, so that its migrations never collide with chat's or discussions'.
    name = "messaging.announcements"
    label = "announcements"
    verbose_name = "Announcements"
