"""What the demo seeds, and where: real public data mapped to record bodies.

Pure functions over the CSV copies in ``hubnet/demo_data/`` (no Django, no
network), so the demo runner, the seeding command and the tests compute the same
plan:

- research organisations (ROR, NL and BE) and digital innovation hubs (JRC) become
  ``organisation`` records at the hub whose area holds them: the local hub whose
  NUTS 3 region matches, else the regional hub of the NUTS 2 region, else the
  national hub of the country, else the EU hub (all hubs outside NL and BE);
- public-sector AI cases (JRC) become ``project`` records at the hub matching
  their geographic extent: National cases at their country's hub, Local and
  Regional cases at the hub of the places named in the lead organisation, the name
  or (failing both) the description - capped at the regional level for Regional
  cases, the hub above all named places when they lie in different areas, the
  national hub when none is named; cases of countries without a hub and
  "Across Countries" cases at the EU hub;
- courses and datasets written for the demo (``hubnet.demo.content``).

Record ids are stable: ``<hub>:<kind>:<uuid5 of the source id>``, so seeding again
publishes nothing new unless the data or the mapping changed.
"""

from __future__ import annotations

import html
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from federation.records import Url
from federation.text import text_cut
from hubnet.demo.places import (
    COUNTRY_CODES,
    LEVEL_RANK,
    HubAreas,
    Place,
    place_lookup,
    places_named,
    ror_place,
)
from hubnet.demo.sources import (
    AI,
    ai_cases,
    clean,
    innovation_hubs,
    research_organisations,
)
from hubnet.localnet import HubSpec
from hubs.nuts import country_nuts, nuts_region

# uuid5 namespace of demo record ids (fixed: ids must not change between runs).
NAMESPACE = uuid.UUID("6f1c3c1e-2f6a-5a43-9d43-0c5b7f1d2a10")

ROR_TYPE_PHRASES = {
    "Education": "An educational institution",
    "Facility": "A research facility",
    "Company": "A company",
    "Government": "A government body",
    "Nonprofit": "A non-profit organisation",
    "Healthcare": "A healthcare organisation",
    "Archive": "An archive, library or museum",
}
ROR_TYPES = {
    # ROR type -> (organisation type, sectors)
    "Education": ("knowledge-institution", ["Education"]),
    "Facility": ("knowledge-institution", ["Research"]),
    "Company": ("company", []),
    "Government": ("government", ["Public administration"]),
    "Nonprofit": ("civil-society", []),
    # Hospitals in NL and BE are mostly non-profit foundations and associations.
    "Healthcare": ("civil-society", ["Health"]),
    # Archives, libraries and museums: memory institutions.
    "Archive": ("knowledge-institution", ["Culture and heritage"]),
    "Other": ("civil-society", []),
}

CASE_STATUS = {
    "Planned": "idea",
    "In development": "development",
    "Pilot": "pilot",
    "Implemented": "in-use",
    "Not in use anymore": "retired",
}
CASE_EXTENT_LEVEL = {
    "Local": "local",
    "Regional": "regional",
    "National": "national",
    "Across Countries": "eu",
}

