from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "alliance.network"
    label = "network"
    verbose_name = "Network"

    def ready(self) -> None:
        from alliance.network import receivers  # noqa: F401 - connects the receivers
