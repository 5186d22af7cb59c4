"""The sync client: pull a neighbour's change feed page by page and apply it.

Each page and the neighbour's cursor commit in one transaction, so a sync that is
killed resumes from the last committed page. Invalid records are quarantined and
do not stop the page; transport errors never move the cursor.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import socket
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import requests
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import log_actions

from federation.audit import SYNC_REQUEST
from federation.models import QuarantinedRecord, SyncRun, SyncState
from federation.services.feed_pages import FeedPage, cursor_moves, feed_page_read
from federation.services.key_pins import key_statements_pin
from federation.services.peer_http import (
    SyncDeadlinePassed,
    SyncTransportError,
    graphql_post,
    peer_session,
)
from federation.services.pokes import task_send_safely
from federation.services.pruning import quarantine_cap_enforce
from federation.services.store import records_apply, records_validate
from federation.wire import CHANGES_QUERY
from hubs.audit import neighbour_audit_data
from hubs.models import Neighbour

logger = logging.getLogger(__name__)
QUARANTINE_PAYLOAD_CHARS = 20_000


class SyncLocked(Exception):
    """Another sync of this neighbour holds the lease (for ``retry_after`` s)."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SyncNotPulled(Exception):
    """This hub does not pull from that neighbour (disabled, or a role not pulled)."""


def feed_page_fetch(
    *,
    session: requests.Session,
    neighbour: Neighbour,
    cursor: str | None,
    deadline: float | None = None,
    with_keys: bool = False,
) -> FeedPage:
    """Fetch one page after ``cursor`` and check its shape (a mismatch is a
    transport error: the cursor must not move on a page we cannot read).
    The fetch ends by ``deadline`` (a time.monotonic() value) at the latest."""
    payload = graphql_post(
        session=session,
        neighbour=neighbour,
        query=CHANGES_QUERY,
        variables={
            "after": cursor or None,
            "first": settings.SYNC_PAGE_SIZE,
            **({"withKeys": True} if with_keys else {}),
        },
        deadline=deadline,
    )
    return feed_page_read(
        payload, page_size=settings.SYNC_PAGE_SIZE, with_keys=with_keys
    )


def _quarantine(*, neighbour: Neighbour, raw: Any, reason: str) -> None:
    payload = json.dumps(raw, sort_keys=True, default=str, ensure_ascii=False)
    payload_hash = hashlib.sha256(payload.encode()).hexdigest()
    record_id = raw.get("id") if isinstance(raw, dict) else None
    version = raw.get("version") if isinstance(raw, dict) else None
    updated = QuarantinedRecord.objects.filter(
        neighbour=neighbour, payload_hash=payload_hash
    ).update(times_seen=F("times_seen") + 1, last_seen_at=timezone.now(), reason=reason)
    if not updated:
        QuarantinedRecord.objects.create(
            neighbour=neighbour,
            record_id=str(record_id)[:200] if record_id else "",
            version=version if isinstance(version, int) and version < 2**62 else None,
            payload_hash=payload_hash,
            payload=payload[:QUARANTINE_PAYLOAD_CHARS],
            reason=reason,
        )


def _lease_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{time.monotonic_ns()}"[:100]


def _lease_take(*, state_id: int, owner: str) -> bool:
    now = timezone.now()
    taken = (
        SyncState.objects.filter(pk=state_id)
        .filter(
            Q(lock_until__isnull=True) | Q(lock_until__lt=now) | Q(lock_owner=owner)
        )
        .update(
            lock_owner=owner, lock_until=now + timedelta(seconds=settings.SYNC_LOCK_TTL)
        )
    )
    return taken == 1


def _lease_release(*, state_id: int, owner: str) -> None:
    SyncState.objects.filter(pk=state_id, lock_owner=owner).update(
        lock_owner="", lock_until=None
    )


