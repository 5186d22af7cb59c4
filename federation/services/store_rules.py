"""The store's rules that need no database: building a signed own version, and
deciding record by record what applying a neighbour's records does.

The Django store (``federation.services.store``) reads and writes the rows and
calls these; so does any other store that must behave like a hub's (the network
simulation in ``bench/network_scale.py``), so both follow the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.utils import timezone

from federation.record_versions import schema_version_of
from federation.records import Record, record_validate
from federation.services.authority import record_authority_reason, version_jump_reason
from federation.signing import record_canonical, sign

if TYPE_CHECKING:
    from federation.services.keys import OwnKey
    from federation.services.verify import KeyRing


class HeldVersion(Protocol):
    """What the rules read of the version a store holds (a ``StoredRecord``)."""

    version: int
    origin: str
    received_from: str


def own_record_build(
    *,
    record_id: str,
    kind: str,
    origin: str,
    origin_path: Sequence[str],
    origin_level: str,
    version: int,
    body: dict | None,
    language: str,
    url: str,
    key: OwnKey,
    body_valid: bool = False,
) -> Record:
    """One version of an own record (``body`` None: a tombstone), validated and
    signed with the hub's key; ``body_valid``: the body is ``body_validate``'s
    output (not validated again)."""
    record = record_validate(
        {
            "id": record_id,
            "kind": kind,
            "origin": origin,
            "originPath": list(origin_path),
            "originLevel": origin_level,
            "version": version,
            "updatedAt": timezone.now().isoformat(),
            "deleted": body is None,
            "language": language,
            "url": url or None,
            "schemaVersion": schema_version_of(kind=kind, body=body),
            "body": body,
        },
        body_valid=body_valid,
    )
    return record.model_copy(
        update={
            "signature": sign(key.private, record_canonical(record)),
            "key_id": key.key_id,
        }
    )


@dataclass
class ApplyResult:
    """What applying a page of peer records did, record by record."""

    applied: list[str] = field(default_factory=list)
    unchanged: int = 0
    stale: int = 0
    own: int = 0
    # Records refused with the reason (to quarantine): out of the sender's
    # authority, or a version jump beyond SYNC_MAX_VERSION_JUMP.
    refused: list[tuple[Record, str]] = field(default_factory=list)

    def merge(self, other: ApplyResult) -> None:
        self.applied += other.applied
        self.unchanged += other.unchanged
        self.stale += other.stale
        self.own += other.own
        self.refused += other.refused


def newest_by_id(
    records: Sequence[Record], *, me: str, result: ApplyResult
) -> dict[str, Record]:
    """The batch's highest version of each id, without this hub's own records
    (counted in ``result``, as are the duplicates: one of each pair is stale)."""
    newest: dict[str, Record] = {}
    for record in records:
        if record.origin == me:
            result.own += 1
            continue
        held = newest.get(record.id)
        if held is not None:
            result.stale += 1
            if held.version >= record.version:
                continue
        newest[record.id] = record
    return newest


def record_admit(
    record: Record,
    stored: HeldVersion | None,
    *,
    held_path: list[str] | None,
    source: str,
    role: str | None,
    me: str,
    keys: KeyRing | None,
    result: ApplyResult,
) -> bool:
    """Whether ``record`` (from neighbour ``source``) changes the store holding
    ``stored``: a higher version wins, an equal one is a no-op, a lower one is
    stale, and a record the neighbour may not send or whose signature fails is
    refused. What does not change the store is counted in ``result``."""
    reason = _refusal_reason(
        record, stored, held_path=held_path, source=source, role=role, me=me
    )
    if reason is not None:
        if stored is not None and stored.version >= record.version:
            result.stale += 1
        else:
            result.refused.append((record, reason))
        return False
    if stored is not None:
        if stored.version > record.version:
            result.stale += 1
            return False
        if stored.version == record.version:
            result.unchanged += 1
            return False
        if not stored.received_from and stored.origin == me:
            result.own += 1
            return False
    # Checked last: only records that would change the store pay for it.
    unsigned = keys.refusal(record) if keys is not None else None
    if unsigned is not None:
        result.refused.append((record, unsigned))
        return False
    return True


def _refusal_reason(
    record: Record,
    stored: HeldVersion | None,
    *,
    held_path: list[str] | None,
    source: str,
    role: str | None,
    me: str,
) -> str | None:
    if role is not None:
        reason = record_authority_reason(
            record=record,
            held_path=held_path,
            neighbour=source,
            role=role,
            me=me,
        )
        if reason is not None:
            return reason
    return version_jump_reason(
        record=record, held_version=stored.version if stored is not None else 0
    )
