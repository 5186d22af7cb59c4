"""Places: which NUTS 2021 region a place lies in, which places a text names,
and which hub's area holds a place.

The gazetteer comes from the ROR file (each city of NL and BE with its most
frequent NUTS 3 region and median point); the ROR file's NUTS codes are NUTS 2016
and are translated to NUTS 2021, the version the hubs and the index use.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from federation.vocabularies import HUB_LEVELS
from hubnet.demo.sources import clean, research_organisations
from hubnet.localnet import HubSpec
from hubs.nuts import nuts_nearest, nuts_region, nuts_regions

LEVEL_RANK = {level: rank for rank, level in enumerate(HUB_LEVELS)}

# NUTS 2016 codes in the ROR file and their NUTS 2021 successors (renamed regions;
# Eurostat, NUTS 2021 amendments). Codes not listed and not in NUTS 2021 (regions
# that were split) go to the nearest NUTS 2021 label point within the same NUTS 2.
NUTS_2016_TO_2021 = {
    "NL121": "NL124",
    "NL122": "NL125",
    "NL123": "NL126",
    "NL322": "NL328",
    "NL326": "NL329",
    "NL338": "NL33B",
    "NL339": "NL33C",
    "BE221": "BE224",
    "BE222": "BE225",
    "BE321": "BE32A",
    "BE322": "BE32B",
    "BE324": "BE328",
    "BE327": "BE328",
}

# Localities named in the hubs catalogue that are part of a municipality the ROR
# file knows (or spelt differently there).
PLACE_ALIASES = {
    ("NL", "den haag"): "the hague",
    ("NL", "'s-gravenhage"): "the hague",
    ("NL", "s-hertogenbosch"): "'s-hertogenbosch",
    ("NL", "den bosch"): "'s-hertogenbosch",
    ("NL", "marknesse"): "emmeloord",
    ("NL", "honselersdijk"): "de lier",
    ("NL", "vlissingen"): "flushing",
    ("BE", "brussel"): "brussels",
    ("BE", "bruxelles"): "brussels",
    ("BE", "antwerpen"): "antwerp",
    ("BE", "gent"): "ghent",
    ("BE", "ghent zwijnaarde"): "ghent",
    ("BE", "zwijnaarde"): "ghent",
    ("BE", "heverlee"): "leuven",
    ("BE", "jambes"): "namur",
    ("BE", "naninne"): "namur",
    ("BE", "gosselies"): "charleroi",
    ("BE", "sint-stevens-woluwe"): "zaventem",
    ("BE", "limelette"): "ottignies",
}

# Names of regions a case may name instead of a place (NUTS 2021 codes).
REGION_NAMES = {
    "NL": {
        "Noord-Brabant": "NL41",
        "North Brabant": "NL41",
        "North-Brabant": "NL41",
        "Brabant": "NL41",
        "Noord-Holland": "NL32",
        "North Holland": "NL32",
        "North-Holland": "NL32",
        "Zuid-Holland": "NL33",
        "South Holland": "NL33",
        "South-Holland": "NL33",
        "SouthHolland": "NL33",
        "Gelderland": "NL22",
        "Friesland": "NL12",
        "Fryslân": "NL12",
        "Drenthe": "NL13",
        "Overijssel": "NL21",
        "Flevoland": "NL23",
        "Zeeland": "NL34",
        "Limburg": "NL42",
    },
    "BE": {
        "Flanders": "BE2",
        "Vlaanderen": "BE2",
        "Wallonia": "BE3",
        "Wallonie": "BE3",
    },
}

# Place names never matched in free text: common words, or names of more than
# one place. (They still locate organisations whose city they are.)
AMBIGUOUS_NAMES = {
    "Balk",
    "Borne",
    "Doorn",
    "Ede",
    "Etten",
    "Flushing",
    "Giessen",
    "Goes",
    "Grave",
    "Halle",
    "Heino",
    "Herve",
    "Heusden",
    "Laren",
    "Leek",
    "Lier",
    "Melle",
    "Mill",
    "Mol",
    "Nazareth",
    "Nes",
    "Niel",
    "Soest",
    "Son",
    "Tiel",
    "Velp",
    "Waterloo",
    "Zele",
    "Zeeland",
    "Zwijndrecht",
}

COUNTRY_CODES = {
    "Albania": "AL",
    "Austria": "AT",
    "Belgium": "BE",
    "Bosnia and Herzegovina": "BA",
    "Bulgaria": "BG",
    "Croatia": "HR",
    "Cyprus": "CY",
    "Czech Republic": "CZ",
    "Denmark": "DK",
    "Estonia": "EE",
    "Finland": "FI",
    "France": "FR",
    "Germany": "DE",
    "Greece": "GR",
    "Hungary": "HU",
    "Ireland": "IE",
    "Israel": "IL",
    "Italy": "IT",
    "Kosovo": "XK",
    "Latvia": "LV",
    "Lithuania": "LT",
    "Luxembourg": "LU",
    "Malta": "MT",
    "Montenegro": "ME",
    "Netherlands": "NL",
    "North Macedonia": "MK",
    "Norway": "NO",
    "Poland": "PL",
    "Portugal": "PT",
    "Romania": "RO",
    "Serbia": "RS",
    "Slovakia": "SK",
    "Slovenia": "SI",
    "Spain": "ES",
    "Sweden": "SE",
    "Switzerland": "CH",
    "Turkey": "TR",
    "Ukraine": "UA",
    "United Kingdom": "GB",
}


@dataclass(frozen=True)
class Place:
    """A named place with its NUTS 2021 region and, when known, a point."""

    name: str
    country: str
    nuts: str | None
    lat: float | None = None
    lon: float | None = None


def nuts_2021(
    code: str, *, lat: float | None, lon: float | None, country: str
) -> str | None:
    """The NUTS 2021 region of a (possibly NUTS 2016) code, or of the point."""
    code = code.strip().upper()
    if code and nuts_region(code) is not None:
        return code
    if code in NUTS_2016_TO_2021:
        return NUTS_2016_TO_2021[code]
    if lat is None or lon is None:
        return None
    if len(code) >= 4:
        within = [
            region
            for region in nuts_regions().values()
            if region.level == 3 and region.code.startswith(code[:4])
        ]
        if within:
            return min(within, key=lambda region: _distance(region, lat, lon)).code
    nearest = nuts_nearest(lat=lat, lon=lon, level=3, country=country)
    return nearest.code if nearest else None


def _distance(region: Any, lat: float, lon: float) -> float:
    # Equirectangular: enough to rank nearby label points.
    x = (region.lon - lon) * math.cos(math.radians(lat))
    return x * x + (region.lat - lat) ** 2


def _float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def ror_place(row: dict[str, str]) -> Place:
    """Where a ROR organisation is (its NUTS 3 in NUTS 2021 terms)."""
    lat, lon = _float(row["lat"]), _float(row["lon"])
    return Place(
        name=clean(row["city"]),
        country=row["country"],
        nuts=nuts_2021(row["nuts3"], lat=lat, lon=lon, country=row["country"]),
        lat=lat,
        lon=lon,
    )


@cache
def gazetteer() -> dict[tuple[str, str], Place]:
    """Places of NL and BE by (country, lower-case name), from the ROR file: each
    city's most frequent NUTS 3 region and its median point."""
    found: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for row in research_organisations():
        place = ror_place(row)
        if place.name:
            found[(place.country, place.name.casefold())].append(place)
    places: dict[tuple[str, str], Place] = {}
    for key, seen in sorted(found.items()):
        codes = Counter(place.nuts for place in seen if place.nuts)
        points = [place for place in seen if place.lat is not None]
        places[key] = Place(
            name=seen[0].name,
            country=key[0],
            nuts=codes.most_common(1)[0][0] if codes else None,
            lat=round(statistics.median(p.lat for p in points if p.lat is not None), 5)
            if points
            else None,
            lon=round(statistics.median(p.lon for p in points if p.lon is not None), 5)
            if points
            else None,
        )
    return places


