from django.apps import AppConfig


class FederationConfig(AppConfig):
    """The catalogue store, the record schema, the GraphQL feed and the sync jobs."""

    name = "federation"
    verbose_name = "Federation"

    def ready(self) -> None:
        from federation.services.pokes import neighbours_poke_enqueue
        from federation.signals import catalogue_changed

        def poke_soon(*, source: str = "", **kwargs: object) -> None:
            # The neighbours' interval sync pulls the change anyway; a poke
            # makes it prompt.
            neighbours_poke_enqueue(source=source)

        catalogue_changed.connect(
            poke_soon, weak=False, dispatch_uid="federation.poke_on_catalogue_change"
        )
