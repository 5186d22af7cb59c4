from django.apps import AppConfig


class FederationConfig(AppConfig):
    """The catalogue store, the record schema, the GraphQL feed and the sync jobs."""

    name = "federation"
    verbose_name = "Federation"
