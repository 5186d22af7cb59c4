"""Dead letters: changes the search engine refuses for good.

A change the engine refuses for a reason of the record itself (HTTP 4xx such as
``mapper_parsing_exception`` or ``illegal_argument_exception``) is sent again by
the next drains, counted on the watermark row (``failing_seq``,
``failing_attempts``). After ``SEARCH_DRAIN_MAX_ATTEMPTS`` attempts it becomes a
``DeadLetter`` and the drain moves past it: one bad record no longer holds every
later change of this hub, nor of every hub that holds the same record.

Refusals that describe the engine rather than the record never dead-letter: 409
(stale, counts as done), 429 (throttled), 5xx, 401/403 (credentials, a cluster
block), 404 (a missing index or alias), 408, or an unreachable engine.

``search.redrive.dead_letters_redrive`` sends them again once the cause is
fixed. A regular drain that gets a newer version of a dead-lettered record
accepted removes its row as well.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from federation.models import StoredRecord
from search.models import DeadLetter

logger = logging.getLogger(__name__)

# 4xx answers about the engine's state, not the record: retried, never dead-lettered.
_ENGINE_STATE_STATUSES = frozenset({401, 403, 404, 408, 409, 429})
_REASON_MAX = 2000


def refusal_is_permanent(item: dict[str, Any]) -> bool:
    """Whether a refused bulk item (``{"id", "status", "error"}``) is the record's
    own fault, which retrying alone will not fix."""
    status = item.get("status")
    return (
        isinstance(status, int)
        and 400 <= status < 500
        and status not in _ENGINE_STATE_STATUSES
    )


def refusal_reason(item: dict[str, Any]) -> str:
    """The engine's reason for a refused item, with its first cause, as one line."""
    error = item.get("error")
    if not isinstance(error, dict):
        return str(error or "refused")[:_REASON_MAX]
    reason = f"{error.get('type')}: {error.get('reason')}"
    cause = error.get("caused_by")
    if isinstance(cause, dict):
        reason += f" (caused by {cause.get('type')}: {cause.get('reason')})"
    return reason[:_REASON_MAX]


def dead_letter_record(
    *,
    stored: StoredRecord,
    item: dict[str, Any],
    attempts: int,
    first_failed_at: dt.datetime | None,
) -> DeadLetter:
    """Keep a refused change as a dead letter (one row per record: a later
    version's failure updates it, adding its attempts)."""
    now = timezone.now()
    with transaction.atomic():
        letter = (
            DeadLetter.objects.select_for_update()
            .filter(record_id=stored.record_id)
            .first()
        )
        if letter is None:
            letter = DeadLetter(
                record_id=stored.record_id,
                attempts=0,
                first_failed_at=first_failed_at or now,
            )
        letter.seq = max(stored.seq, letter.seq or 0)
        letter.version = max(stored.version, letter.version or 0)
        letter.status = int(item.get("status") or 0)
        letter.reason = refusal_reason(item)
        letter.attempts += attempts
        letter.last_failed_at = now
        letter.save()
    logger.error(
        "search dead letter: %s v%s (seq %s) refused %s times: %s %s",
        letter.record_id,
        stored.version,
        stored.seq,
        attempts,
        letter.status,
        letter.reason,
    )
    return letter


def dead_letters_resolve(*, accepted: Iterable[StoredRecord]) -> int:
    """Remove the dead letters of records whose version (or a newer one) the
    engine has now accepted; returns how many. Cheap when there are none."""
    versions = {stored.record_id: stored.version for stored in accepted}
    if not versions or not DeadLetter.objects.exists():
        return 0
    resolved = [
        letter.pk
        for letter in DeadLetter.objects.filter(record_id__in=versions)
        if versions[letter.record_id] >= letter.version
    ]
    if resolved:
        DeadLetter.objects.filter(pk__in=resolved).delete()
    return len(resolved)