def neighbour_sync(*, neighbour_id: int, trigger: str = "schedule") -> SyncRun:
    """Pull every new change from one neighbour and record the run.

    Raises ``SyncTransportError`` (after recording it) when the neighbour cannot be
    read, so the caller may retry; ``SyncLocked`` when another sync is running.
    """
    neighbour = Neighbour.objects.get(pk=neighbour_id)
    if not neighbour.enabled or neighbour.role not in settings.SYNC_PULL_ROLES:
        raise SyncNotPulled(
            f"{neighbour.slug} is disabled or a {neighbour.role}, which this hub does "
            f"not pull from (SYNC_PULL_ROLES={','.join(settings.SYNC_PULL_ROLES)})"
        )
    state, _created = SyncState.objects.get_or_create(neighbour=neighbour)
    owner = _lease_owner()
    if not _lease_take(state_id=state.pk, owner=owner):
        state.refresh_from_db(fields=["lock_until"])
        remaining = (
            (state.lock_until - timezone.now()).total_seconds()
            if state.lock_until
            else 0
        )
        raise SyncLocked(
            f"a sync of {neighbour.slug} is already running",
            retry_after=max(remaining, 0.0),
        )
    run = SyncRun.objects.create(neighbour=neighbour, trigger=trigger[:20])
    started = time.monotonic()
    deadline = started + settings.SYNC_DEADLINE
    # One page is fetched ahead while the previous one is applied: transport and
    # database work overlap, and memory holds at most two pages.
    ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-fetch")
    session = peer_session()
    try:
        state.refresh_from_db(fields=["cursor", "local_position_seq"])

        def fetch(cursor: str | None, with_keys: bool = False) -> Future[FeedPage]:
            return ahead.submit(
                feed_page_fetch,
                session=session,
                neighbour=neighbour,
                cursor=cursor,
                deadline=deadline,
                with_keys=with_keys,
            )

        upcoming = fetch(cursor=state.cursor, with_keys=True)
        for number in range(settings.SYNC_MAX_PAGES):
            page = upcoming.result()
            if number == 0 and _neighbour_restored(state=state, page=page):
                _resync_begin(neighbour=neighbour, state=state, run=run, page=page)
                upcoming = fetch(cursor=None, with_keys=True)
                continue
            more = page.more
            if more:
                upcoming = fetch(cursor=page.end_cursor)
            _page_commit(
                neighbour=neighbour, state=state, page=page, run=run, owner=owner
            )
            if not more:
                break
            if time.monotonic() >= deadline:
                raise SyncDeadlinePassed("no time left for the next page")
    except Exception as error:
        # Transport errors are expected; anything else is a bug, but the run must
        # still be closed and counted before the error propagates.
        message = _failure_message(error, neighbour=neighbour, deadline=deadline)
        _run_finish(run, started, outcome=SyncRun.Outcome.ERROR, error=message)
        SyncState.objects.filter(pk=state.pk).update(
            last_attempt_at=timezone.now(),
            last_error=message[:2000],
            last_error_at=timezone.now(),
            consecutive_failures=F("consecutive_failures") + 1,
        )
        if isinstance(error, SyncTransportError) and str(error) != message:
            # The same error told as the run records it (a copy keeps what it
            # carries, such as a throttled neighbour's Retry-After).
            retold = copy.copy(error)
            retold.args = (message,)
            raise retold from error
        raise
    finally:
        # Never wait for a fetch still under way (a time limit interrupted us):
        # its own deadline ends it.
        ahead.shutdown(wait=False, cancel_futures=True)
        session.close()
        _lease_release(state_id=state.pk, owner=owner)
    _run_finish(run, started, outcome=SyncRun.Outcome.OK)
    SyncState.objects.filter(pk=state.pk).update(
        last_attempt_at=timezone.now(),
        last_success_at=timezone.now(),
        last_error="",
        consecutive_failures=0,
    )
    return run


def _neighbour_restored(*, state: SyncState, page: FeedPage) -> bool:
    """The neighbour's newest change is below where our cursor stands: it lost
    changes (restored from a backup) and reuses sequence values we passed."""
    return bool(state.cursor) and page.latest_sequence < state.local_position_seq


def _resync_begin(
    *, neighbour: Neighbour, state: SyncState, run: SyncRun, page: FeedPage
) -> None:
    """Move the cursor back to the start of the neighbour's feed and say so on
    the run; applying again is harmless (equal versions are no-ops)."""
    logger.warning(
        "neighbour %s is at sequence %d, below our cursor at %d (restored from a "
        "backup?): syncing it again from the start",
        neighbour.slug,
        page.latest_sequence,
        state.local_position_seq,
    )
    SyncState.objects.filter(pk=state.pk).update(
        cursor="", local_position_seq=0, remote_latest_seq=page.latest_sequence
    )
    SyncRun.objects.filter(pk=run.pk).update(resynced=True)
    state.cursor = ""
    state.local_position_seq = 0


def _failure_message(error: Exception, *, neighbour: Neighbour, deadline: float) -> str:
    """What the run records: the transport error, why the deadline ended the
    sync, or (a bug, or a time limit) the exception itself."""
    if isinstance(error, SoftTimeLimitExceeded):
        return (
            f"the sync of {neighbour.slug} was stopped by the worker's soft time "
            "limit; pages committed so far are kept"
        )
    if isinstance(error, SyncTransportError):
        if isinstance(error, SyncDeadlinePassed) and time.monotonic() >= deadline:
            detail = f": {error}" if str(error) else ""
            return (
                f"the sync of {neighbour.slug} passed its deadline of "
                f"{settings.SYNC_DEADLINE}s (SYNC_DEADLINE); pages committed so far "
                f"are kept{detail}"
            )
        return str(error)
    return repr(error)


