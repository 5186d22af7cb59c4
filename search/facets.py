"""Facet counts of a catalogue search: the terms aggregations and their
buckets (see ``search.types`` for what a count means)."""

from __future__ import annotations

from typing import Any

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
    *, params: SearchParams, flat: dict[str, Query]
) -> dict[str, Any]:
    """The facets' terms aggregations of a search body (its ``aggs``).

    A facet counts under every filter except its own selection. Facets without a
    selection share one filter bucket (all selections); each facet with one gets
    a bucket of the others' selections. Written as plain dicts: the builder's
    objects cost several milliseconds for the thirty-odd aggregations.
    """
    names = params.facets if params.facets is not None else FACETS
    groups: dict[str, list[str]] = {}
    for name in names:
        group = f"{FACET_GROUP}{name}" if name in flat else FACET_GROUP
        groups.setdefault(group, []).append(name)
    flat_dicts = {facet: clause.to_dict() for facet, clause in flat.items()}
    aggregations: dict[str, Any] = {}
    for group, members in groups.items():
        own = group.removeprefix(FACET_GROUP)
        others = [clause for facet, clause in flat_dicts.items() if facet != own]
        scope = {"bool": {"filter": others}} if others else {"match_all": {}}
        aggregations[group] = {
            "filter": scope,
            "aggs": {
                name: {
                    "terms": {
                        "field": FLAT_FACETS.get(name) or DRILL_FACETS[name],
                        "size": params.facet_size,
                    }
                }
                for name in members
            },
        }
    return aggregations


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
