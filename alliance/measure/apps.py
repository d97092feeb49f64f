from django.apps import AppConfig


class MeasureConfig(AppConfig):
    name = "alliance.measure"
    label = "measure"
    verbose_name = "Shared measurement"

    def ready(self) -> None:
        from alliance.measure import receivers  # noqa: F401 - connects the receivers
