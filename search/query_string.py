"""The query-string parameters of search, declared once: what each is called,
what it fills and how it is read. The parser here (shared by the REST API and
the HTML pages) and the API's OpenAPI serializers (``search.api.serializers``)
are both built from these tables, so a parameter cannot be accepted without
being documented, or documented with other bounds than those checked.

Multi-valued filters may be repeated (``themes=a&themes=b``) or comma separated
(``themes=a,b``). The public names are singular where one value is usual
(``level``, ``country``, ``status``, ``ai_act_class``, ``target_group``); the
names of ``SearchParams`` (the facet names) are accepted too, so a clicked facet
bucket becomes the next request. Every problem raises ``SearchParamsInvalid``
whose message starts with the name of the parameter as sent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from federation.vocabularies import (
    DecisionType,
    FundingProgramme,
    ImpactAssessmentType,
    ImpactLevel,
    Kind,
)
from hubs.nuts import NUTS_CODE
from search.geo import GeoPoint
from search.index import LEVELS
from search.types import MAX_SIZE, SORTS, SearchParams, SearchParamsInvalid

Read = Literal["text", "many", "int", "float", "bool", "point"]

# lat,lon within range (the documented pattern; ``point_parse`` checks it).
POINT_PATTERN = (
    r"^-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?),"
    r"-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?)$"
)
NON_BLANK = r"\S"
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


@dataclass(frozen=True)
class QueryParameter:
    """One query-string parameter: its ``name``, the keyword it fills
    (``target``), how its text is read, and the bounds both the parser checks
    and the OpenAPI document states (``pattern`` is documented only: the
    target's own validator, e.g. ``nuts_validate``, is the stricter check)."""

    name: str
    target: str
    read: Read = "text"
    help: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    pattern: str | None = None
    required: bool = False


def also(parameter: QueryParameter, name: str) -> QueryParameter:
    """Another accepted name of ``parameter``: same target, same bounds."""
    return dataclasses.replace(parameter, name=name, help=f"Same as {parameter.name}.")


def _many(name: str, target: str, help: str, **bounds: Any) -> QueryParameter:
    return QueryParameter(name, target, "many", help, **bounds)


_KIND = _many("kinds", "kinds", f"{', '.join(Kind.values)}.")
_LEVEL = _many("level", "levels", "Level of the origin hub.", choices=LEVELS)
_COUNTRY = _many("country", "countries", "ISO country code of the record's location.")
_LANGUAGE = _many("language", "languages", "ISO 639-1 language of the record.")
_TARGET_GROUP = _many("target_group", "target_groups", "Target group of courses.")
_AI_ACT_CLASS = _many(
    "ai_act_class", "ai_act_classes", "AI Act class (high, limited, minimal, ...)."
)
_ANNEX_III_AREA = _many(
    "annex_iii_area", "annex_iii_areas", "Annex III area of high-risk projects."
)
_STATUS = _many("status", "statuses", "Project status.")
_TYPE = _many("types", "types", "Organisation types.")
_MODE = _many("mode", "modes", "Course mode (online, on site, blended).")
_DECISION_TYPE = _many(
    "decision_type",
    "decision_types",
    "What a project's output does.",
    choices=tuple(DecisionType.values),
)
_IMPACT_LEVEL = _many(
    "impact_level",
    "impact_levels",
    "Impact on people from the risk self-check.",
    choices=tuple(ImpactLevel.values),
)
_IMPACT_ASSESSMENT = _many(
    "impact_assessment",
    "impact_assessments",
    "Kind of impact assessment a project published.",
    choices=tuple(ImpactAssessmentType.values),
)
_FUNDING_PROGRAMME = _many(
    "funding_programme",
    "funding_programmes",
    "Programme funding a project.",
    choices=tuple(FundingProgramme.values),
)
_LICENCE = _many("licence", "licences", "Licence (SPDX) of a project or dataset.")
_SCHOOL_LEVEL = _many("school_level", "school_levels", "School level of courses.")
_EQF_LEVEL = _many(
    "eqf_level",
    "eqf_levels",
    "EQF level of courses, 1 to 8.",
    choices=tuple(str(level) for level in range(1, 9)),
)


def _yes_no(name: str, help: str) -> QueryParameter:
    return QueryParameter(name, name, "bool", help)


_TEXT = QueryParameter("text", "text", help="Full text.", max_length=500)
_SCOPE = QueryParameter(
    "scope", "scope", help="A hub slug: that hub and every hub under it."
)

# ``GET /api/v1/search`` (and its exports, and the HTML search page).
SEARCH_PARAMETERS: tuple[QueryParameter, ...] = (
    _TEXT,
    also(_TEXT, "q"),
    _KIND,
    also(_KIND, "kind"),
    _SCOPE,
    _LEVEL,
    also(_LEVEL, "levels"),
    _COUNTRY,
    also(_COUNTRY, "countries"),
    _LANGUAGE,
    also(_LANGUAGE, "languages"),
    _many(
        "nuts",
        "nuts",
        "NUTS code at any level (NL, NL4, NL41, NL414).",
        pattern=NUTS_CODE.pattern,
    ),
    _many("themes", "themes", "Themes."),
    _many("sectors", "sectors", "Sectors."),
    _many("technologies", "technologies", "Technologies."),
    _many("services", "services", "Services offered by organisations."),
    _TARGET_GROUP,
    also(_TARGET_GROUP, "target_groups"),
    _AI_ACT_CLASS,
    also(_AI_ACT_CLASS, "ai_act_classes"),
    _ANNEX_III_AREA,
    also(_ANNEX_III_AREA, "annex_iii_areas"),
    _STATUS,
    also(_STATUS, "statuses"),
    _many("access_rights", "access_rights", "Access rights of datasets."),
    _TYPE,
    also(_TYPE, "type"),
    _MODE,
    also(_MODE, "modes"),
    QueryParameter("trl_min", "trl_min", "int", "Lowest TRL.", minimum=1, maximum=9),
    QueryParameter("trl_max", "trl_max", "int", "Highest TRL.", minimum=1, maximum=9),
    QueryParameter(
        "open_to_partnership",
        "open_to_partnership",
        "bool",
        "Organisations open (true) or not open (false) to partnership.",
    ),
    _DECISION_TYPE,
    also(_DECISION_TYPE, "decision_types"),
    _IMPACT_LEVEL,
    also(_IMPACT_LEVEL, "impact_levels"),
    _IMPACT_ASSESSMENT,
    also(_IMPACT_ASSESSMENT, "impact_assessments"),
    _FUNDING_PROGRAMME,
    also(_FUNDING_PROGRAMME, "funding_programmes"),
    _LICENCE,
    also(_LICENCE, "licences"),
    _SCHOOL_LEVEL,
    also(_SCHOOL_LEVEL, "school_levels"),
    _EQF_LEVEL,
    also(_EQF_LEVEL, "eqf_levels"),
    _yes_no("biometric_data", "Projects that do (true) or do not use biometric data."),
    _yes_no("publicly_funded", "Projects that are (true) or are not publicly funded."),
    _yes_no(
        "source_code_published",
        "Projects that publish (true) or do not publish their source code.",
    ),
    _yes_no(
        "procurement_clauses",
        "Projects that apply (true) or do not apply the AI procurement clauses.",
    ),
    _yes_no(
        "objection_route",
        "Projects that name (true) or do not name a way to object.",
    ),
    _yes_no(
        "b2g_sharing",
        "Datasets that are (true) or are not offered for business-to-government "
        "sharing.",
    ),
    QueryParameter(
        "near",
        "near",
        "point",
        "lat,lon: distances, distance sort, radius.",
        pattern=POINT_PATTERN,
    ),
    QueryParameter(
        "radius_km",
        "radius_km",
        "float",
        "Only records within this distance of near (needs near).",
        minimum=0.001,
        maximum=5000,
    ),
    QueryParameter("sort", "sort", help="The order of the hits.", choices=SORTS),
    QueryParameter(
        "size",
        "size",
        "int",
        "Hits a page (0: facets only).",
        minimum=0,
        maximum=MAX_SIZE,
    ),
    QueryParameter("after", "after", help="The next_cursor of the previous page."),
)

# ``GET /api/v1/suggest``.
SUGGEST_PARAMETERS: tuple[QueryParameter, ...] = (
    QueryParameter(
        "prefix",
        "prefix",
        help="What was typed so far.",
        max_length=100,
        pattern=NON_BLANK,
        required=True,
    ),
    QueryParameter("size", "size", "int", "How many titles.", minimum=1, maximum=50),
    dataclasses.replace(_KIND, help="Only these kinds."),
    dataclasses.replace(_SCOPE, help="A hub slug."),
)

# ``GET /api/v1/partners``.
PARTNER_PARAMETERS: tuple[QueryParameter, ...] = (
    QueryParameter(
        "need",
        "need",
        help="What the SME looks for.",
        max_length=300,
        pattern=NON_BLANK,
        required=True,
    ),
    QueryParameter("near", "near", "point", "lat,lon.", pattern=POINT_PATTERN),
    QueryParameter("nuts", "nuts", help="A NUTS code.", pattern=NUTS_CODE.pattern),
    QueryParameter(
        "minimum", "minimum", "int", "Widen until found.", minimum=1, maximum=100
    ),
    _TYPE,
    QueryParameter(
        "open_only", "open_only", "bool", "Only organisations open to partnership."
    ),
)


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


def _single(query: Any, name: str) -> str:
    """The (last) value of a single-valued parameter, stripped."""
    value = query.get(name)
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return (value or "").strip()


def _bounded(parameter: QueryParameter, number: float) -> None:
    low, high = parameter.minimum, parameter.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        shown = [f"at least {low:g}" if low is not None else ""]
        shown += [f"at most {high:g}" if high is not None else ""]
        raise SearchParamsInvalid(
            f"{parameter.name}: {' and '.join(part for part in shown if part)}"
        )


def _chosen(parameter: QueryParameter, values: list[str]) -> None:
    if parameter.choices and (unknown := set(values) - set(parameter.choices)):
        raise SearchParamsInvalid(
            f"{parameter.name}: unknown {sorted(unknown)}, one of "
            f"{', '.join(parameter.choices)}"
        )


def _value(parameter: QueryParameter, text: str) -> Any:
    """The value of a single-valued parameter's non-empty ``text``."""
    name = parameter.name
    if parameter.read in ("int", "float"):
        try:
            number = int(text) if parameter.read == "int" else float(text)
        except ValueError:
            raise SearchParamsInvalid(f"{name}: a number") from None
        _bounded(parameter, number)
        return number
    if parameter.read == "bool":
        if text.lower() not in BOOLEANS:
            raise SearchParamsInvalid(f"{name}: true or false")
        return BOOLEANS[text.lower()]
    if parameter.read == "point":
        return point_parse(text, name=name)
    if parameter.max_length is not None and len(text) > parameter.max_length:
        raise SearchParamsInvalid(f"{name}: at most {parameter.max_length} characters")
    _chosen(parameter, [text])
    return text


def query_parse(query: Any, parameters: tuple[QueryParameter, ...]) -> dict[str, Any]:
    """The values ``query`` (a Django ``QueryDict`` or a plain mapping of lists)
    gives the ``parameters``, by target: a tuple for multi-valued ones (values
    under every accepted name, in table order), else the first name's value.
    Absent and empty parameters are left out; SearchParamsInvalid names the
    first bad one."""
    values: dict[str, Any] = {}
    for parameter in parameters:
        if parameter.read == "many":
            found = query_values(query, parameter.name)
            _chosen(parameter, found)
            if found:
                values[parameter.target] = (*values.get(parameter.target, ()), *found)
            continue
        text = _single(query, parameter.name)
        if text and parameter.target not in values:
            values[parameter.target] = _value(parameter, text)
    for parameter in parameters:
        if parameter.required and parameter.target not in values:
            raise SearchParamsInvalid(f"{parameter.name}: required")
    return values


def search_params_parse(query: Mapping[str, Any], **overrides: Any) -> SearchParams:
    """``SearchParams`` from a query string's values (``SEARCH_PARAMETERS``);
    ``overrides`` win (e.g. ``size=0`` for statistics)."""
    values = {**query_parse(query, SEARCH_PARAMETERS), **overrides}
    try:
        return SearchParams(**values)
    except TypeError as error:  # pragma: no cover - a programming error
        raise SearchParamsInvalid(str(error)) from None


def invalid_field(error: SearchParamsInvalid) -> str:
    """The parameter a ``SearchParamsInvalid`` message names."""
    return str(error).split(":", 1)[0].strip()
