from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network"

    def ready(self) -> None:
        from network import audit, member_index, receivers

        audit.connect_receivers()
        member_index.connect_receivers()
        receivers.connect_receivers()
