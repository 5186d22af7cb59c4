"""Search hits from engine hits: the record, its distance, its highlights."""

from __future__ import annotations

from typing import Any

from search.geo import GeoPoint, distance_km
from search.types import SearchHit


def search_hit(raw: dict[str, Any], *, near: GeoPoint | None) -> SearchHit:
    """A ``SearchHit`` from an engine hit whose ``_source`` holds
    ``search.queries.SOURCE``."""
    source = raw["_source"]
    record = source["record"]
    body = record.get("body") or {}
    distance = None
    location = body.get("location") or {}
    if near is not None and location.get("lat") is not None:
        point = GeoPoint(lat=location["lat"], lon=location["lon"])
        distance = round(distance_km(near, point), 3)
    return SearchHit(
        id=record["id"],
        kind=record["kind"],
        title=body.get("name") or body.get("title") or "",
        record=record,
        level=source.get("level"),
        score=raw.get("_score"),
        distance_km=distance,
        highlights=_highlights(raw.get("highlight", {})),
    )


def _highlights(raw: dict[str, list[str]]) -> dict[str, list[str]]:
    """Fragments by title/summary/description; the language-analysed field wins
    over the neutral one (it matched stemmed forms too)."""
    merged: dict[str, list[str]] = {}
    for key in sorted(raw, key=lambda name: name.startswith("i18n.")):
        merged[key.rsplit(".", 1)[-1]] = raw[key]
    return merged
