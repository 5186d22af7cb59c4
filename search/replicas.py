"""Replicas of the shared index: apply ``SEARCH_INDEX_REPLICAS`` to the index
that exists (an index takes it when created; a cluster that grows or shrinks, or
a changed setting, needs it applied to the live one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from search.engine import SearchEngine, SearchError, search_engine
from search.index import index_alias, index_replica_settings


@dataclass(frozen=True)
class ReplicasApplied:
    """The physical index changed and the settings it was given."""

    index: str
    settings: dict[str, Any]


def index_replicas_apply(*, engine: SearchEngine | None = None) -> ReplicasApplied:
    """Give the physical index behind the alias this hub's replica settings.

    Safe to repeat; the engine allocates or drops copies in the background (the
    cluster is yellow while new copies recover). Raises ``SearchError`` when the
    alias points at no index or at several.
    """
    engine = engine or search_engine()
    alias = index_alias()
    targets = engine.alias_targets(alias=alias)
    if len(targets) != 1:
        raise SearchError(f"alias {alias} points at {len(targets)} indices, not one")
    replica_settings = index_replica_settings()
    engine.index_settings_put(name=targets[0], settings=replica_settings)
    return ReplicasApplied(index=targets[0], settings=replica_settings)
