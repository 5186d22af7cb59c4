"""The query API's types: what a search asks (``SearchParams``) and what it gets
back (``SearchResults``), plus the opaque paging cursor.

These types are the contract for every face (REST ``/api/v1/search``, the GraphQL
``search`` field, the HTML search page): a face parses its request into
``SearchParams`` (invalid values raise ``SearchParamsInvalid``, a ``ValueError``
whose message can be shown), calls ``search.queries.catalogue_search`` and renders
``SearchResults``. Facet names are the names of the ``SearchParams`` filters, so a
face can turn a clicked facet bucket straight into the next request.

Filters:

- ``text``: full text over titles (boost 3), summaries (2), expertise (2),
  descriptions and organisation names, analysed per record language; titles and
  expertise are typo tolerant unless ``fuzzy`` is off;
- ``scope``: a hub slug - records of that hub and every hub under it;
- ``nuts``: NUTS codes at any level (NL, NL4, NL41, NL414); a record matches when
  it lies in any of them;
- ``near`` + ``radius_km``: within that distance of the point (without a radius,
  ``near`` only serves distance sorting and ``distance_km`` in the hits);
- the multi-select facet filters in ``FLAT_FACETS`` (values OR-ed within a filter,
  filters AND-ed), ``trl_min``/``trl_max`` and the yes/no filters in
  ``BOOLEAN_FILTERS`` (``open_to_partnership``, ``biometric_data``, ...).

``scope``, ``nuts`` and ``near`` narrow everything, facet counts included (they are
drill-downs); each flat facet's counts ignore that facet's own selection, so a
count is exactly what the result total becomes when the value is added (or, with
no selection in that facet, chosen).

Turning a bucket into the next request: a flat facet's value goes into the
filter of the same name (a yes/no filter takes the boolean; a ``trl``
bucket becomes ``trl_min = trl_max = value``); a ``scopes`` bucket becomes
``scope``, a ``nuts1``/``nuts2``/``nuts3`` bucket becomes ``nuts``.

``size=0`` returns no hits, only the total and facets (statistics pages).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from dataclasses import dataclass, field, fields
from typing import Any

from hubs.nuts import nuts_validate
from search.geo import GeoPoint
from search.index import LEVELS

SORTS = ("relevance", "newest", "title", "distance")
MAX_SIZE = 100
MAX_FACET_SIZE = 200

# Multi-select facets: parameter (and facet) name → index field.
FLAT_FACETS: dict[str, str] = {
    "kinds": "kind",
    "levels": "level",
    "countries": "country",
    "languages": "language",
    "themes": "themes",
    "sectors": "sectors",
    "technologies": "technologies",
    "services": "services",
    "target_groups": "targetGroups",
    "ai_act_classes": "aiActClass",
    "annex_iii_areas": "annexIiiArea",
    "statuses": "status",
    "access_rights": "accessRights",
    "types": "type",
    "modes": "mode",
    "open_to_partnership": "openToPartnership",
    "trl": "trl",
    # transparency of projects (and B2G sharing of datasets, levels of courses)
    "decision_types": "decisionType",
    "impact_levels": "impactLevel",
    "impact_assessments": "impactAssessmentTypes",
    "funding_programmes": "fundingProgrammes",
    "licences": "licence",
    "school_levels": "schoolLevel",
    "eqf_levels": "eqfLevel",
    "biometric_data": "biometricData",
    "publicly_funded": "publiclyFunded",
    "source_code_published": "sourceCodePublished",
    "procurement_clauses": "procurementClauses",
    "objection_route": "objectionRoute",
    "b2g_sharing": "b2gSharing",
}
# Yes/no filters: one value (true or false), not a list.
BOOLEAN_FILTERS = (
    "open_to_partnership",
    "biometric_data",
    "publicly_funded",
    "source_code_published",
    "procurement_clauses",
    "objection_route",
    "b2g_sharing",
)
# Drill-down facets (computed under every filter): facet name → index field.
# ``scopes`` counts, per hub slug, the records of that hub and its subtree (the
# value to put into ``scope`` to narrow to it).
DRILL_FACETS: dict[str, str] = {
    "scopes": "originPath",
    "nuts1": "nuts1",
    "nuts2": "nuts2",
    "nuts3": "nuts3",
}
FACETS = tuple(FLAT_FACETS) + tuple(DRILL_FACETS)
# The sort values a hit carries, per sort order (``search.queries._sort``):
# score, updatedAt (epoch milliseconds), title (missing: null), distance (km;
# "Infinity" for a record without a point) and the id as tiebreaker.
CURSOR_SHAPES: dict[str, tuple[str, ...]] = {
    "relevance": ("number", "long", "text"),
    "newest": ("long", "text"),
    "title": ("text?", "text"),
    "distance": ("number", "text"),
    # a position in the fused window of a hybrid search (search.hybrid)
    "window": ("long",),
}
CURSOR_TEXT_MAX = 1000


class SearchParamsInvalid(ValueError):
    """A search parameter is out of range; the message names it."""


@dataclass(frozen=True)
class SearchParams:
    """One catalogue search. Sequences may be given as lists; they become tuples."""

    text: str = ""
    scope: str | None = None
    nuts: tuple[str, ...] = ()
    near: GeoPoint | None = None
    radius_km: float | None = None
    kinds: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    ai_act_classes: tuple[str, ...] = ()
    annex_iii_areas: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    access_rights: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    trl_min: int | None = None
    trl_max: int | None = None
    open_to_partnership: bool | None = None
    decision_types: tuple[str, ...] = ()
    impact_levels: tuple[str, ...] = ()
    impact_assessments: tuple[str, ...] = ()
    funding_programmes: tuple[str, ...] = ()
    licences: tuple[str, ...] = ()
    school_levels: tuple[str, ...] = ()
    eqf_levels: tuple[int, ...] = ()
    biometric_data: bool | None = None
    publicly_funded: bool | None = None
    source_code_published: bool | None = None
    procurement_clauses: bool | None = None
    objection_route: bool | None = None
    b2g_sharing: bool | None = None
    sort: str = "relevance"
    size: int = 20
    after: str | None = None
    # Facets to compute: None = all of FACETS, () = none.
    facets: tuple[str, ...] | None = None
    facet_size: int = 20
    highlight: bool = True
    fuzzy: bool = True
    # Only records written to the index (new or changed) after / up to these
    # moments: the window of an alert digest. Not a query-string parameter.
    indexed_after: dt.datetime | None = None
    indexed_until: dt.datetime | None = None

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, list):
                object.__setattr__(self, item.name, tuple(value))
        # A query string gives EQF levels as text; the index holds numbers.
        object.__setattr__(
            self, "eqf_levels", tuple(_whole(level) for level in self.eqf_levels)
        )
        try:
            object.__setattr__(self, "near", GeoPoint.of(self.near))
        except (TypeError, ValueError) as error:
            raise SearchParamsInvalid(f"near: {error}") from None
        self._validate()

    def _validate(self) -> None:
        problems = [
            *self._query_problems(),
            *self._bound_problems(),
            *self._choice_problems(),
        ]
        if problems:
            raise SearchParamsInvalid("; ".join(problems))

    def _query_problems(self) -> list[str]:
        """What is wrong with the text or the sort order."""
        problems = []
        if len(self.text) > 500:
            problems.append("text: at most 500 characters")
        if self.sort not in SORTS:
            problems.append(f"sort: one of {', '.join(SORTS)}")
        if self.sort == "distance" and self.near is None:
            problems.append("sort: distance needs near")
        return problems

    def _bound_problems(self) -> list[str]:
        """What is out of range: the radius, the sizes and the TRL bounds."""
        problems = []
        if self.radius_km is not None and (
            self.near is None or not 0 < self.radius_km <= 5000
        ):
            problems.append("radius_km: needs near and 0 < radius_km <= 5000")
        if not 0 <= self.size <= MAX_SIZE:
            problems.append(f"size: 0 to {MAX_SIZE}")
        if not 1 <= self.facet_size <= MAX_FACET_SIZE:
            problems.append(f"facet_size: 1 to {MAX_FACET_SIZE}")
        for bound in ("trl_min", "trl_max"):
            value = getattr(self, bound)
            if value is not None and not 1 <= value <= 9:
                problems.append(f"{bound}: 1 to 9")
        return problems

    def _choice_problems(self) -> list[str]:
        """What is not among the allowed values: levels, facets, NUTS codes, the
        partnership flag."""
        problems = []
        if unknown := set(self.levels) - set(LEVELS):
            problems.append(f"levels: unknown {sorted(unknown)}")
        if self.facets is not None and (unknown := set(self.facets) - set(FACETS)):
            problems.append(f"facets: unknown {sorted(unknown)}")
        for code in self.nuts:
            try:
                nuts_validate(code)
            except ValueError as error:
                problems.append(f"nuts: {error}")
        for name in BOOLEAN_FILTERS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                problems.append(f"{name}: true or false")
        if any(
            type(level) is not int or not 1 <= level <= 8 for level in self.eqf_levels
        ):
            problems.append("eqf_levels: whole numbers from 1 to 8")
        return problems

    def selected(self, facet: str) -> tuple[Any, ...]:
        """The values selected in a facet (for marking buckets)."""
        if facet == "scopes":
            return (self.scope,) if self.scope else ()
        if facet in DRILL_FACETS:
            return self.nuts
        if facet in BOOLEAN_FILTERS:
            value = getattr(self, facet)
            return () if value is None else (value,)
        if facet == "trl":
            return ()
        return getattr(self, facet)


def _whole(value: Any) -> Any:
    """``value`` as an int when it is a whole number's text (else as given, for
    the validation to name)."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


