"""The partner finder for SMEs: organisations that match a need, local first.

::

    partners_find(*, need: str, near: GeoPoint | (lat, lon) | None = None,
                  nuts: str | None = None, minimum: int = 10,
                  types: tuple[str, ...] = (), open_only: bool = False)
        -> PartnerResults

The search widens step by step until ``minimum`` organisations are found:

1. ``local`` - the municipality: within ``SEARCH_PARTNER_LOCAL_RADIUS_KM`` (15 km)
   of ``near``, or in the NUTS 3 region ``nuts`` (either, when both are given);
2. ``regional`` - the NUTS 2 region (from ``nuts``, else the region whose label
   point is nearest to ``near`` - an approximation near borders);
3. ``national`` - the country;
4. ``eu`` - everywhere.

A step is skipped when the place does not define it (no place: only ``eu``).
Each step excludes what earlier steps found, so every organisation appears once,
labelled with the level (and area) at which it was found; within a step the best
match comes first, then the nearest. Each organisation comes with the projects it
is a partner in (``partners`` of project records, newest first). ``steps`` says
how many new matches each tried step holds, so a face can say "25 in your
municipality, showing 10".

A need matches an organisation's name, expertise (technologies, sectors,
services), description and summary, typo tolerant; needs of up to two words
require every word, longer ones most of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from elasticsearch.dsl import Q, Search
from elasticsearch.dsl.query import Query

from hubs.nuts import nuts_country, nuts_level, nuts_nearest, nuts_validate
from search.engine import SearchEngine, search_engine
from search.geo import GeoPoint
from search.queries import FUZZY_FIELDS, SOURCE, alias_search, search_hit
from search.types import SearchHit, SearchParamsInvalid

NEED_FIELDS = [
    "title^3",
    "i18n.*.title^3",
    "expertise^3",
    "summary^2",
    "i18n.*.summary^2",
    "description",
    "i18n.*.description",
]
PROJECTS_PER_ORGANISATION = 5


@dataclass(frozen=True)
class PartnerProject:
    """A project an organisation is a partner in, with its role there."""

    id: str
    title: str
    role: str


@dataclass(frozen=True)
class PartnerMatch:
    """An organisation found, where it was found, and its projects."""

    organisation: SearchHit
    found_at: str  # local, regional, national or eu
    area: str | None  # what the step searched: "15 km", "NL414", "NL41", "NL"
    projects: list[PartnerProject] = field(default_factory=list)


@dataclass(frozen=True)
class PartnerStep:
    """One widening step that was tried and how many matches it added: matches in
    its area that no earlier step found (``total`` may exceed what was shown)."""

    level: str
    area: str | None
    total: int


@dataclass(frozen=True)
class PartnerResults:
    matches: list[PartnerMatch]
    steps: list[PartnerStep]


@dataclass(frozen=True)
class _Step:
    level: str
    area: str | None
    clause: Query | None


def partners_find(
    *,
    need: str,
    near: GeoPoint | tuple[float, float] | None = None,
    nuts: str | None = None,
    minimum: int = 10,
    types: tuple[str, ...] = (),
    open_only: bool = False,
    engine: SearchEngine | None = None,
) -> PartnerResults:
    """Organisations matching ``need``, widening from local to EU (module
    docstring). Raises ``SearchParamsInvalid`` for a bad need, place or minimum."""
    need = need.strip()
    if not need or len(need) > 300:
        raise SearchParamsInvalid("need: 1 to 300 characters")
    if not 1 <= minimum <= 100:
        raise SearchParamsInvalid("minimum: 1 to 100")
    try:
        point = GeoPoint.of(near)
        if nuts:
            nuts_validate(nuts)
    except (TypeError, ValueError) as error:
        raise SearchParamsInvalid(str(error)) from None
    engine = engine or search_engine()
    base = _organisations(need=need, types=types, open_only=open_only)
    matches: list[PartnerMatch] = []
    steps: list[PartnerStep] = []
    for step in _steps(near=point, nuts=nuts):
        search = base.filter(step.clause) if step.clause is not None else base
        found = [match.organisation.id for match in matches]
        if found:
            search = search.exclude("ids", values=found)
        search = search.extra(size=minimum - len(matches), track_total_hits=True)
        answer = alias_search(engine, _sorted(search, point))
        hits = [search_hit(raw, near=point) for raw in answer["hits"]["hits"]]
        steps.append(
            PartnerStep(
                level=step.level,
                area=step.area,
                total=int(answer["hits"]["total"]["value"]),
            )
        )
        matches += [
            PartnerMatch(organisation=hit, found_at=step.level, area=step.area)
            for hit in hits
        ]
        if len(matches) >= minimum:
            break
    return PartnerResults(matches=_with_projects(matches, engine=engine), steps=steps)


def _steps(*, near: GeoPoint | None, nuts: str | None) -> list[_Step]:
    """The widening steps for a place: local, regional, national, eu."""
    level = nuts_level(nuts) if nuts else None
    country = nuts_country(nuts) if nuts else None
    region = nuts[:4] if nuts and level is not None and level >= 2 else None
    if near is not None and region is None:
        nearest = nuts_nearest(lat=near.lat, lon=near.lon, level=2, country=country)
        region = nearest.code if nearest else None
    if country is None and region is not None:
        country = nuts_country(region)
    steps: list[_Step] = []
    local: list[Query] = []
    if near is not None:
        radius = settings.SEARCH_PARTNER_LOCAL_RADIUS_KM
        local.append(Q("geo_distance", distance=f"{radius}km", location=near.as_dict()))
    if nuts and level == 3:
        local.append(Q("term", nuts=nuts))
    if local:
        area = " or ".join(
            ([f"{settings.SEARCH_PARTNER_LOCAL_RADIUS_KM} km"] if near else [])
            + ([nuts] if nuts and level == 3 else [])
        )
        steps.append(
            _Step("local", area, Q("bool", should=local, minimum_should_match=1))
        )
    if region:
        steps.append(_Step("regional", region, Q("term", nuts=region)))
    if country:
        steps.append(_Step("national", country, Q("term", country=country)))
    steps.append(_Step("eu", None, None))
    return steps


def _organisations(*, need: str, types: tuple[str, ...], open_only: bool) -> Search:
    """Organisations matching the need: exactly (stemmed) in any text, or with a
    typo in the name or expertise (see ``search.queries`` on fuzzy costs)."""
    common = {"query": need, "type": "best_fields", "minimum_should_match": "2<75%"}
    search = (
        Search()
        .query(
            "bool",
            should=[
                Q("multi_match", fields=NEED_FIELDS, tie_breaker=0.3, **common),
                Q(
                    "multi_match",
                    fields=FUZZY_FIELDS,
                    fuzziness="AUTO",
                    prefix_length=1,
                    max_expansions=20,
                    boost=0.5,
                    **common,
                ),
            ],
            minimum_should_match=1,
        )
        .filter("term", deleted=False)
        .filter("term", kind="organisation")
        .source([*SOURCE])
    )
    if types:
        search = search.filter("terms", type=list(types))
    if open_only:
        search = search.filter("term", openToPartnership=True)
    return search


def _sorted(search: Search, point: GeoPoint | None) -> dict[str, Any]:
    order: list[Any] = ["_score"]
    if point is not None:
        order.append(
            {
                "_geo_distance": {
                    "location": point.as_dict(),
                    "order": "asc",
                    "unit": "km",
                }
            }
        )
    order.append({"id": "asc"})
    return search.sort(*order).to_dict()


def _with_projects(
    matches: list[PartnerMatch], *, engine: SearchEngine
) -> list[PartnerMatch]:
    """Attach to each organisation the projects naming it as a partner."""
    if not matches:
        return matches
    ids = [match.organisation.id for match in matches]
    search = (
        Search()
        .filter("term", deleted=False)
        .filter("term", kind="project")
        .filter("terms", partners=ids)
        .source(["record"])
        .sort({"updatedAt": {"order": "desc"}}, {"id": {"order": "asc"}})
        .extra(size=min(len(ids) * PROJECTS_PER_ORGANISATION, 500))
    )
    answer = alias_search(engine, search.to_dict())
    projects: dict[str, list[PartnerProject]] = {
        organisation: [] for organisation in ids
    }
    for raw in answer["hits"]["hits"]:
        record = raw["_source"]["record"]
        body = record.get("body") or {}
        for partner in body.get("partners", []):
            listed = projects.get(partner["organisation"])
            if listed is not None and len(listed) < PROJECTS_PER_ORGANISATION:
                listed.append(
                    PartnerProject(
                        id=record["id"],
                        title=body.get("name", ""),
                        role=partner.get("role", "partner"),
                    )
                )
    return [
        PartnerMatch(
            organisation=match.organisation,
            found_at=match.found_at,
            area=match.area,
            projects=projects[match.organisation.id],
        )
        for match in matches
    ]
