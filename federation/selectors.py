"""Read-only queries over the catalogue store."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from django.db.models import QuerySet

from federation.models import ChangeSequence, StoredRecord
from hubs.models import HubKey

CURSOR_PREFIX = "seq:"


def cursor_encode(seq: int) -> str:
    """An opaque cursor for a position in this hub's change feed."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{seq}".encode()).decode()


def cursor_decode(cursor: str | None) -> int:
    """The sequence position of ``cursor`` (0 for none); raises ValueError."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("malformed cursor") from None
    if not text.startswith(CURSOR_PREFIX) or not text[len(CURSOR_PREFIX) :].isdigit():
        raise ValueError("malformed cursor")
    return int(text[len(CURSOR_PREFIX) :])


def sequence_latest() -> int:
    """The newest committed change sequence value."""
    row = ChangeSequence.objects.filter(pk=1).values_list("value", flat=True).first()
    return row or 0


def changes_after(
    *, after_seq: int, first: int, kinds: list[str] | None = None
) -> list[StoredRecord]:
    """Up to ``first`` records changed after ``after_seq``, in sequence order.

    One query. Because sequence values commit in order, nothing below the last
    returned value can still appear later.
    """
    records = StoredRecord.objects.filter(seq__gt=after_seq)
    if kinds:
        records = records.filter(kind__in=kinds)
    return list(records.order_by("seq")[:first])


def record_get(*, record_id: str) -> StoredRecord | None:
    return StoredRecord.objects.filter(record_id=record_id).first()


def records_filter(
    *,
    kinds: list[str] | None = None,
    origin: str | None = None,
    within: str | None = None,
    country: str | None = None,
    include_deleted: bool = False,
    text: str | None = None,
) -> QuerySet[StoredRecord]:
    """Records for browsing, newest change first."""
    records = StoredRecord.objects.all()
    if not include_deleted:
        records = records.filter(deleted=False)
    if kinds:
        records = records.filter(kind__in=kinds)
    if origin:
        records = records.filter(origin=origin)
    if within:
        records = (
            records.filter(origin_path__contains=[within])
            if _json_contains()
            else (records.filter(origin_path__icontains=f'"{within}"'))
        )
    if country:
        records = records.filter(country=country.upper())
    if text:
        records = records.filter(title__icontains=text)
    return records.order_by("-seq")


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def record_wire(stored: StoredRecord) -> dict[str, Any]:
    """The record in its wire form, built from the stored columns."""
    return {
        "id": stored.record_id,
        "kind": stored.kind,
        "origin": stored.origin,
        "originPath": stored.origin_path,
        "originLevel": stored.origin_level or None,
        "version": stored.version,
        "updatedAt": stored.updated_at.isoformat().replace("+00:00", "Z"),
        "deleted": stored.deleted,
        "language": stored.language,
        "url": stored.url or None,
        "schemaVersion": stored.schema_version,
        "body": stored.body,
        "signature": stored.signature or None,
        "keyId": stored.key_id or None,
    }


def record_provenance(stored: StoredRecord | None) -> dict[str, Any] | None:
    """Who signed this version and whether this hub verified the signature
    against the origin's pinned key (None for an unsigned record)."""
    if stored is None or not stored.signature:
        return None
    return {
        "signedBy": stored.origin,
        "keyId": stored.key_id,
        "verified": stored.verified,
    }


def signing_keys_list() -> QuerySet[HubKey]:
    """Every signing key held here (own and pinned), by origin, oldest first."""
    return HubKey.objects.order_by("origin", "created_at")


def catalogue_digest(*, origin: str | None = None) -> dict[str, Any]:
    """Counts and a SHA-256 over sorted (id, version, deleted, content hash) of
    held records, so equal versions with different bodies differ."""

    records = StoredRecord.objects.all()
    if origin:
        records = records.filter(origin=origin)
    digest = hashlib.sha256()
    total = deleted = 0
    rows = records.order_by("record_id").values_list(
        "record_id", "version", "deleted", "content_hash"
    )
    for record_id, version, is_deleted, body_hash in rows.iterator(chunk_size=5000):
        digest.update(f"{record_id}|{version}|{int(is_deleted)}|{body_hash}\n".encode())
        total += 1
        deleted += int(is_deleted)
    return {
        "records": total,
        "deleted": deleted,
        "latestSequence": sequence_latest(),
        "digest": digest.hexdigest(),
    }
