from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network"

    def ready(self) -> None:
        from network import audit, receivers

        audit.connect_receivers()
        receivers.connect_receivers()
