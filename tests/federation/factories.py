"""Builders of valid wire records and bodies for the federation tests.

(Shared by several test modules: extend, do not fork.)
"""

import uuid
from typing import Any

BODIES: dict[str, dict[str, Any]] = {
    "project": {
        "name": "Parkeerscan",
        "shortDescription": "Scan cars to check parking permits.",
        "organisation": "Gemeente 's-Hertogenbosch",
        "status": "in-use",
        "aiActClass": "limited",
        "location": {"lat": 51.6978, "lon": 5.3037, "nuts": ["NL414"], "country": "NL"},
    },
    "dataset": {
        "title": "Parkeervergunningen",
        "publisher": "Gemeente 's-Hertogenbosch",
        "accessRights": "public",
    },
    "course": {"title": "AI voor beleidsmakers", "provider": "JADS", "mode": "blended"},
    "organisation": {"name": "TU/e", "type": "knowledge-institution"},
}


def body_for(kind: str, **overrides: Any) -> dict[str, Any]:
    """A minimal valid body of ``kind``, with ``overrides`` applied."""
    return {**BODIES[kind], **overrides}


def record_id_for(origin: str, kind: str) -> str:
    return f"{origin}:{kind}:{uuid.uuid4()}"


def wire_record(
    *,
    kind: str = "project",
    origin: str = "nl",
    origin_path: list[str] | None = None,
    version: int = 1,
    record_id: str | None = None,
    deleted: bool = False,
    body: dict[str, Any] | None = None,
    **body_overrides: Any,
) -> dict[str, Any]:
    """A valid record in wire form (as a peer's feed carries it)."""
    return {
        "id": record_id or record_id_for(origin, kind),
        "kind": kind,
        "origin": origin,
        "originPath": origin_path or ["eu", origin],
        "version": version,
        "updatedAt": "2026-11-01T10:00:00Z",
        "deleted": deleted,
        "language": "nl",
        "url": f"https://{origin}.example.org/r/1",
        "schemaVersion": 1,
        "body": None if deleted else (body or body_for(kind, **body_overrides)),
    }