def place_lookup(name: str, country: str) -> Place | None:
    """The place called ``name`` in ``country`` (aliases and spelling folded)."""
    key = clean(name).casefold()
    key = PLACE_ALIASES.get((country, key), key)
    return gazetteer().get((country, key))


# " (NL)" after a region's name; from the run's first white space only, so a
# long run of white space is read once.
_COUNTRY_SUFFIX = re.compile(r"(?<!\s)\s*\([A-Z]{2}\)$")


@cache
def _place_pattern(country: str) -> re.Pattern[str] | None:
    names = {
        place.name
        for (code, _), place in gazetteer().items()
        if code == country and len(place.name) >= 3
    }
    names |= set(REGION_NAMES.get(country, {}))
    names |= {
        alias.title() if not alias.startswith("'") else alias
        for (code, alias) in PLACE_ALIASES
        if code == country
    }
    names = {
        name
        for name in names
        if name not in AMBIGUOUS_NAMES or name in REGION_NAMES.get(country, {})
    }
    if not names:
        return None
    alternatives = "|".join(
        re.escape(name) for name in sorted(names, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)")


def places_named(text: str, country: str) -> list[Place]:
    """The places of ``country`` named in ``text`` (first mention first)."""
    pattern = _place_pattern(country)
    if pattern is None or not text:
        return []
    regions = REGION_NAMES.get(country, {})
    found: dict[str, Place] = {}
    for match in pattern.finditer(clean(text)):
        name = match.group(1)
        if name in regions:
            code = regions[name]
            region = nuts_region(code)
            label = _COUNTRY_SUFFIX.sub("", region.name_latin) if region else name
            place: Place | None = Place(name=label, country=country, nuts=code)
        else:
            place = place_lookup(name, country)
        if place is not None and place.nuts:
            found.setdefault(place.name, place)
    return list(found.values())


# -- hubs and their areas ----------------------------------------------------------


@dataclass
class HubAreas:
    """Which hub's area holds a place, over the hubs of one network."""

    hubs: Sequence[HubSpec]
    by_slug: dict[str, HubSpec] = field(init=False)

    def __post_init__(self) -> None:
        self.by_slug = {hub.slug: hub for hub in self.hubs}

    @property
    def top(self) -> str:
        eu = [hub.slug for hub in self.hubs if hub.level == "eu"]
        return eu[0] if eu else next(hub.slug for hub in self.hubs if not hub.parent)

    def path(self, slug: str) -> list[str]:
        path = [slug]
        while (parent := self.by_slug[path[0]].parent) is not None:
            path.insert(0, parent)
        return path

    def national(self, country: str) -> str | None:
        for hub in self.hubs:
            if hub.level == "national" and hub.country == country:
                return hub.slug
        return None

    def hub_for(
        self, *, country: str | None, nuts: str | None, finest: str = "local"
    ) -> str:
        """The hub whose area holds the place: the one with the longest NUTS code
        that is a prefix of ``nuts``, else the national hub of ``country``, else
        the top hub; no finer than the level ``finest``."""
        best: HubSpec | None = None
        for hub in self.hubs:
            if hub.level == "eu" or not hub.nuts:
                continue
            inside = nuts is not None and nuts.startswith(hub.nuts)
            if inside and (best is None or len(hub.nuts) > len(best.nuts)):
                best = hub
        slug = best.slug if best else (self.national(country or "") or self.top)
        while LEVEL_RANK[self.by_slug[slug].level] < LEVEL_RANK[finest]:
            slug = self.by_slug[slug].parent or self.top
        return slug

    def common(self, slugs: Iterable[str]) -> str:
        """The deepest hub above (or equal to) every hub of ``slugs``."""
        paths = [self.path(slug) for slug in slugs]
        if not paths:
            return self.top
        shared = paths[0]
        for path in paths[1:]:
            length = 0
            while (
                length < min(len(shared), len(path)) and shared[length] == path[length]
            ):
                length += 1
            shared = shared[:length]
        return shared[-1] if shared else self.top
