"""Rebuild the shared index into a new physical index and swap the alias.

The shared index holds every hub's records, most of which this hub may not hold,
so a rebuild cannot start from this hub's store alone. ``index_rebuild``:

1. creates a new physical index ``<alias>-v<N>-<timestamp>`` with the current
   mapping (refresh off while building);
2. copies the current physical index into it with the engine's ``_reindex``,
   keeping each document's version (``version_type: external``; a conflict means
   the new index already has a newer one, so conflicts proceed);
3. writes this hub's whole store (from seq 0) into it, external-versioned, so its
   own and federated records get the new document shape;
4. copies again what was written to the old index since the rebuild started
   (other hubs and this hub's drain kept writing through the alias meanwhile);
5. refreshes the new index and swaps the alias in one atomic ``update_aliases``
   call (remove old with ``must_exist`` + add new): searches see either index,
   never none;
6. waits a moment for writes and searches that resolved the alias before the swap,
   copies once more what arrived at the old index meanwhile, and deletes it.

Searches keep answering throughout: they go through the alias, which points at a
complete index at every moment. If two hubs rebuild at once, the second swap finds
its old index no longer behind the alias and fails (``must_exist``); its new index
is deleted and nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from federation.selectors import changes_after, record_wire
from search.engine import SearchEngine, SearchError, search_engine
from search.index import catalogue_index_body, index_alias, index_name_new
from search.indexing import records_index

logger = logging.getLogger(__name__)

# Writes stamped up to this long before the rebuild started are copied again in
# the catch-up passes (indexedAt comes from the writing hub's clock).
CATCH_UP_MARGIN = dt.timedelta(minutes=10)
SWAP_GRACE_SECONDS = 2.0
TASK_POLL_SECONDS = 0.5


@dataclass
class RebuildResult:
    """What a rebuild did."""

    old_index: str | None
    new_index: str
    copied: int = 0
    own_written: int = 0
    caught_up: int = 0
    documents: int = 0
    seconds: float = 0.0


def index_rebuild(
    *,
    engine: SearchEngine | None = None,
    page_size: int = 500,
    extra_settings: dict[str, Any] | None = None,
    swap_grace_seconds: float = SWAP_GRACE_SECONDS,
    progress: Callable[[str], None] | None = None,
) -> RebuildResult:
    """Build a new physical index and swap the alias to it (module docstring).

    ``extra_settings`` adds index settings to the new index; ``progress`` receives
    one line per step (the management command prints them).
    """
    engine = engine or search_engine()
    say = progress or (lambda line: logger.info("%s", line))
    started = time.monotonic()
    since = timezone.now() - CATCH_UP_MARGIN
    alias = index_alias()
    targets = engine.alias_targets(alias=alias)
    if len(targets) > 1:
        raise SearchError(f"alias {alias} points at several indices: {targets}")
    old = targets[0] if targets else None
    new = index_name_new(alias=alias)
    if engine.index_exists(name=new):
        raise SearchError(f"{new} exists already: another rebuild started this second")
    body = catalogue_index_body(engine=engine.name, extra_settings=extra_settings)
    body["settings"]["refresh_interval"] = "-1"
    engine.index_create(name=new, body=body)
    result = RebuildResult(old_index=old, new_index=new)
    say(f"created {new}" + (f"; copying {old}" if old else ""))
    try:
        if old:
            result.copied = _copy(engine, source=old, dest=new)
            say(f"copied {result.copied} documents from {old}")
        result.own_written = _store_write(engine, index=new, page_size=page_size)
        say(f"wrote {result.own_written} records of this hub's store")
        if old:
            result.caught_up += _copy(engine, source=old, dest=new, since=since)
        engine.index_settings_put(name=new, settings={"refresh_interval": None})
        engine.index_refresh(name=new)
        actions: list[dict[str, Any]] = [{"add": {"index": new, "alias": alias}}]
        if old:
            actions.insert(
                0, {"remove": {"index": old, "alias": alias, "must_exist": True}}
            )
        engine.aliases_update(actions=actions)
    except BaseException:
        _delete_quietly(engine, name=new)
        raise
    say(f"alias {alias} now points at {new}")
    if old:
        time.sleep(swap_grace_seconds)
        result.caught_up += _copy(engine, source=old, dest=new, since=since)
        engine.index_refresh(name=new)
        engine.index_delete(name=old)
        say(f"caught up {result.caught_up} late writes; deleted {old}")
    result.documents = engine.count(index=new)
    result.seconds = round(time.monotonic() - started, 3)
    return result


def _store_write(engine: SearchEngine, *, index: str, page_size: int) -> int:
    """Write every record of this hub's store (own and federated, tombstones too)
    into ``index``; returns how many the index took (stale ones not counted)."""
    written = 0
    after = 0
    while changes := changes_after(after_seq=after, first=page_size):
        outcome = records_index(
            records=[record_wire(stored) for stored in changes],
            index=index,
            engine=engine,
        )
        if outcome.failed:
            raise SearchError(f"the new index refused records: {outcome.failed[:3]}")
        written += outcome.written
        after = changes[-1].seq
    return written


def _copy(
    engine: SearchEngine,
    *,
    source: str,
    dest: str,
    since: dt.datetime | None = None,
) -> int:
    """Copy documents of ``source`` (indexed at or after ``since``) into ``dest``
    with the engine's ``_reindex``, versions kept; returns how many were written."""
    copy_source: dict[str, Any] = {"index": source, "size": 1000}
    if since is not None:
        copy_source["query"] = {"range": {"indexedAt": {"gte": since.isoformat()}}}
    task_id = engine.reindex_start(
        body={
            "source": copy_source,
            "dest": {"index": dest, "version_type": "external"},
            "conflicts": "proceed",
        }
    )
    while True:
        task = engine.task_get(task_id=task_id)
        if task.get("completed"):
            break
        time.sleep(TASK_POLL_SECONDS)
    if task.get("error"):
        raise SearchError(f"copying {source} failed: {task['error']}")
    response = task.get("response", {})
    if response.get("failures"):
        raise SearchError(f"copying {source} failed: {response['failures'][:3]}")
    return int(response.get("created", 0)) + int(response.get("updated", 0))


def _delete_quietly(engine: SearchEngine, *, name: str) -> None:
    try:
        engine.index_delete(name=name)
    except SearchError:
        logger.warning("could not delete the unfinished index %s", name, exc_info=True)
