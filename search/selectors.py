"""Read-only views of the indexing state: backlog, indices, counts, engine health."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from federation.selectors import sequence_latest
from search.engine import EngineHealth, SearchEngine, SearchError, search_engine
from search.index import index_alias, index_pattern
from search.models import IndexWatermark


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

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("last_drain_at", "last_error_at"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data


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
    )
