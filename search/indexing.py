"""Indexing services: write records into the shared index, drain the outbox.

**The outbox is the change sequence.** Every catalogue change (own publish,
tombstone, applied peer record) stores its record with a new ``seq`` in the same
transaction, and sequence values commit in order. ``index_drain`` reads the records
changed after the watermark (``search.models.IndexWatermark``) page by page, writes
each page with one bulk request and moves the watermark only after the engine
accepted the page:

- every write is external-versioned with the record version: the engine keeps the
  newest version whichever hub writes it, and answers 409 to a stale write - which
  counts as done (someone already wrote the same or a newer version);
- any other refused item keeps the watermark just below the first refused change,
  so the next drain sends it again (and the ones after it, harmlessly);
- when the engine is unreachable (``SearchUnavailable``) nothing moves: the
  changes stay "in the outbox" until a later drain succeeds.

A change the engine refuses for a reason of the record itself (a mapping conflict,
say: HTTP 4xx, see ``search.dead_letters``) is tried by ``SEARCH_DRAIN_MAX_ATTEMPTS``
drains, counted on the watermark row (``failing_seq``, ``failing_attempts``); then
it becomes a dead letter and the watermark moves past it, so one bad record does
not hold every later change. Transient refusals (429, 5xx, a missing alias) hold
the drain without counting. ``hubnet search status`` shows both.

**Tombstones are documents** (``deleted: true``), never deletes: the engine forgets
a delete's version after ``index.gc_deletes`` (60 s by default), after which a
late stale write would bring the record back; a tombstone document keeps its
version for good, so the stale write is refused. Queries filter ``deleted: false``.

Writes go through the alias with ``require_alias``, so a missing alias fails the
write instead of auto-creating a plain index named like the alias.

Draining promptly: beat runs ``index_drain_task`` every ``SEARCH_DRAIN_INTERVAL``
seconds, and ``index_drain_enqueue()`` runs it right after a commit (the
federation store may not import search; see the report about a hook).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from federation.models import StoredRecord
from federation.selectors import changes_after, record_wire, sequence_latest
from search.dead_letters import (
    dead_letter_record,
    dead_letters_resolve,
    refusal_is_permanent,
)
from search.documents import document_build
from search.engine import BulkResult, SearchEngine, SearchError, search_engine
from search.index import catalogue_index_body, index_alias, index_name_bootstrap
from search.models import IndexWatermark

logger = logging.getLogger(__name__)


@dataclass
class WriteResult:
    """What the engine did with a batch of records."""

    written: int = 0
    stale: int = 0
    # Refused records: id, HTTP status and the engine's reason.
    failed: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DrainResult:
    """What one drain did; ``busy`` when another drain held the lease."""

    written: int = 0
    stale: int = 0
    failed: int = 0
    dead_lettered: int = 0
    pages: int = 0
    watermark: int = 0
    latest: int = 0
    busy: bool = False

    @property
    def backlog(self) -> int:
        return max(self.latest - self.watermark, 0)


def index_ensure(
    *,
    engine: SearchEngine | None = None,
    extra_settings: dict[str, Any] | None = None,
) -> str:
    """The physical index behind the alias; creates the first one when there is none.

    Safe when several hubs bootstrap at once (a fixed first name, see
    ``search.index``). Raises ``SearchError`` when the alias points at more than
    one index - a rebuild left it so, and writes through it would fail.
    """
    engine = engine or search_engine()
    alias = index_alias()
    targets = engine.alias_targets(alias=alias)
    if len(targets) > 1:
        raise SearchError(f"alias {alias} points at several indices: {targets}")
    if targets:
        return targets[0]
    name = index_name_bootstrap(alias=alias)
    body = catalogue_index_body(engine=engine.name, extra_settings=extra_settings)
    body["aliases"] = {alias: {}}
    try:
        engine.index_create(name=name, body=body)
    except SearchError as error:
        if "resource_already_exists" not in str(error):
            raise
        # Another hub created it a moment ago (or its alias was removed by hand).
        engine.aliases_update(actions=[{"add": {"index": name, "alias": alias}}])
    logger.info("created the search index %s behind the alias %s", name, alias)
    return name


def records_index(
    *,
    records: Iterable[dict[str, Any]],
    index: str | None = None,
    engine: SearchEngine | None = None,
    refresh: bool = False,
) -> WriteResult:
    """Write records (wire form, tombstones included) with their version as the
    external version; to the alias unless ``index`` names a physical index.

    Idempotent: writing a version the index already holds counts as stale.
    Raises ``SearchUnavailable`` when the engine cannot be reached.
    """
    engine = engine or search_engine()
    operations = _operations(records, index=index)
    answer = engine.bulk(
        operations=operations, refresh=refresh, require_alias=index is None
    )
    return _written(answer)


def index_drain(
    *,
    page_size: int | None = None,
    max_pages: int = 200,
    engine: SearchEngine | None = None,
) -> DrainResult:
    """Write every change after the watermark to the shared index (see the module
    docstring). Idempotent and safe to run concurrently: one drain holds the lease,
    the others return ``busy``.

    Pipelined: while the engine takes one page (in a sender thread), the next page
    is read from the database and built; the watermark still moves page by page,
    in order, after the engine accepted each. Raises ``SearchUnavailable``
    (watermark at the last accepted page) when the engine is down. Returns after
    ``max_pages`` pages at most; beat runs the next drain.
    """
    page_size = page_size or settings.SEARCH_DRAIN_PAGE_SIZE
    owner = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    result = DrainResult(latest=sequence_latest())
    if not _lease_take(owner=owner):
        result.busy = True
        result.watermark = _watermark().indexed_seq
        return result
    try:
        engine = engine or search_engine()
        index_ensure(engine=engine)
        result.watermark = _watermark().indexed_seq
        _pages_send(engine, result, owner=owner, page_size=page_size, limit=max_pages)
    except SearchError as error:
        _error_record(error=f"{type(error).__name__}: {error}")
        raise
    finally:
        _lease_release(owner=owner)
    result.latest = max(result.latest, sequence_latest())
    return result


def _pages_send(
    engine: SearchEngine,
    result: DrainResult,
    *,
    owner: str,
    page_size: int,
    limit: int,
) -> None:
    """The drain loop: read and build page N+1 while page N is on its way."""
    after = result.watermark
    last_page = False
    in_flight: tuple[Future[BulkResult], list[StoredRecord]] | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-drain") as sender:
        while True:
            sent = result.pages + (1 if in_flight else 0)
            changes = [] if last_page or sent >= limit else _changes(after, page_size)
            operations = _operations([record_wire(c) for c in changes], index=None)
            if in_flight is not None:
                future, page = in_flight
                in_flight = None
                if not _page_settle(_written(future.result()), page, result, owner):
                    return
            if not changes:
                return
            in_flight = (
                sender.submit(engine.bulk, operations=operations, require_alias=True),
                changes,
            )
            after = changes[-1].seq
            last_page = len(changes) < page_size


def _changes(after: int, page_size: int) -> list[StoredRecord]:
    return changes_after(after_seq=after, first=page_size)


def _page_settle(
    written: WriteResult, page: list[StoredRecord], result: DrainResult, owner: str
) -> bool:
    """Count a page the engine answered and move the watermark past it; False when
    a refused change holds the drain (the watermark then stays just below it).

    Refusals are taken in sequence order: one that has used up its attempts
    becomes a dead letter and is passed; the first other one holds the drain.
    """
    result.pages += 1
    result.written += written.written
    result.stale += written.stale
    refused = {item["id"]: item for item in written.failed}
    dead_letters_resolve(
        accepted=[stored for stored in page if stored.record_id not in refused]
    )
    if refused:
        mark = _watermark()
        passed = 0
        for stored in page:
            item = refused.get(stored.record_id)
            if item is None:
                continue
            same = mark.failing_seq == stored.seq
            attempts = mark.failing_attempts if same else 0
            if refusal_is_permanent(item):
                attempts += 1
                if attempts >= settings.SEARCH_DRAIN_MAX_ATTEMPTS:
                    dead_letter_record(
                        stored=stored,
                        item=item,
                        attempts=attempts,
                        first_failed_at=mark.failing_since if same else None,
                    )
                    result.dead_lettered += 1
                    passed += 1
                    continue
            result.failed += len(refused) - passed
            result.watermark = _watermark_advance(
                to=stored.seq - 1,
                failing_seq=stored.seq,
                attempts=attempts,
                since=mark.failing_since if same else None,
                error=_reason(written.failed),
            )
            return False
    result.watermark = _watermark_advance(to=page[-1].seq, owner=owner)
    return True


def _operations(
    records: Iterable[dict[str, Any]], *, index: str | None
) -> list[dict[str, Any]]:
    """Bulk lines: an external-versioned index action and the document, per
    record; to ``index`` or the alias."""
    target = index or index_alias()
    indexed_at = timezone.now().isoformat()
    operations: list[dict[str, Any]] = []
    for wire in records:
        document = document_build(wire)
        document["indexedAt"] = indexed_at
        operations.append(
            {
                "index": {
                    "_index": target,
                    "_id": wire["id"],
                    "version": int(wire["version"]),
                    "version_type": "external",
                }
            }
        )
        operations.append(document)
    return operations


def _written(answer: BulkResult) -> WriteResult:
    return WriteResult(
        written=answer.succeeded, stale=answer.stale, failed=list(answer.failed)
    )


def index_drain_enqueue() -> None:
    """Run a drain right after the current transaction commits (best effort: if
    the broker cannot take it, a warning is logged and the next beat run drains
    anyway; the change itself is committed already)."""

    def _send() -> None:
        from search.tasks import index_drain_task

        try:
            index_drain_task.delay()
        except Exception:  # the broker's own errors; the beat run catches up
            logger.warning("could not enqueue an index drain", exc_info=True)

    transaction.on_commit(_send)


# -- the watermark row ------------------------------------------------------------


def _watermark() -> IndexWatermark:
    try:
        return IndexWatermark.objects.get_or_create(pk=1)[0]
    except IntegrityError:  # created concurrently
        return IndexWatermark.objects.get(pk=1)


def _lease_take(*, owner: str) -> bool:
    _watermark()
    now = timezone.now()
    taken = (
        IndexWatermark.objects.filter(pk=1)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(
            lease_owner=owner,
            lease_until=now + dt.timedelta(seconds=settings.SEARCH_DRAIN_LEASE),
        )
    )
    return taken == 1


def _lease_release(*, owner: str) -> None:
    IndexWatermark.objects.filter(pk=1, lease_owner=owner).update(
        lease_owner="", lease_until=None
    )


def _watermark_advance(
    *,
    to: int,
    owner: str | None = None,
    failing_seq: int | None = None,
    attempts: int = 0,
    since: dt.datetime | None = None,
    error: str = "",
) -> int:
    """Move the watermark forward to ``to`` (never back); renew the lease; record
    the outcome (the change that holds the drain, its attempts and since when).
    Returns the watermark now stored."""
    now = timezone.now()
    changes: dict[str, Any] = {
        "last_drain_at": now,
        "failing_seq": failing_seq,
        "failing_attempts": attempts if failing_seq else 0,
        "failing_since": (since or now) if failing_seq else None,
    }
    if error:
        changes.update(last_error=error, last_error_at=now)
    else:
        changes["last_error"] = ""
    if owner:
        changes["lease_until"] = now + dt.timedelta(seconds=settings.SEARCH_DRAIN_LEASE)
    IndexWatermark.objects.filter(pk=1).update(**changes)
    IndexWatermark.objects.filter(pk=1, indexed_seq__lt=to).update(indexed_seq=to)
    if error:
        logger.error(
            "the search engine refused a change at seq %s (attempt %s of %s): %s",
            failing_seq,
            attempts,
            settings.SEARCH_DRAIN_MAX_ATTEMPTS,
            error,
        )
    return _watermark().indexed_seq


def _error_record(*, error: str) -> None:
    IndexWatermark.objects.filter(pk=1).update(
        last_error=error[:2000], last_error_at=timezone.now()
    )


def _reason(failed: list[dict[str, Any]]) -> str:
    first = failed[0]
    reason = first.get("error") or {}
    if isinstance(reason, dict):
        reason = f"{reason.get('type')}: {reason.get('reason')}"
    more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
    return f"{first.get('id')} {first.get('status')} {reason}{more}"[:2000]


def index_replay() -> None:
    """Send this hub's whole store to the index again, from sequence 0 (after a
    restore: the restored watermark may stand past the restored sequence, and
    the index may lack what the backup holds). External versions make resending
    harmless; a drain is queued once the transaction commits."""
    with transaction.atomic():
        _watermark()
        IndexWatermark.objects.filter(pk=1).update(
            indexed_seq=0,
            lease_owner="",
            lease_until=None,
            failing_seq=None,
            failing_attempts=0,
            failing_since=None,
        )
        index_drain_enqueue()
