"""Bounded sync history: quarantined records and sync runs do not grow forever.

A hub that runs for months with a neighbour that keeps sending bad records, or
that syncs every minute, would otherwise fill its database with both. The last
``SYNC_RUN_KEEP_PER_NEIGHBOUR`` runs of each neighbour are always kept, however
old, so the admin shows recent history even for a neighbour long silent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from federation.models import QuarantinedRecord, SyncRun


@dataclass(frozen=True)
class PruneResult:
    """How many rows one pruning deleted, and why."""

    quarantine_expired: int
    quarantine_over_cap: int
    runs_expired: int

    @property
    def total(self) -> int:
        return self.quarantine_expired + self.quarantine_over_cap + self.runs_expired


def quarantine_cap_enforce(*, neighbour_id: int) -> int:
    """Keep at most SYNC_QUARANTINE_MAX_PER_NEIGHBOUR quarantined records of one
    neighbour, dropping the least recently seen first; returns how many went."""
    rows = QuarantinedRecord.objects.filter(neighbour_id=neighbour_id)
    surplus = list(
        rows.order_by("-last_seen_at", "-pk").values_list("pk", flat=True)[
            settings.SYNC_QUARANTINE_MAX_PER_NEIGHBOUR :
        ]
    )
    if not surplus:
        return 0
    return rows.filter(pk__in=surplus).delete()[0]


def _neighbour_ids(model: type[QuarantinedRecord] | type[SyncRun]) -> list[int]:
    return list(
        model.objects.order_by().values_list("neighbour_id", flat=True).distinct()
    )


def sync_history_prune(*, now: dt.datetime | None = None) -> PruneResult:
    """Drop quarantined records not seen for SYNC_QUARANTINE_RETENTION_DAYS or
    over the per-neighbour cap, and sync runs started more than
    SYNC_RUN_RETENTION_DAYS ago beyond each neighbour's newest
    SYNC_RUN_KEEP_PER_NEIGHBOUR. Idempotent."""
    now = now or timezone.now()
    quarantine_cutoff = now - dt.timedelta(days=settings.SYNC_QUARANTINE_RETENTION_DAYS)
    quarantine_expired = QuarantinedRecord.objects.filter(
        last_seen_at__lt=quarantine_cutoff
    ).delete()[0]
    over_cap = sum(
        quarantine_cap_enforce(neighbour_id=neighbour_id)
        for neighbour_id in _neighbour_ids(QuarantinedRecord)
    )
    runs_cutoff = now - dt.timedelta(days=settings.SYNC_RUN_RETENTION_DAYS)
    runs_expired = 0
    for neighbour_id in _neighbour_ids(SyncRun):
        runs = SyncRun.objects.filter(neighbour_id=neighbour_id)
        kept = list(
            runs.order_by("-started_at", "-pk").values_list("pk", flat=True)[
                : settings.SYNC_RUN_KEEP_PER_NEIGHBOUR
            ]
        )
        runs_expired += (
            runs.filter(started_at__lt=runs_cutoff).exclude(pk__in=kept).delete()[0]
        )
    return PruneResult(
        quarantine_expired=quarantine_expired,
        quarantine_over_cap=over_cap,
        runs_expired=runs_expired,
    )
