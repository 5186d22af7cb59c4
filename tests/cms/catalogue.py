"""Builders of catalogue records for the public site and API tests: own records
(published pages or records published directly) and federated ones."""

from __future__ import annotations

from typing import Any

from federation.models import StoredRecord
from federation.services.store import PublishItem, records_publish
from tests.federation.factories import body_for, body_full, stored_record


def federated(
    kind: str, *, origin: str = "nl", full: bool = False, **body: Any
) -> StoredRecord:
    """A record of ``kind`` received from hub ``origin`` (below ``eu``), with
    ``body`` fields set on the minimal (or the full) body of the kind."""
    values = body_full(kind, **body) if full else body_for(kind, **body)
    return stored_record(
        kind=kind, origin=origin, origin_path=["eu", origin], body=values
    )


def own_records(kind: str, count: int, **body: Any) -> list[StoredRecord]:
    """``count`` own records of ``kind`` published in one go (no pages)."""
    items = [
        PublishItem(kind=kind, body=body_for(kind, **body), language="nl")
        for _ in range(count)
    ]
    return records_publish(items=items)
