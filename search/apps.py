from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The shared search index: engine adapter, mappings, indexing and queries."""

    name = "search"
    verbose_name = "Search"
