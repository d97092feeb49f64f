from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "alliance.network"
    label = "network"
    verbose_name = "Network"

    def ready(self) -> None:
        from alliance.network import checks, receivers  # noqa: F401 - registers the checks, connects the receivers
