"""Re-driving dead letters: send the records the engine refused for good again,
once the cause is fixed (``hubnet search redrive``, the admin's re-drive button).
Each re-driven dead letter leaves an entry in Wagtail's audit log, with who
re-drove it (nobody from the command line) and what became of it; the entries of
one re-drive share its uuid.

Each dead-lettered record is sent in its current stored version (it may have
changed since it failed). Rows the engine takes, or finds stale because a newer
version is indexed already, are removed; the others stay, with their attempts,
status and reason updated.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone
from wagtail import log_actions

from federation.models import StoredRecord
from federation.selectors import record_get, record_wire
from search.audit import (
    DEAD_LETTER_REDRIVE,
    REDRIVE_ACCEPTED,
    REDRIVE_GONE,
    REDRIVE_REFUSED,
)
from search.dead_letters import refusal_reason
from search.engine import SearchEngine, search_engine
from search.indexing import index_ensure, records_index
from search.models import DeadLetter

logger = logging.getLogger(__name__)


@dataclass
class RedriveResult:
    """What a re-drive did: records indexed, found stale (a newer version is in the
    index), still refused, gone from the store, and ids asked for but unknown."""

    indexed: int = 0
    stale: int = 0
    refused: int = 0
    gone: int = 0
    unknown: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "indexed": self.indexed,
            "stale": self.stale,
            "refused": self.refused,
            "gone": self.gone,
            "unknown": self.unknown,
        }


def dead_letters_redrive(
    *,
    record_ids: list[str] | None = None,
    engine: SearchEngine | None = None,
    batch_size: int = 500,
    user: AbstractBaseUser | AnonymousUser | None = None,
) -> RedriveResult:
    """Send the current stored version of dead-lettered records (all, or those of
    ``record_ids``) to the engine again and keep only the rows it still refuses.
    Each one re-driven is audited, by ``user`` (None: the command line).

    Raises ``SearchUnavailable`` (and changes nothing) when the engine is down.
    """
    letters = DeadLetter.objects.order_by("seq")
    result = RedriveResult()
    if record_ids is not None:
        letters = letters.filter(record_id__in=record_ids)
        known = set(letters.values_list("record_id", flat=True))
        result.unknown = [rid for rid in dict.fromkeys(record_ids) if rid not in known]
    letters_list = list(letters)
    if not letters_list:
        return result
    engine = engine or search_engine()
    index_ensure(engine=engine)
    # One context: the entries of this re-drive share a uuid.
    with log_actions.LogContext(user=user):
        for start in range(0, len(letters_list), batch_size):
            _redrive_batch(letters_list[start : start + batch_size], engine, result)
    logger.info(
        "search dead letters re-driven by %s: %s",
        user.get_username() if user is not None else "the system",
        result.as_dict(),
    )
    return result


def _audit(letter: DeadLetter, *, version: int, outcome: str) -> None:
    log_actions.log(
        instance=letter,
        action=DEAD_LETTER_REDRIVE,
        title=letter.record_id,
        data={"record_id": letter.record_id, "version": version, "outcome": outcome},
    )


def _redrive_batch(
    letters: list[DeadLetter], engine: SearchEngine, result: RedriveResult
) -> None:
    records: dict[str, StoredRecord] = {}
    for letter in letters:
        stored = record_get(record_id=letter.record_id)
        if stored is None:  # nothing left to index
            _audit(letter, version=letter.version, outcome=REDRIVE_GONE)
            letter.delete()
            result.gone += 1
        else:
            records[letter.record_id] = stored
    if not records:
        return
    answer = records_index(
        records=[record_wire(stored) for stored in records.values()], engine=engine
    )
    refused = {item["id"]: item for item in answer.failed}
    result.indexed += answer.written
    result.stale += answer.stale
    result.refused += len(refused)
    now = timezone.now()
    for letter in letters:
        stored = records.get(letter.record_id)
        if stored is None:
            continue
        item = refused.get(letter.record_id)
        if item is None:
            _audit(letter, version=stored.version, outcome=REDRIVE_ACCEPTED)
            letter.delete()
            continue
        _audit(letter, version=stored.version, outcome=REDRIVE_REFUSED)
        DeadLetter.objects.filter(pk=letter.pk).update(
            seq=stored.seq,
            version=stored.version,
            status=int(item.get("status") or 0),
            reason=refusal_reason(item),
            attempts=letter.attempts + 1,
            last_failed_at=now,
        )
