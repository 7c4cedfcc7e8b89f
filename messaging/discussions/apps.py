from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    # Nested in the messaging package but its own app, so that its migrations never collide
    # with chat's.
    name = "messaging.discussions"
    label = "discussions"
    verbose_name = "Discussions"
