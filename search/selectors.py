"""Read-only views of the indexing state: backlog, indices, counts, engine health,
dead letters."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from federation.selectors import sequence_latest
from search.engine import EngineHealth, SearchEngine, SearchError, search_engine
from search.index import index_alias, index_pattern
from search.models import DeadLetter, IndexWatermark

# Dead letters the status shows in full (the count covers them all).
STATUS_DEAD_LETTERS = 5


@dataclass(frozen=True)
class IndexStatus:
    """Where indexing stands, for ``hubnet search status`` and admin pages.

    ``backlog`` counts sequence values not yet confirmed by the engine (changes
    waiting in the outbox). Counts are None when the engine cannot be asked.
    """

    alias: str
    watermark: int
    latest_seq: int
    backlog: int
    engine: EngineHealth
    alias_targets: list[str]
    indices: dict[str, int]
    live: int | None
    tombstones: int | None
    last_drain_at: dt.datetime | None
    last_error: str
    last_error_at: dt.datetime | None
    failing_seq: int | None
    failing_attempts: int
    failing_since: dt.datetime | None
    max_attempts: int
    dead_letters: int
    dead_letters_recent: list[DeadLetterRow]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("last_drain_at", "last_error_at", "failing_since"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        data["dead_letters_recent"] = [
            row.as_dict() for row in self.dead_letters_recent
        ]
        return data


@dataclass(frozen=True)
class DeadLetterRow:
    """One dead letter as the status and the admin show it."""

    record_id: str
    seq: int
    version: int
    status: int
    reason: str
    attempts: int
    first_failed_at: dt.datetime
    last_failed_at: dt.datetime

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("first_failed_at", "last_failed_at"):
            data[key] = data[key].isoformat()
        return data


def dead_letters_list(*, limit: int | None = None) -> list[DeadLetterRow]:
    """Dead letters, the most recently failed first (``limit`` of them)."""
    letters: QuerySet[DeadLetter] = DeadLetter.objects.order_by(
        "-last_failed_at", "record_id"
    )
    if limit is not None:
        letters = letters[:limit]
    return [
        DeadLetterRow(
            record_id=letter.record_id,
            seq=letter.seq,
            version=letter.version,
            status=letter.status,
            reason=letter.reason,
            attempts=letter.attempts,
            first_failed_at=letter.first_failed_at,
            last_failed_at=letter.last_failed_at,
        )
        for letter in letters
    ]


@dataclass(frozen=True)
class DrainState:
    """Where the drain stands, from this hub's database alone (no engine call)."""

    watermark: int
    latest_seq: int
    backlog: int
    failing_seq: int | None
    failing_attempts: int
    failing_since: dt.datetime | None
    max_attempts: int
    last_error: str
    last_error_at: dt.datetime | None
    last_drain_at: dt.datetime | None


def drain_state_get() -> DrainState:
    """The watermark row and the change sequence, for the admin's dead letters."""
    mark = IndexWatermark.objects.filter(pk=1).first() or IndexWatermark()
    latest = sequence_latest()
    return DrainState(
        watermark=mark.indexed_seq,
        latest_seq=latest,
        backlog=max(latest - mark.indexed_seq, 0),
        failing_seq=mark.failing_seq,
        failing_attempts=mark.failing_attempts,
        failing_since=mark.failing_since,
        max_attempts=settings.SEARCH_DRAIN_MAX_ATTEMPTS,
        last_error=mark.last_error,
        last_error_at=mark.last_error_at,
        last_drain_at=mark.last_drain_at,
    )


def dead_letters_count() -> int:
    return DeadLetter.objects.count()


def index_status(*, engine: SearchEngine | None = None) -> IndexStatus:
    """The indexing status of this hub and the shared index; never raises for an
    unreachable engine (it shows in ``engine``)."""
    engine = engine or search_engine()
    alias = index_alias()
    mark = IndexWatermark.objects.filter(pk=1).first() or IndexWatermark()
    latest = sequence_latest()
    health = engine.health()
    targets: list[str] = []
    indices: dict[str, int] = {}
    live = tombstones = None
    if health.ok:
        try:
            targets = engine.alias_targets(alias=alias)
            indices = engine.indices_docs(pattern=index_pattern(alias=alias))
            if targets:
                live = engine.count(
                    index=alias, body={"query": {"term": {"deleted": False}}}
                )
                tombstones = engine.count(
                    index=alias, body={"query": {"term": {"deleted": True}}}
                )
        except SearchError:
            pass  # the health probe said ok a moment ago; show what we have
    return IndexStatus(
        alias=alias,
        watermark=mark.indexed_seq,
        latest_seq=latest,
        backlog=max(latest - mark.indexed_seq, 0),
        engine=health,
        alias_targets=targets,
        indices=indices,
        live=live,
        tombstones=tombstones,
        last_drain_at=mark.last_drain_at,
        last_error=mark.last_error,
        last_error_at=mark.last_error_at,
        failing_seq=mark.failing_seq,
        failing_attempts=mark.failing_attempts,
        failing_since=mark.failing_since,
        max_attempts=settings.SEARCH_DRAIN_MAX_ATTEMPTS,
        dead_letters=dead_letters_count(),
        dead_letters_recent=dead_letters_list(limit=STATUS_DEAD_LETTERS),
    )