# Technologies named in a hub's description (case-insensitive unless upper case).
TECHNOLOGY_TERMS = {
    "artificial intelligence": [r"artificial intelligence", r"\bAI\b"],
    "machine learning": [r"machine learning", r"deep learning"],
    "computer vision": [r"computer vision", r"image recognition", r"image process"],
    "robotics": [r"robot"],
    "internet of things": [r"internet of things", r"\bIoT\b"],
    "data analytics": [r"big data", r"data analytics", r"data science"],
    "cloud computing": [r"cloud"],
    "high-performance computing": [r"high[- ]performance computing", r"\bHPC\b"],
    "cybersecurity": [r"cyber[- ]?security"],
    "blockchain": [r"blockchain"],
    "additive manufacturing": [r"additive manufacturing", r"3D[- ]print"],
    "photonics": [r"photonic"],
    "5G": [r"\b5G\b"],
    "simulation and digital twins": [r"simulation", r"digital twin"],
    "augmented and virtual reality": [r"virtual reality", r"augmented reality"],
    "sensors": [r"sensor"],
    "microelectronics": [r"micro-?electronic", r"semiconductor"],
}
_TECHNOLOGY_PATTERNS = {
    technology: [
        re.compile(term) if re.search(r"[A-Z]", term) else re.compile(term, re.I)
        for term in terms
    ]
    for technology, terms in TECHNOLOGY_TERMS.items()
}
_KNOWLEDGE = re.compile(
    r"universit|hochschule|hogeschool|haute [ée]cole|\bcollege\b|institut|research"
    r"|academ|akademi|fraunhofer|\bTNO\b|\bIMEC\b|école|polytechn|laborator"
    r"|\bVTT\b|\bSINTEF\b|\bCSIC\b|technology cent|technological cent",
    re.I,
)
_COMPANY = re.compile(
    r"\b(B\.?V|N\.?V|GmbH|Ltd|Limited|S\.p\.A|S\.r\.l|SpA|Srl|Oy|AB|A/S|ApS|SAS|"
    r"SARL|Inc)\b\.?"
)
_GOVERNMENT = re.compile(
    r"\b(municipality|ministry|gemeente|government|agency|agencia|agence|"
    r"regional council)\b",
    re.I,
)
_URL = TypeAdapter(Url)


@dataclass(frozen=True)
class SeedItem:
    """One record to publish at one hub."""

    hub: str
    kind: str
    source: str  # the stable source id (``ror:00490vc18``), hashed into the id
    body: dict[str, Any]
    language: str = "en"

    @property
    def record_id(self) -> str:
        return f"{self.hub}:{self.kind}:{uuid.uuid5(NAMESPACE, self.source)}"

    def wire(self) -> dict[str, Any]:
        """What the seeding command reads (one item of the hub's seed file)."""
        return {
            "id": self.record_id,
            "kind": self.kind,
            "language": self.language,
            "body": self.body,
        }


# -- text helpers ------------------------------------------------------------------


def _plain(text: str | None, limit: int) -> str:
    """Cleaned text that a plain-text field accepts, cut at a word to ``limit``."""
    # Angle brackets become angle quotation marks: plain fields refuse markup.
    text = clean(text).replace("<", "\u2039").replace(">", "\u203a")
    text = re.sub(r"javascript:", "javascript :", text, flags=re.I)
    return text_cut(text, limit=limit)


def _summary(text: str, limit: int = 300) -> str:
    """The opening sentences of ``text`` that fit in ``limit`` characters."""
    text = _plain(text, 5000)
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“])", text)
    summary = ""
    for sentence in sentences:
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > limit:
            break
        summary = candidate
    return summary or text_cut(text, limit=limit)


def _paragraphs(text: str, limit: int) -> str:
    """``text`` as HTML paragraphs, escaped, cut to about ``limit`` characters."""
    text = text_cut(" ".join((text or "").split()), limit=limit) if text else ""
    if not text:
        return ""
    return f"<p>{_escape(clean(text))}</p>"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _url(value: str | None) -> str | None:
    """The (first) URL in ``value`` if the record schema accepts it."""
    value = (value or "").strip()
    # Some source cells hold two URLs run together: keep the first.
    value = re.split(r"(?<=.)(?=https?://)", value, maxsplit=1)[0]
    if not value:
        return None
    try:
        return str(_URL.validate_python(value))
    except ValidationError:
        return None


