from django.apps import AppConfig


class HubsConfig(AppConfig):
    """The hub's identity and its neighbours in the federation."""

    name = "hubs"
    verbose_name = "Hub and neighbours"
