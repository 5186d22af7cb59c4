"""Services that write the catalogue store: publish, tombstone and apply.

Every write takes the next values of this hub's change sequence while holding the
sequence row's lock until commit, so changes become visible in sequence order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from federation.models import ChangeSequence, StoredRecord
from federation.records import (
    Record,
    RecordInvalid,
    body_validate,
    record_id_new,
    record_validate,
)
from federation.services.keys import own_key
from federation.services.store_bulk import (
    stored_records_insert,
    stored_records_update,
)
from federation.services.store_fields import UPDATE_FIELDS, store_fields
from federation.services.store_rules import (
    ApplyResult,
    newest_by_id,
    own_record_build,
    record_admit,
)
from federation.services.verify import KeyRing
from federation.signals import catalogue_changed
from federation.valid_body import ValidBody
from hubs.identity import hub_identity


class RecordNotFound(LookupError):
    """No record with this id is held here."""


class NotOwnRecord(PermissionError):
    """Only the origin hub may change a record; this one came from elsewhere."""


class _SequenceLease:
    """The locked sequence row of the current transaction."""

    def __init__(self) -> None:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("the change sequence is only taken inside a transaction")
        ChangeSequence.objects.get_or_create(pk=1)
        self._row = ChangeSequence.objects.select_for_update().get(pk=1)
        self._start = self._row.value

    def take(self) -> int:
        self._row.value += 1
        return self._row.value

    def release(self, *, source: str = "") -> None:
        """Store the counter when this transaction took any value; then
        ``catalogue_changed`` goes out once the transaction commits, naming the
        neighbour the change came from (``source``; "" for this hub's own)."""
        if self._row.value == self._start:
            return
        ChangeSequence.objects.filter(pk=1).update(value=self._row.value)
        transaction.on_commit(
            lambda: catalogue_changed.send(sender=StoredRecord, source=source)
        )


def _own_record(
    *,
    record_id: str,
    kind: str,
    version: int,
    body: dict | None,
    language: str,
    url: str,
    body_valid: bool = False,
) -> Record:
    identity = hub_identity()
    return own_record_build(
        record_id=record_id,
        kind=kind,
        origin=identity.slug,
        origin_path=identity.path,
        origin_level=identity.level,
        version=version,
        body=body,
        language=language,
        url=url,
        key=own_key(),
        body_valid=body_valid,
    )


@dataclass(frozen=True)
class PublishItem:
    """One own record to publish: its kind and body (or a ``ValidBody`` of its
    kind, not validated again), and its id when it exists."""

    kind: str
    body: dict[str, Any] | ValidBody
    record_id: str | None = None
    language: str = "en"
    url: str = ""


@transaction.atomic
def record_publish(
    *,
    kind: str,
    body: dict[str, Any],
    record_id: str | None = None,
    language: str = "en",
    url: str = "",
) -> StoredRecord:
    """Publish a new version of one of this hub's own records.

    Validates the body against the record schema (raises ``RecordInvalid``);
    republishing identical content is a no-op and keeps the version.
    """
    item = PublishItem(
        kind=kind, body=body, record_id=record_id, language=language, url=url
    )
    (stored,) = records_publish(items=[item])
    return stored


@transaction.atomic
def records_publish(*, items: Sequence[PublishItem]) -> list[StoredRecord]:
    """Publish several own records in one transaction (imports, seeding).

    All or nothing: one invalid body raises ``RecordInvalid`` and stores none.
    """
    identity = hub_identity()
    prepared = [(item, _body_clean(item)) for item in items]
    lease = _SequenceLease()
    ids = [item.record_id for item, _ in prepared if item.record_id]
    existing = {
        stored.record_id: stored
        for stored in StoredRecord.objects.select_for_update().filter(record_id__in=ids)
    }
    results: list[StoredRecord] = []
    to_create: list[StoredRecord] = []
    for item, clean_body in prepared:
        record_id = item.record_id or record_id_new(
            origin=identity.slug, kind=item.kind
        )
        held = existing.get(record_id)
        if held is not None and held.received_from:
            raise NotOwnRecord(f"{record_id} belongs to {held.origin}")
        record = _own_record(
            record_id=record_id,
            kind=item.kind,
            version=held.version + 1 if held else 1,
            body=clean_body,
            language=item.language,
            url=item.url,
            body_valid=True,
        )
        fields = store_fields(record)
        if (
            held is not None
            and not held.deleted
            and (
                held.body == record.body
                and held.language == record.language
                and held.url == fields["url"]
            )
        ):
            results.append(held)
            continue
        if held is None:
            stored = StoredRecord(
                record_id=record_id, seq=lease.take(), received_from="", **fields
            )
            to_create.append(stored)
        else:
            stored = _write_one(
                held, record, fields, seq=lease.take(), received_from=""
            )
        existing[record_id] = stored
        results.append(stored)
    stored_records_insert(rows=to_create)
    lease.release()
    return results


def _body_clean(item: PublishItem) -> dict[str, Any]:
    """The item's body validated and normalised (``RecordInvalid`` if it is not
    valid): as given when it is a ``ValidBody`` of the item's kind."""
    if isinstance(item.body, ValidBody):
        if item.body.kind == item.kind:
            return item.body.body
        return body_validate(kind=item.kind, body=item.body.body)
    return body_validate(kind=item.kind, body=item.body)


@transaction.atomic
def record_tombstone(*, record_id: str) -> StoredRecord:
    """Delete one of this hub's own records: a new version that says it is gone."""
    lease = _SequenceLease()
    existing = (
        StoredRecord.objects.select_for_update().filter(record_id=record_id).first()
    )
    if existing is None:
        raise RecordNotFound(record_id)
    if existing.received_from:
        raise NotOwnRecord(f"{record_id} belongs to {existing.origin}")
    if existing.deleted:
        return existing
    record = _own_record(
        record_id=record_id,
        kind=existing.kind,
        version=existing.version + 1,
        body=None,
        language=existing.language,
        url=existing.url,
    )
    stored = _write_one(
        existing, record, store_fields(record), seq=lease.take(), received_from=""
    )
    lease.release()
    return stored


def _write_one(
    existing: StoredRecord | None,
    record: Record,
    fields: dict[str, Any],
    *,
    seq: int,
    received_from: str,
) -> StoredRecord:
    if existing is None:
        return StoredRecord.objects.create(
            record_id=record.id, seq=seq, received_from=received_from, **fields
        )
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.seq = seq
    existing.received_from = received_from
    existing.save()
    return existing


def records_apply(
    *, records: Sequence[Record], source: str, role: str | None = None
) -> ApplyResult:
    """Apply validated records from a neighbour: a higher version wins, an equal one
    is a no-op, a lower one is stale, and records of this hub's own origin are
    ignored (so loops in the network are harmless).

    With the neighbour's ``role``, records it may not speak for are refused
    (unless they would change nothing here: a relay along a peer link); a version
    far above the one held is always refused. Must run inside the caller's
    transaction, which also moves the cursor.
    """
    result = ApplyResult()
    me = hub_identity().slug
    newest = newest_by_id(records, me=me, result=result)
    if not newest:
        return result
    lease = _SequenceLease()
    existing = {
        stored.record_id: stored
        for stored in StoredRecord.objects.select_for_update().filter(
            record_id__in=list(newest)
        )
    }
    known_paths = (
        _origin_paths_known(
            {r.origin for record_id, r in newest.items() if record_id not in existing}
        )
        if role is not None
        else {}
    )
    keys = (
        KeyRing(record.origin for record in newest.values())
        if settings.FEDERATION_VERIFY_SIGNATURES
        else None
    )
    to_create: list[StoredRecord] = []
    to_update: list[StoredRecord] = []
    for record_id, record in newest.items():
        stored = existing.get(record_id)
        held_path = (
            stored.origin_path if stored is not None else known_paths.get(record.origin)
        )
        if not record_admit(
            record,
            stored,
            held_path=held_path,
            source=source,
            role=role,
            me=me,
            keys=keys,
            result=result,
        ):
            continue
        fields = store_fields(
            record, verified=keys is not None and keys.knows(record.origin)
        )
        if stored is None:
            to_create.append(
                StoredRecord(
                    record_id=record_id,
                    seq=lease.take(),
                    received_from=source,
                    **fields,
                )
            )
        else:
            for name, value in fields.items():
                setattr(stored, name, value)
            stored.seq = lease.take()
            stored.received_from = source
            to_update.append(stored)
        result.applied.append(record_id)
    stored_records_insert(rows=to_create)
    stored_records_update(rows=to_update, fields=UPDATE_FIELDS)
    lease.release(source=source)
    return result


def _origin_paths_known(origins: set[str]) -> dict[str, list[str]]:
    """The origin path held here for each of ``origins`` (from any one of its
    records): a new record of a known origin must agree with it."""
    known: dict[str, list[str]] = {}
    for origin in origins:
        path = (
            StoredRecord.objects.filter(origin=origin)
            .order_by()
            .values_list("origin_path", flat=True)[:1]
        )
        if path:
            known[origin] = list(path[0])
    return known


def records_validate(
    items: Iterable[Any],
) -> tuple[list[Record], list[tuple[Any, str]]]:
    """Split raw wire records into valid ones and (raw, reason) rejects."""
    valid: list[Record] = []
    invalid: list[tuple[Any, str]] = []
    for item in items:
        try:
            valid.append(record_validate(item))
        except RecordInvalid as error:
            invalid.append((item, str(error)))
    return valid, invalid
