"""The dashboard's figures: one aggregation body per panel, all sent in one
multi-search, and the answers turned into labelled rows.

Every panel counts under the same filters as a search with the same parameters
(``search.queries.params_filters``: text, scope, places, facet selections),
plus the panel's own ``where`` terms; tombstones never count. The first search
of the batch is the search itself with ``size=0``: the total and the facets
that the filter form offers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from elasticsearch.dsl import Q
from elasticsearch.dsl.query import Query

from federation.vocabularies.labels import code_label
from hubs.nuts import nuts_region
from search.engine import SearchEngine, SearchNotFound, search_engine
from search.index import index_alias
from search.insight.panels import Panel, Share, panels_available
from search.labels import facet_label
from search.queries import params_filters, search_body, search_results
from search.types import SearchParams, SearchResults

EMPTY_ANSWER: dict[str, Any] = {"hits": {"total": {"value": 0}, "hits": []}}


@dataclass(frozen=True)
class Row:
    """One line of a panel: a value, its label and its count; ``amount`` (sum of
    funding) and ``base`` (the records a share is out of) where they apply."""

    value: str | int | bool
    label: str
    count: int
    amount: int | None = None
    base: int | None = None

    @property
    def percent(self) -> float | None:
        """``count`` as a percentage of ``base`` (None without a base)."""
        if not self.base:
            return None
        return round(100 * self.count / self.base, 1)


@dataclass(frozen=True)
class PanelResult:
    """A panel's figures: the records it counts and its rows."""

    panel: Panel
    total: int
    rows: list[Row]


@dataclass(frozen=True)
class Insight:
    """The dashboard under one selection: the search (total and facets) and
    every panel asked for."""

    params: SearchParams
    results: SearchResults
    panels: list[PanelResult]


def _terms(where: dict[str, Any] | tuple[tuple[str, Any], ...]) -> list[Query]:
    pairs = where.items() if isinstance(where, dict) else where
    return [Q("term", **{name: value}) for name, value in pairs]


def _aggregations(panel: Panel) -> dict[str, Any]:
    """The aggregations of ``panel``'s measure."""
    if panel.measure == "months":
        return {
            "rows": {
                "date_histogram": {
                    "field": panel.field,
                    "calendar_interval": "month",
                    "format": "yyyy-MM",
                    "min_doc_count": 0,
                }
            }
        }
    if panel.measure == "funding":
        per_programme = {
            "terms": {"field": "funding.programme", "size": panel.size},
            "aggs": {
                "amount": {"sum": {"field": "funding.amountEur"}},
                "records": {"reverse_nested": {}},
            },
        }
        return {
            "lines": {"nested": {"path": "funding"}, "aggs": {"rows": per_programme}}
        }
    if panel.measure == "shares":
        return {
            share.name: {
                "filter": Q("bool", filter=_terms(share.base)).to_dict(),
                "aggs": {
                    "has": {"filter": Q("bool", filter=_terms(share.has)).to_dict()}
                },
            }
            for share in panel.shares
        }
    return {"rows": {"terms": {"field": panel.field, "size": panel.size}}}


def panel_body(panel: Panel, *, params: SearchParams) -> dict[str, Any]:
    """The engine request of ``panel`` under the selection ``params``."""
    clauses = [*params_filters(params), *_terms(panel.where)]
    return {
        "size": 0,
        "track_total_hits": True,
        "query": Q("bool", filter=clauses).to_dict(),
        "aggs": _aggregations(panel),
    }


def _label(panel: Panel, value: Any) -> str:
    if panel.label == "nuts":
        region = nuts_region(str(value))
        return region.name if region else str(value)
    if panel.facet and not panel.label:
        return facet_label(panel.facet, value)
    return code_label(panel.label or panel.field, value)


def _share_row(share: Share, aggregation: dict[str, Any]) -> Row:
    return Row(
        value=share.name,
        label=str(share.label),
        count=int(aggregation["has"]["doc_count"]),
        base=int(aggregation["doc_count"]),
    )


def panel_rows(panel: Panel, answer: dict[str, Any]) -> list[Row]:
    """The rows of ``panel`` from the engine's answer to ``panel_body``."""
    aggregations = answer.get("aggregations") or {}
    if panel.measure == "shares":
        return [
            _share_row(share, aggregations[share.name])
            for share in panel.shares
            if share.name in aggregations
        ]
    if panel.measure == "funding":
        buckets = aggregations.get("lines", {}).get("rows", {}).get("buckets", [])
        return [
            Row(
                value=bucket["key"],
                label=_label(panel, bucket["key"]),
                count=int(bucket["records"]["doc_count"]),
                amount=round(bucket["amount"]["value"] or 0),
            )
            for bucket in buckets
        ]
    buckets = aggregations.get("rows", {}).get("buckets", [])
    if panel.measure == "months":
        return [
            Row(
                value=bucket["key_as_string"],
                label=bucket["key_as_string"],
                count=int(bucket["doc_count"]),
            )
            for bucket in buckets
        ]
    return [
        Row(
            value=bucket["key"],
            label=_label(panel, bucket["key"]),
            count=int(bucket["doc_count"]),
        )
        for bucket in buckets
    ]


def insight_compute(
    *,
    params: SearchParams,
    panels: tuple[Panel, ...] | None = None,
    engine: SearchEngine | None = None,
) -> Insight:
    """The dashboard under ``params`` (its facets name the filter form's facets):
    the search and every panel (all available ones by default) in one
    multi-search request."""
    engine = engine or search_engine()
    panels = panels_available() if panels is None else panels
    searched = dataclasses.replace(params, size=0)
    bodies = [search_body(params=searched)]
    bodies += [panel_body(panel, params=params) for panel in panels]
    try:
        answers = engine.msearch(index=index_alias(), bodies=bodies)
    except SearchNotFound:  # no alias yet: an empty catalogue
        answers = [EMPTY_ANSWER] * len(bodies)
    return Insight(
        params=params,
        results=search_results(answers[0], searched),
        panels=[
            PanelResult(
                panel=panel,
                total=int(answer["hits"]["total"]["value"]),
                rows=panel_rows(panel, answer),
            )
            for panel, answer in zip(panels, answers[1:], strict=True)
        ],
    )