def _keywords(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        # "General services." loses its full stop, "Health n.e.c." keeps it.
        keyword = re.sub(r"(?<=\w\w)\.$", "", _plain(value, 200))
        if keyword and len(keyword) <= 80:
            seen.setdefault(keyword, None)
    return list(seen)[:30]


def technologies_named(text: str) -> list[str]:
    return [
        technology
        for technology, patterns in _TECHNOLOGY_PATTERNS.items()
        if any(pattern.search(text) for pattern in patterns)
    ]


def _location(place: Place | None, *, country: str | None) -> dict[str, Any] | None:
    location: dict[str, Any] = {}
    if place is not None:
        if place.lat is not None and place.lon is not None:
            location["lat"], location["lon"] = place.lat, place.lon
        if place.nuts:
            location["nuts"] = [place.nuts]
        if place.name:
            location["place"] = _plain(place.name, 120)
    country = place.country if place is not None else country
    if country:
        location["country"] = country
        if "nuts" not in location and nuts_region(country_nuts(country)):
            location["nuts"] = [country_nuts(country)]
    return location or None


# -- organisations -------------------------------------------------------------------


def ror_item(row: dict[str, str], areas: HubAreas) -> SeedItem:
    place = ror_place(row)
    kind, sectors = ROR_TYPES.get(row["types"], ("civil-society", []))
    ror_id = row["ror_id"].strip()
    phrase = ROR_TYPE_PHRASES.get(row["types"], "An organisation")
    where = f" in {place.name}" if place.name else ""
    body = {
        "name": _plain(row["name"], 300),
        "description": (
            f"<p>{_escape(phrase + where)}, listed in the Research Organization "
            f'Registry as <a href="https://ror.org/{ror_id}">ror.org/{ror_id}</a>.</p>'
        ),
        "identifiers": {"ror": ror_id},
        "type": kind,
        "sectors": sectors,
        "location": _location(place, country=row["country"]),
    }
    hub = areas.hub_for(country=place.country, nuts=place.nuts)
    return SeedItem(
        hub=hub, kind="organisation", source=f"ror:{ror_id}", body=_compact(body)
    )


def dih_type(name: str) -> str:
    """The organisation type of an innovation hub, inferred from its name."""
    if _COMPANY.search(name):
        return "company"
    if _KNOWLEDGE.search(name):
        return "knowledge-institution"
    if _GOVERNMENT.search(name):
        return "government"
    return "civil-society"


def dih_place(row: dict[str, str]) -> tuple[str | None, Place | None]:
    country = COUNTRY_CODES.get(row["country"].strip())
    city = clean(row["city"])
    place = place_lookup(city, country) if country in ("NL", "BE") else None
    if place is None and city and country:
        name = city.title() if city.isupper() or city.islower() else city
        place = Place(name=name, country=country, nuts=None)
    return country, place


def dih_item(row: dict[str, str], areas: HubAreas) -> SeedItem:
    country, place = dih_place(row)
    name = _plain(row["name"], 300)
    text = clean(row["description"])
    source_id = row["source_id"].strip()
    body = {
        "name": name,
        "description": _paragraphs(text, 4000)
        + (
            "<p>Digital innovation hub listed in the JRC Digital Innovation Hubs "
            f"catalogue (hub {_escape(source_id)}).</p>"
        ),
        "identifiers": {"other": f"JRC DIH {source_id}"},
        "type": dih_type(name),
        "sectors": _keywords(row["sectors"].split("|")),
        "technologies": technologies_named(f"{name} {text}"),
        "openToPartnership": True,
        "website": _url(row["website"]),
        "location": _location(place, country=country),
    }
    hub = areas.hub_for(country=country, nuts=place.nuts if place else None)
    return SeedItem(
        hub=hub, kind="organisation", source=f"jrc-dih:{source_id}", body=_compact(body)
    )


# -- projects --------------------------------------------------------------------


def _year(value: str) -> int | None:
    match = re.match(r"^\s*(\d{4})", value or "")
    return int(match.group(1)) if match else None


def case_places(row: dict[str, str], country: str) -> list[Place]:
    """The places a case names: in its lead organisation, else its name, else its
    description."""
    for text in (row["lead_organisation_name"], row["name"], row["description"]):
        places = places_named(text, country)
        if places:
            return places
    return []


def case_assignment(row: dict[str, str], areas: HubAreas) -> tuple[str, list[Place]]:
    """The hub a case belongs to, and the places that put it there."""
    country = row["geocoverage_codes"].strip().upper()
    level = CASE_EXTENT_LEVEL.get(row["geoextent"].strip(), "national")
    national = areas.national(country)
    if level == "eu" or national is None:
        return areas.top, []
    if level == "national":
        return national, []
    places = case_places(row, country)
    if not places:
        return national, []
    hubs = {
        areas.hub_for(country=country, nuts=place.nuts, finest=level)
        for place in places
    }
    return areas.common(hubs), places


def case_item(row: dict[str, str], areas: HubAreas) -> SeedItem:
    hub, places = case_assignment(row, areas)
    country = row["geocoverage_codes"].strip().upper() or None
    if places:
        location: dict[str, Any] = {
            "nuts": sorted({place.nuts for place in places if place.nuts})[:10],
            "country": country,
            "place": _plain(", ".join(place.name for place in places), 120),
        }
        if len(places) == 1 and places[0].lat is not None:
            location["lat"], location["lon"] = places[0].lat, places[0].lon
    else:
        location = _location(None, country=country) or {}
        if row["geocoverage"].strip():
            location["place"] = _plain(row["geocoverage"], 120)
    start, end = _year(row["start_date"]), _year(row["end_date"])
    if start and end and end < start:
        end = None
    description = clean(row["description"])
    url = _url(row["url"])
    source = (
        "<p>Case {id} of the JRC Innovative Public Services case explorer{link}.</p>"
    ).format(
        id=_escape(row["id"]),
        link=f' (<a href="{html.escape(url)}">source</a>)' if url else "",
    )
    body = {
        "name": _plain(row["name"], 300),
        "shortDescription": _summary(description or row["name"]),
        "description": _paragraphs(description, 6000) + source,
        "organisation": _plain(row["lead_organisation_name"], 300)
        or "Not named in the source",
        "status": CASE_STATUS.get(row["status"].strip(), "development"),
        "startDate": f"{start}-01-01" if start else None,
        "endDate": f"{end}-12-31" if end else None,
        "themes": _keywords([row["type"]]),
        "sectors": _keywords([row["primary_sector"], row["secondary_sector"]]),
        "technologies": [AI],
        "location": _compact(location) or None,
    }
    return SeedItem(
        hub=hub,
        kind="project",
        source=f"jrc-ips:{row['id'].strip()}",
        body=_compact(body),
    )


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value for key, value in values.items() if value not in (None, "", [], {})
    }


