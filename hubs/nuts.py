"""NUTS 2021: the EU's hierarchy of regions, with names and label points.

NUTS codes nest by prefix: a country (level 0, ``NL``), then levels 1 to 3 add one
character each (``NL4`` Zuid-Nederland, ``NL41`` Noord-Brabant, ``NL414``
Zuidoost-Noord-Brabant). So the ancestors of a code are its prefixes, and "in
Noord-Brabant" means "has a NUTS code starting with NL41".

The list of regions ships with the project (``hubs/data/nuts2021.csv``, see the
README there for source and attribution) and is read once per process. This module
lives in ``hubs`` because every app may use it (search, cms): it imports nothing
from the project.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NUTS_FILE = Path(__file__).resolve().parent / "data" / "nuts2021.csv"
NUTS_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
# NUTS country codes that differ from ISO 3166-1 alpha-2.
_NUTS_TO_ISO = {"EL": "GR", "UK": "GB"}
_ISO_TO_NUTS = {iso: nuts for nuts, iso in _NUTS_TO_ISO.items()}


@dataclass(frozen=True)
class NutsRegion:
    """One NUTS region: code, level (0-3), names and label point."""

    code: str
    level: int
    name: str
    name_latin: str
    lat: float
    lon: float

    @property
    def country(self) -> str:
        """The ISO 3166-1 alpha-2 code of the region's country (``EL`` → ``GR``)."""
        return nuts_country(self.code)

    @property
    def parent(self) -> str | None:
        """The code one level up, None for a country."""
        return self.code[:-1] if self.level > 0 else None


def nuts_validate(code: str) -> str:
    """``code`` if it is shaped like a NUTS code (NL .. NL414); else ValueError."""
    if not isinstance(code, str) or not NUTS_CODE.match(code):
        raise ValueError(f"{code!r} is not a NUTS code")
    return code


def nuts_level(code: str) -> int:
    """The level of a NUTS code, from its length: ``NL`` 0 ... ``NL414`` 3."""
    return len(nuts_validate(code)) - 2


def nuts_ancestors(code: str) -> list[str]:
    """The code and every region above it, top first: NL414 → NL, NL4, NL41, NL414.

    Pure prefix arithmetic, so it also works for codes missing from the list
    (e.g. the statistical "extra-regio" codes ending in Z).
    """
    nuts_validate(code)
    return [code[:length] for length in range(2, len(code) + 1)]


def nuts_country(code: str) -> str:
    """The ISO 3166-1 alpha-2 country of a NUTS code (``EL30`` → ``GR``)."""
    prefix = nuts_validate(code)[:2]
    return _NUTS_TO_ISO.get(prefix, prefix)


def country_nuts(country: str) -> str:
    """The NUTS level-0 code of an ISO country code (``GR`` → ``EL``)."""
    return _ISO_TO_NUTS.get(country, country)


@cache
def nuts_regions() -> dict[str, NutsRegion]:
    """Every NUTS 2021 region by code (read from the shipped CSV once)."""
    with NUTS_FILE.open(encoding="utf-8", newline="") as source:
        return {
            row["code"]: NutsRegion(
                code=row["code"],
                level=int(row["level"]),
                name=row["name"],
                name_latin=row["name_latin"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
            )
            for row in csv.DictReader(source)
        }


def nuts_region(code: str) -> NutsRegion | None:
    """The region with this code, None when the code is not in NUTS 2021."""
    return nuts_regions().get(code)


def nuts_children(code: str) -> list[NutsRegion]:
    """The regions one level below ``code``, by code."""
    level = nuts_level(code)
    return sorted(
        (
            region
            for region in nuts_regions().values()
            if region.level == level + 1 and region.code.startswith(code)
        ),
        key=lambda region: region.code,
    )


def nuts_nearest(
    *, lat: float, lon: float, level: int = 3, country: str | None = None
) -> NutsRegion | None:
    """The region of ``level`` whose label point is nearest to (lat, lon).

    An approximation of "the region this point lies in" (NUTS polygons are not
    shipped): right well inside a region, possibly a neighbour near its border.
    ``country`` (ISO code) restricts the candidates.
    """
    prefix = country_nuts(country) if country else ""
    candidates = [
        region
        for region in nuts_regions().values()
        if region.level == level and region.code.startswith(prefix)
    ]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda region: _squared_angle(lat, lon, region.lat, region.lon),
    )


def _squared_angle(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # An equirectangular distance: enough to rank nearby label points.
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return x * x + y * y
