"""This hub's identity, read once from settings."""

from dataclasses import dataclass
from functools import cache

from django.conf import settings


@dataclass(frozen=True)
class HubIdentity:
    """Who this hub is: the fields every record's envelope and /healthz carry."""

    slug: str
    name: str
    level: str
    country: str
    nuts: str
    latitude: float | None
    longitude: float | None
    path: tuple[str, ...]
    public_url: str
    parent_url: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "slug": self.slug,
            "name": self.name,
            "level": self.level,
            "country": self.country or None,
            "nuts": self.nuts or None,
            "location": (
                {"lat": self.latitude, "lon": self.longitude}
                if self.latitude is not None and self.longitude is not None
                else None
            ),
            "path": list(self.path),
            "url": self.public_url,
        }


@cache
def hub_identity() -> HubIdentity:
    """Return this hub's identity (settings do not change while a process runs)."""
    return HubIdentity(
        slug=settings.HUB_SLUG,
        name=settings.HUB_NAME,
        level=settings.HUB_LEVEL,
        country=settings.HUB_COUNTRY,
        nuts=settings.HUB_NUTS,
        latitude=settings.HUB_LATITUDE,
        longitude=settings.HUB_LONGITUDE,
        path=tuple(settings.HUB_PATH),
        public_url=settings.HUB_PUBLIC_URL.rstrip("/"),
        parent_url=settings.HUB_PARENT_URL,
    )
