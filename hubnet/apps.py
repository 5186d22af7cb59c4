from django.apps import AppConfig


class HubnetConfig(AppConfig):
    """The composition root: registers the system checks of the whole hub."""

    name = "hubnet"
    verbose_name = "hubnet"

    def ready(self) -> None:
        from hubnet import checks  # noqa: F401 - registers the checks
