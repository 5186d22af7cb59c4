"""Builders of wire records for the search tests: places with known coordinates,
hubs at every level, and validated records (``federation.records``)."""

import uuid
from dataclasses import dataclass
from typing import Any

from federation.records import record_validate
from search.engine import SearchEngine
from search.indexing import index_ensure, records_index
from tests.federation.factories import body_for, body_full


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    nuts: str
    country: str
    name: str

    def location(self) -> dict[str, Any]:
        return {
            "lat": self.lat,
            "lon": self.lon,
            "nuts": [self.nuts],
            "country": self.country,
            "place": self.name,
        }


# Distances from Eindhoven (haversine): Veldhoven 5.3 km, Helmond 13.6 km,
# Tilburg 29.1 km, 's-Hertogenbosch 30.7 km, Utrecht 76.1 km, Leuven 82.3 km,
# Amsterdam 110.0 km, Munich 572 km.
PLACES = {
    "eindhoven": Place(51.4416, 5.4697, "NL414", "NL", "Eindhoven"),
    "veldhoven": Place(51.4180, 5.4040, "NL414", "NL", "Veldhoven"),
    "helmond": Place(51.4793, 5.6570, "NL414", "NL", "Helmond"),
    "tilburg": Place(51.5555, 5.0913, "NL412", "NL", "Tilburg"),
    "den-bosch": Place(51.6978, 5.3037, "NL413", "NL", "'s-Hertogenbosch"),
    "utrecht": Place(52.0907, 5.1214, "NL310", "NL", "Utrecht"),
    "amsterdam": Place(52.3676, 4.9041, "NL329", "NL", "Amsterdam"),
    "leuven": Place(50.8798, 4.7005, "BE242", "BE", "Leuven"),
    "munich": Place(48.1351, 11.5820, "DE212", "DE", "München"),
}

# Hubs of a small network: slug → (originPath, level).
HUBS = {
    "eu": (["eu"], "eu"),
    "nl": (["eu", "nl"], "national"),
    "nl-nb": (["eu", "nl", "nl-nb"], "regional"),
    "den-bosch": (["eu", "nl", "nl-nb", "den-bosch"], "local"),
    "eindhoven": (["eu", "nl", "nl-nb", "eindhoven"], "local"),
    # A local hub directly under a national one: path depth is not the level.
    "amsterdam": (["eu", "nl", "amsterdam"], "local"),
    "be": (["eu", "be"], "national"),
}


def wire(
    *,
    kind: str = "project",
    hub: str = "nl",
    version: int = 1,
    language: str = "nl",
    deleted: bool = False,
    record_id: str | None = None,
    updated_at: str = "2026-11-01T10:00:00Z",
    full: bool = False,
    **body: Any,
) -> dict[str, Any]:
    """A validated record in wire form from ``hub`` with ``body`` over the
    minimal body of ``kind`` (``full``: over the body with every field set)."""
    path, level = HUBS[hub]
    data = {
        "id": record_id or f"{hub}:{kind}:{uuid.uuid4()}",
        "kind": kind,
        "origin": hub,
        "originPath": path,
        "originLevel": level,
        "version": version,
        "updatedAt": updated_at,
        "deleted": deleted,
        "language": language,
        "url": f"https://{hub}.example.org/r/1",
        "schemaVersion": 1,
        "body": None if deleted else (body_full if full else body_for)(kind, **body),
    }
    return record_validate(data).wire()


def tombstone(record: dict[str, Any]) -> dict[str, Any]:
    """The tombstone that follows ``record`` (next version)."""
    data = {**record, "version": record["version"] + 1, "deleted": True, "body": None}
    return record_validate(data).wire()


def index_all(
    engine: SearchEngine, records: list[dict[str, Any]], **ensure: Any
) -> None:
    """Write ``records`` to the alias (creating the index) and make them visible."""
    index_ensure(engine=engine, **ensure)
    result = records_index(records=records, engine=engine, refresh=True)
    assert result.failed == []
