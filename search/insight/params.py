"""The dashboard's query parameters: those of search (the same names, values and
errors, from ``search.query_string.SEARCH_PARAMETERS``) without paging and sort,
plus ``panel`` to ask for some panels only.

Scope: without ``scope`` and ``nuts`` the dashboard counts this hub's subtree
(``scope`` = this hub); ``scope=<slug>`` counts that hub's subtree (the top
hub's slug: the whole network), an empty ``scope=`` the whole shared index, and
``nuts`` alone a place across the network.
"""

from __future__ import annotations

from typing import Any

from hubs.identity import hub_identity
from search.insight.panels import PANELS, Panel, panels_available
from search.labels import FACET_TITLES
from search.query_string import SEARCH_PARAMETERS, QueryParameter, query_parse
from search.types import SearchParams, SearchParamsInvalid

PAGING = ("sort", "size", "after")
INSIGHT_PARAMETERS: tuple[QueryParameter, ...] = (
    *(parameter for parameter in SEARCH_PARAMETERS if parameter.name not in PAGING),
    QueryParameter(
        "panel",
        "panels",
        "many",
        "Only these panels (all by default).",
        choices=tuple(panel.name for panel in PANELS),
    ),
)


def insight_params_parse(query: Any) -> tuple[SearchParams, tuple[Panel, ...]]:
    """The selection and the panels a dashboard request asks for;
    ``SearchParamsInvalid`` names a bad parameter as search does."""
    values = query_parse(query, INSIGHT_PARAMETERS)
    names = set(values.pop("panels", ()))
    if "scope" not in query and "nuts" not in query:
        values["scope"] = hub_identity().slug
    try:
        params = SearchParams(
            **values, size=0, facets=tuple(FACET_TITLES), facet_size=50, highlight=False
        )
    except TypeError as error:  # pragma: no cover - a programming error
        raise SearchParamsInvalid(str(error)) from None
    panels = tuple(
        panel for panel in panels_available() if not names or panel.name in names
    )
    return params, panels
