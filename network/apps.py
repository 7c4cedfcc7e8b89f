from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network"

    def ready(self) -> None:
        from network import audit, directory

        audit.connect_receivers()
        directory.connect_receivers()
