"""Facet counts of a catalogue search: the terms aggregations and their
buckets (see ``search.types`` for what a count means)."""

from __future__ import annotations

from typing import Any

from elasticsearch.dsl import A, Q, Search
from elasticsearch.dsl.query import Query

from search.types import (
    BOOLEAN_FILTERS,
    DRILL_FACETS,
    FACETS,
    FLAT_FACETS,
    FacetBucket,
    SearchParams,
)

FACET_GROUP = "facets:"


def facet_aggregations(
    search: Search, *, params: SearchParams, flat: dict[str, Query]
) -> None:
    """Add the facets' terms aggregations to ``search`` (in place).

    A facet counts under every filter except its own selection. Facets without a
    selection share one filter bucket (all selections); each facet with one gets
    a bucket of the others' selections.
    """
    names = params.facets if params.facets is not None else FACETS
    groups: dict[str, list[str]] = {}
    for name in names:
        group = f"{FACET_GROUP}{name}" if name in flat else FACET_GROUP
        groups.setdefault(group, []).append(name)
    for group, members in groups.items():
        own = group.removeprefix(FACET_GROUP)
        others = [clause for facet, clause in flat.items() if facet != own]
        scope = Q("bool", filter=others) if others else Q("match_all")
        bucket = search.aggs.bucket(group, A("filter", filter=scope))
        for name in members:
            field = FLAT_FACETS.get(name) or DRILL_FACETS[name]
            bucket.bucket(name, A("terms", field=field, size=params.facet_size))


def facets_read(
    aggregations: dict[str, Any], *, params: SearchParams
) -> dict[str, list[FacetBucket]]:
    """The facets' buckets of an engine answer, selected values marked."""
    found = {
        name: aggregation
        for group in aggregations.values()
        for name, aggregation in group.items()
        if isinstance(aggregation, dict) and "buckets" in aggregation
    }
    names = params.facets if params.facets is not None else FACETS
    facets: dict[str, list[FacetBucket]] = {}
    for name in (name for name in names if name in found):
        selected = set(params.selected(name))
        buckets = []
        for bucket in found[name]["buckets"]:
            value: Any = bucket["key"]
            if name in BOOLEAN_FILTERS:
                value = bucket.get("key_as_string") == "true"
            buckets.append(
                FacetBucket(
                    value=value,
                    count=int(bucket["doc_count"]),
                    selected=value in selected,
                )
            )
        facets[name] = buckets
    return facets