@dataclass(frozen=True)
class FacetBucket:
    """One value of a facet with the number of results it stands for."""

    value: str | int | bool
    count: int
    selected: bool = False


@dataclass(frozen=True)
class SearchHit:
    """One result: the record as its origin published it, and why it matched.

    ``highlights`` maps title/summary/description to fragments in which matches
    are wrapped in ``<mark>``; everything else in a fragment is HTML-escaped, so
    fragments can be rendered as HTML as they are.
    """

    id: str
    kind: str
    title: str
    record: dict[str, Any]
    level: str | None = None
    score: float | None = None
    distance_km: float | None = None
    highlights: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchResults:
    """A page of results; ``next_cursor`` (None on the last page) goes into
    ``SearchParams.after`` to get the next one."""

    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetBucket]]
    next_cursor: str | None
    took_ms: int


@dataclass(frozen=True)
class Suggestion:
    """An autocomplete entry: a record title."""

    id: str
    kind: str
    title: str
    origin: str


def cursor_encode(*, sort: str, values: list[Any]) -> str:
    """An opaque cursor for the position after a hit with sort ``values``."""
    safe = ["inf" if isinstance(v, float) and math.isinf(v) else v for v in values]
    text = json.dumps({"s": sort, "v": safe}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursor_decode(cursor: str, *, sort: str) -> list[Any]:
    """The sort values of ``cursor``; SearchParamsInvalid when it is malformed or
    was made for another sort order."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        values = data["v"]
        made_for = data["s"]
    except (binascii.Error, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise SearchParamsInvalid("after: malformed cursor") from None
    if made_for != sort or not isinstance(values, list):
        raise SearchParamsInvalid("after: the cursor belongs to another sort order")
    values = ["Infinity" if value == "inf" else value for value in values]
    if not _cursor_shaped(values, CURSOR_SHAPES.get(sort, ())):
        raise SearchParamsInvalid("after: malformed cursor")
    return values


def _cursor_value_ok(value: Any, shape: str) -> bool:
    """Whether one sort value of a cursor could come from the engine: a forged
    one (a word for a date, 10^30, NaN) would fail inside the engine."""
    if shape == "long":
        return type(value) is int and -(2**63) <= value < 2**63
    if shape == "number":
        return (type(value) in (int, float) and math.isfinite(value)) or (
            value == "Infinity"
        )
    if shape == "text?" and value is None:
        return True
    return isinstance(value, str) and len(value) <= CURSOR_TEXT_MAX


def _cursor_shaped(values: list[Any], shape: tuple[str, ...]) -> bool:
    return len(values) == len(shape) and all(
        _cursor_value_ok(value, kind) for value, kind in zip(values, shape, strict=True)
    )
