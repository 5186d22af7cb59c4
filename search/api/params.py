"""Query strings → ``SearchParams``: shared by the REST API and the HTML page.

Multi-valued filters may be repeated (``themes=a&themes=b``) or comma separated
(``themes=a,b``). The public names are singular (``level``, ``country``,
``status``, ``ai_act_class``, ``target_group``); the plural names of
``SearchParams`` are accepted too. Every problem raises ``SearchParamsInvalid``
whose message starts with the parameter's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search.geo import GeoPoint
from search.params import SearchParams, SearchParamsInvalid

# Query parameter → SearchParams field, for the multi-valued filters.
MULTI: dict[str, str] = {
    "kinds": "kinds",
    "kind": "kinds",
    "level": "levels",
    "levels": "levels",
    "country": "countries",
    "countries": "countries",
    "language": "languages",
    "languages": "languages",
    "nuts": "nuts",
    "themes": "themes",
    "sectors": "sectors",
    "technologies": "technologies",
    "services": "services",
    "target_group": "target_groups",
    "target_groups": "target_groups",
    "ai_act_class": "ai_act_classes",
    "ai_act_classes": "ai_act_classes",
    "annex_iii_area": "annex_iii_areas",
    "status": "statuses",
    "statuses": "statuses",
    "access_rights": "access_rights",
    "types": "types",
    "type": "types",
    "modes": "modes",
    "mode": "modes",
}
INTEGERS = ("trl_min", "trl_max", "size")
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def query_values(query: Any, name: str) -> list[str]:
    """Every non-empty value of ``name`` (repeated and comma separated)."""
    raw = query.getlist(name) if hasattr(query, "getlist") else query.get(name, [])
    if isinstance(raw, str):
        raw = [raw]
    return [part.strip() for item in raw for part in item.split(",") if part.strip()]


def point_parse(value: str, *, name: str = "near") -> GeoPoint:
    """``lat,lon`` → GeoPoint; SearchParamsInvalid naming ``name`` otherwise."""
    try:
        lat, lon = (float(part) for part in value.split(","))
        return GeoPoint(lat=lat, lon=lon)
    except ValueError:
        raise SearchParamsInvalid(f"{name}: lat,lon within range") from None


def _number(query: Mapping[str, Any], name: str, kind: type) -> Any:
    value = (query.get(name) or "").strip()
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        raise SearchParamsInvalid(f"{name}: a number") from None


def search_params_parse(query: Any, **overrides: Any) -> SearchParams:
    """``SearchParams`` from a query dict (a Django ``QueryDict`` or a plain
    mapping of lists); ``overrides`` win (e.g. ``size=0`` for statistics)."""
    values: dict[str, Any] = {"text": (query.get("text") or query.get("q") or "")}
    values["text"] = values["text"].strip()
    for name, target in MULTI.items():
        found = query_values(query, name)
        if found:
            values[target] = tuple(values.get(target, ())) + tuple(found)
    for name in INTEGERS:
        number = _number(query, name, int)
        if number is not None:
            values[name] = number
    radius = _number(query, "radius_km", float)
    if radius is not None:
        values["radius_km"] = radius
    if near := (query.get("near") or "").strip():
        values["near"] = point_parse(near)
    for name in ("scope", "after", "sort"):
        if value := (query.get(name) or "").strip():
            values[name] = value
    if partner := (query.get("open_to_partnership") or "").strip().lower():
        if partner not in BOOLEANS:
            raise SearchParamsInvalid("open_to_partnership: true or false")
        values["open_to_partnership"] = BOOLEANS[partner]
    values.update(overrides)
    try:
        return SearchParams(**values)
    except TypeError as error:  # pragma: no cover - a programming error
        raise SearchParamsInvalid(str(error)) from None


def invalid_field(error: SearchParamsInvalid) -> str:
    """The parameter a ``SearchParamsInvalid`` message names."""
    return str(error).split(":", 1)[0].strip()