# -- the plan --------------------------------------------------------------------


def demo_plan(hubs: Sequence[HubSpec]) -> dict[str, list[SeedItem]]:
    """Every record to seed, by hub (every hub of ``hubs`` has an entry)."""
    from hubnet.demo.content import written_items

    areas = HubAreas(hubs)
    plan: dict[str, list[SeedItem]] = {hub.slug: [] for hub in hubs}
    items = [ror_item(row, areas) for row in research_organisations()]
    items += [dih_item(row, areas) for row in innovation_hubs()]
    items += [case_item(row, areas) for row in ai_cases()]
    for position, hub in enumerate(hubs):
        items += written_items(hub, position)
    for item in items:
        plan[item.hub].append(item)
    return plan


def plan_counts(plan: dict[str, list[SeedItem]]) -> dict[str, dict[str, int]]:
    """Records per hub and kind."""
    return {
        slug: dict(Counter(item.kind for item in items)) for slug, items in plan.items()
    }


def level_counts(
    plan: dict[str, list[SeedItem]], hubs: Sequence[HubSpec]
) -> dict[str, dict[str, int]]:
    """Records per level of their origin hub and kind."""
    level_of = {hub.slug: hub.level for hub in hubs}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for slug, items in plan.items():
        counts[level_of[slug]].update(item.kind for item in items)
    return {level: dict(counts[level]) for level in LEVEL_RANK if level in counts}
