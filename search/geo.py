"""Points and distances on the earth, for geo filters and result distances."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class GeoPoint:
    """A WGS 84 point; raises ValueError when out of range."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not -90 <= self.lat <= 90 or not -180 <= self.lon <= 180:
            raise ValueError(f"({self.lat}, {self.lon}) is not a point on the earth")

    @classmethod
    def of(cls, value: GeoPoint | tuple[float, float] | None) -> GeoPoint | None:
        """A point from a GeoPoint or a (lat, lon) pair; None stays None."""
        if value is None or isinstance(value, GeoPoint):
            return value
        lat, lon = value
        return cls(lat=float(lat), lon=float(lon))

    def as_dict(self) -> dict[str, float]:
        return {"lat": self.lat, "lon": self.lon}


def distance_km(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle (haversine) distance in kilometres, as the engine computes it
    for ``arc`` distances."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = (
        math.sin(dlat / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
