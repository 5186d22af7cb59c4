from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The shared search index: engine adapter, mappings, indexing and queries."""

    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from federation.signals import catalogue_changed
        from search.indexing import index_drain_enqueue

        def drain_soon(**kwargs: object) -> None:
            # The beat drains every few seconds anyway; this makes it prompt.
            index_drain_enqueue()

        catalogue_changed.connect(
            drain_soon, weak=False, dispatch_uid="search.drain_on_catalogue_change"
        )