def _page_commit(
    *, neighbour: Neighbour, state: SyncState, page: FeedPage, run: SyncRun, owner: str
) -> None:
    """Validate, quarantine and apply one page, and move the cursor, atomically.

    A page that applied records is announced by the store once it commits
    (``catalogue_changed`` naming this neighbour): the pokes spare it."""
    valid, invalid = records_validate(page.wires)
    with transaction.atomic():
        if not _lease_take(state_id=state.pk, owner=owner):
            raise SyncTransportError("lost the sync lease; another sync took over")
        if page.keys:
            key_statements_pin(statements=page.keys, source=neighbour.slug)
        result = records_apply(
            records=valid, source=neighbour.slug, role=neighbour.role
        )
        refused = invalid + [(record.wire(), why) for record, why in result.refused]
        for raw, reason in refused:
            _quarantine(neighbour=neighbour, raw=raw, reason=reason)
        if refused:
            # Enforced as records arrive: a neighbour sending nothing but bad
            # records must not fill the database between two prunings.
            quarantine_cap_enforce(neighbour_id=neighbour.pk)
        SyncState.objects.filter(pk=state.pk).update(**cursor_moves(page))
        SyncRun.objects.filter(pk=run.pk).update(
            pages=F("pages") + 1,
            fetched=F("fetched") + len(page.wires),
            applied=F("applied") + len(result.applied),
            unchanged=F("unchanged") + result.unchanged,
            stale=F("stale") + result.stale,
            own=F("own") + result.own,
            quarantined=F("quarantined") + len(refused),
        )


def _run_finish(run: SyncRun, started: float, *, outcome: str, error: str = "") -> None:
    SyncRun.objects.filter(pk=run.pk).update(
        outcome=outcome,
        error=error[:2000],
        finished_at=timezone.now(),
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    run.refresh_from_db()


def sync_enqueue(*, neighbour_id: int, trigger: str) -> None:
    """Ask the worker to sync one neighbour once the current transaction commits."""
    from federation.tasks import neighbour_sync_task

    # Behind a slow neighbour's sync, scheduled ones expire instead of piling up
    # (later schedules bring new ones); three intervals, so a busy sync worker
    # still gets to every neighbour.
    expires = 3.0 * settings.SYNC_INTERVAL if trigger == "schedule" else None
    transaction.on_commit(
        lambda: task_send_safely(
            lambda: neighbour_sync_task.apply_async(
                kwargs={"neighbour_id": neighbour_id, "trigger": trigger},
                expires=expires,
            ),
            what=f"a sync of neighbour {neighbour_id}",
        ),
        robust=True,
    )


def sync_request(
    *,
    neighbour_id: int,
    user: AbstractBaseUser | AnonymousUser | None = None,
    trigger: str = "admin",
) -> Neighbour:
    """Queue a sync of one neighbour now at someone's request (the admin's "sync
    now") and record it in the audit log, by ``user`` (None: the system).

    Raises ``SyncNotPulled`` (and queues nothing) when this hub does not pull from
    that neighbour, ``Neighbour.DoesNotExist`` for an unknown id.
    """
    neighbour = Neighbour.objects.get(pk=neighbour_id)
    if not neighbour.enabled or neighbour.role not in settings.SYNC_PULL_ROLES:
        raise SyncNotPulled(
            _("This hub does not pull from %(name)s: it is disabled or a %(role)s.")
            % {"name": neighbour.name, "role": neighbour.get_role_display().lower()}
        )
    sync_enqueue(neighbour_id=neighbour.pk, trigger=trigger)
    log_actions.log(
        instance=neighbour,
        action=SYNC_REQUEST,
        user=user,
        data={**neighbour_audit_data(neighbour), "trigger": trigger},
    )
    logger.info(
        "sync of neighbour %s requested by %s",
        neighbour.slug,
        user.get_username() if user is not None else "the system",
    )
    return neighbour


def poke_receive(*, neighbour: Neighbour) -> bool:
    """A neighbour says it has new changes: pull from it now, if this hub pulls
    from it at all. Returns whether a sync was queued."""
    if not neighbour.enabled or neighbour.role not in settings.SYNC_PULL_ROLES:
        return False
    sync_enqueue(neighbour_id=neighbour.pk, trigger="poke")
    return True


def neighbours_sync_enqueue(*, trigger: str = "schedule") -> int:
    """Enqueue a sync of every enabled neighbour this hub pulls from."""
    neighbours = Neighbour.objects.filter(
        enabled=True, role__in=settings.SYNC_PULL_ROLES
    ).values_list("pk", flat=True)
    count = 0
    for neighbour_id in neighbours:
        sync_enqueue(neighbour_id=neighbour_id, trigger=trigger)
        count += 1
    return count
