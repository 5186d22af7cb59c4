"""Read-only queries about syncing with neighbours, for coordinators and operators.

The Wagtail admin's Federation section and ``hubnet sync`` read the sync state
through these functions; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from federation.models import QuarantinedRecord, StoredRecord, SyncRun, SyncState
from hubs.models import Neighbour

RECENT_RUNS = 20
QUARANTINE_LIMIT = 100


@dataclass(frozen=True)
class NeighbourSyncStatus:
    """One neighbour and where this hub stands in its change feed.

    ``lag_changes`` is how many sequence values the neighbour had beyond our
    position when we last read its feed; ``lag_time`` is how long ago the last
    successful sync finished. Both are None when there is nothing to measure
    (never synced).
    """

    neighbour: Neighbour
    pulled: bool
    state: SyncState | None
    last_success_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    lag_changes: int | None
    lag_time: dt.timedelta | None
    last_error: str
    last_error_at: dt.datetime | None
    consecutive_failures: int
    running: bool

    @property
    def can_sync(self) -> bool:
        """Whether a sync of this neighbour may be started now by hand."""
        return self.pulled


def neighbour_is_pulled(neighbour: Neighbour) -> bool:
    """Whether this hub pulls ``neighbour``'s change feed: it is enabled and its
    role is one of ``settings.SYNC_PULL_ROLES`` (children and peers by default)."""
    return neighbour.enabled and neighbour.role in settings.SYNC_PULL_ROLES


def neighbours_pulled() -> QuerySet[Neighbour]:
    """Every neighbour this hub pulls from, in a stable order (role, slug)."""
    return Neighbour.objects.filter(
        enabled=True, role__in=settings.SYNC_PULL_ROLES
    ).order_by("role", "slug")


def neighbour_get(
    *, neighbour_id: int | None = None, slug: str | None = None
) -> Neighbour:
    """One neighbour by id or slug; raises ``Neighbour.DoesNotExist``."""
    if (neighbour_id is None) == (slug is None):
        raise ValueError("give exactly one of neighbour_id and slug")
    if neighbour_id is not None:
        return Neighbour.objects.get(pk=neighbour_id)
    return Neighbour.objects.get(slug=slug)


def _state_of(neighbour: Neighbour) -> SyncState | None:
    try:
        return neighbour.sync_state
    except SyncState.DoesNotExist:
        return None


def _status(neighbour: Neighbour, *, now: dt.datetime) -> NeighbourSyncStatus:
    state = _state_of(neighbour)
    pulled = neighbour_is_pulled(neighbour)
    if state is None:
        return NeighbourSyncStatus(
            neighbour=neighbour,
            pulled=pulled,
            state=None,
            last_success_at=None,
            last_attempt_at=None,
            lag_changes=None,
            lag_time=None,
            last_error="",
            last_error_at=None,
            consecutive_failures=0,
            running=False,
        )
    read_feed = state.last_success_at is not None or state.remote_latest_seq > 0
    return NeighbourSyncStatus(
        neighbour=neighbour,
        pulled=pulled,
        state=state,
        last_success_at=state.last_success_at,
        last_attempt_at=state.last_attempt_at,
        lag_changes=(
            state.remote_latest_seq - state.local_position_seq if read_feed else None
        ),
        lag_time=(now - state.last_success_at) if state.last_success_at else None,
        last_error=state.last_error,
        last_error_at=state.last_error_at,
        consecutive_failures=state.consecutive_failures,
        running=bool(state.lock_owner and state.lock_until and state.lock_until > now),
    )


def sync_status_list(*, now: dt.datetime | None = None) -> list[NeighbourSyncStatus]:
    """The sync status of every neighbour (enabled or not), one query."""
    now = now or timezone.now()
    neighbours = Neighbour.objects.select_related("sync_state").order_by("role", "slug")
    return [_status(neighbour, now=now) for neighbour in neighbours]


def sync_status_get(
    *, neighbour_id: int, now: dt.datetime | None = None
) -> NeighbourSyncStatus:
    """The sync status of one neighbour; raises ``Neighbour.DoesNotExist``."""
    neighbour = Neighbour.objects.select_related("sync_state").get(pk=neighbour_id)
    return _status(neighbour, now=now or timezone.now())


def sync_runs_recent(*, neighbour_id: int, limit: int = RECENT_RUNS) -> list[SyncRun]:
    """The newest ``limit`` sync runs of one neighbour, newest first."""
    return list(
        SyncRun.objects.filter(neighbour_id=neighbour_id).order_by(
            "-started_at", "-pk"
        )[:limit]
    )


def quarantined_records_list(
    *, neighbour_id: int, limit: int = QUARANTINE_LIMIT
) -> list[QuarantinedRecord]:
    """Records a neighbour sent that failed validation, most recently seen first."""
    return list(
        QuarantinedRecord.objects.filter(neighbour_id=neighbour_id).order_by(
            "-last_seen_at", "-pk"
        )[:limit]
    )


def quarantined_records_count(*, neighbour_id: int) -> int:
    """How many distinct payloads of one neighbour are quarantined."""
    return QuarantinedRecord.objects.filter(neighbour_id=neighbour_id).count()


def records_received_counts() -> dict[str, int]:
    """How many held records each neighbour (by slug) delivered; own records
    under the empty slug."""
    rows = (
        StoredRecord.objects.values("received_from")
        .annotate(count=Count("pk"))
        .values_list("received_from", "count")
    )
    return dict(rows)


def quarantine_counts() -> dict[str, int]:
    """How many distinct payloads each neighbour (by slug) has in quarantine."""
    rows = (
        QuarantinedRecord.objects.values("neighbour__slug")
        .annotate(count=Count("pk"))
        .values_list("neighbour__slug", "count")
    )
    return dict(rows)
