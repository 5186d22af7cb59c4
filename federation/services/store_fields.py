"""The stored columns of a record version: what the store writes on publish
and on apply (the searchable copies and the content hash are derived here)."""

from __future__ import annotations

from typing import Any

from federation.records import Record, content_hash


def _searchable(body: dict[str, Any] | None) -> tuple[str, str]:
    if not body:
        return "", ""
    title = body.get("name") or body.get("title") or ""
    country = (body.get("location") or {}).get("country") or ""
    return str(title)[:300], str(country)[:2]


def store_fields(record: Record, *, verified: bool = True) -> dict[str, Any]:
    title, country = _searchable(record.body)
    return {
        "signature": record.signature or "",
        "key_id": record.key_id or "",
        "verified": verified and bool(record.signature),
        "kind": record.kind.value,
        "origin": record.origin,
        "origin_path": list(record.origin_path),
        "origin_level": record.origin_level or "",
        "version": record.version,
        "updated_at": record.updated_at,
        "deleted": record.deleted,
        "language": record.language,
        "url": str(record.url) if record.url else "",
        "schema_version": record.schema_version,
        "body": record.body,
        "title": title,
        "country": country,
        "content_hash": content_hash(record),
    }


UPDATE_FIELDS = [
    "kind",
    "origin",
    "origin_path",
    "origin_level",
    "version",
    "updated_at",
    "deleted",
    "language",
    "url",
    "schema_version",
    "body",
    "title",
    "country",
    "content_hash",
    "signature",
    "key_id",
    "verified",
    "seq",
    "received_from",
]
