"""Quarantine and sync-run history stay bounded: a cap per neighbour and
retention in days, but a neighbour's newest runs are always kept."""

import datetime as dt

import pytest

from federation.models import QuarantinedRecord, StoredRecord, SyncRun
from federation.services.pruning import PruneResult, sync_history_prune
from federation.services.sync import neighbour_sync
from federation.tasks import sync_history_prune_task
from tests.federation.factories import wire_record
from tests.federation.factories_sync import (
    QuarantinedRecordFactory,
    SyncRunFactory,
    child_at,
)
from tests.federation.peers import feed_answer, scripted_peer
from tests.hubs.factories import NeighbourFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def _quarantined(neighbour, *, seen: dt.datetime) -> QuarantinedRecord:
    row = QuarantinedRecordFactory(neighbour=neighbour)
    QuarantinedRecord.objects.filter(pk=row.pk).update(last_seen_at=seen)
    return row


def _run(neighbour, *, started: dt.datetime) -> SyncRun:
    run = SyncRunFactory(neighbour=neighbour)
    SyncRun.objects.filter(pk=run.pk).update(started_at=started)
    return run


def _remaining(model) -> set[int]:
    return set(model.objects.values_list("pk", flat=True))


@pytest.fixture
def history_settings(settings):
    settings.SYNC_QUARANTINE_MAX_PER_NEIGHBOUR = 3
    settings.SYNC_QUARANTINE_RETENTION_DAYS = 30
    settings.SYNC_RUN_RETENTION_DAYS = 14
    settings.SYNC_RUN_KEEP_PER_NEIGHBOUR = 2
    return settings


def test_a_quarantine_exactly_at_its_cap_is_kept(history_settings):
    neighbour = NeighbourFactory()
    rows = [
        _quarantined(neighbour, seen=NOW - dt.timedelta(hours=h)) for h in (1, 2, 3)
    ]
    result = sync_history_prune(now=NOW)
    assert result == PruneResult(0, 0, 0)
    assert _remaining(QuarantinedRecord) == {row.pk for row in rows}


def test_one_over_the_cap_drops_the_least_recently_seen(history_settings):
    # given: four rows of one neighbour (cap 3) and four of another
    first, second = NeighbourFactory(), NeighbourFactory()
    rows = [_quarantined(first, seen=NOW - dt.timedelta(hours=h)) for h in (2, 4, 1, 3)]
    others = [_quarantined(second, seen=NOW - dt.timedelta(hours=h)) for h in (1, 2, 3)]
    # when
    result = sync_history_prune(now=NOW)
    # then: the one seen 4 hours ago went; the other neighbour is untouched
    assert result == PruneResult(
        quarantine_expired=0, quarantine_over_cap=1, runs_expired=0
    )
    assert _remaining(QuarantinedRecord) == {
        rows[0].pk,
        rows[2].pk,
        rows[3].pk,
        *(row.pk for row in others),
    }


def test_quarantine_retention_keeps_the_boundary_and_drops_older(history_settings):
    neighbour = NeighbourFactory()
    cutoff = NOW - dt.timedelta(days=30)
    at_cutoff = _quarantined(neighbour, seen=cutoff)
    _quarantined(neighbour, seen=cutoff - dt.timedelta(seconds=1))
    result = sync_history_prune(now=NOW)
    assert result.quarantine_expired == 1
    assert _remaining(QuarantinedRecord) == {at_cutoff.pk}


def test_old_runs_go_but_each_neighbour_keeps_its_newest(history_settings):
    # given: runs around the 14-day boundary, and a neighbour silent for a year
    busy, silent = NeighbourFactory(), NeighbourFactory()
    cutoff = NOW - dt.timedelta(days=14)
    recent = [_run(busy, started=NOW - dt.timedelta(hours=h)) for h in (1, 2)]
    at_cutoff = _run(busy, started=cutoff)
    _run(busy, started=cutoff - dt.timedelta(seconds=1))
    _run(busy, started=cutoff - dt.timedelta(days=3))
    ancient = [
        _run(silent, started=NOW - dt.timedelta(days=d)) for d in (365, 366, 367)
    ]
    # when
    result = sync_history_prune(now=NOW)
    # then
    assert result.runs_expired == 3
    assert _remaining(SyncRun) == {
        *(run.pk for run in recent),
        at_cutoff.pk,
        ancient[0].pk,
        ancient[1].pk,
    }
    assert sync_history_prune(now=NOW).total == 0


def test_the_sync_enforces_the_cap_as_bad_records_arrive(settings):
    # given: a page of five bad records, cap 3
    settings.SYNC_QUARANTINE_MAX_PER_NEIGHBOUR = 3
    bad = [{**wire_record(), "version": "v"} for _ in range(5)]
    good = wire_record()
    page = feed_answer([*bad, good], end_cursor="c6")
    with scripted_peer([lambda request: page]) as (url, _):
        child = child_at(url)
        # when
        run = neighbour_sync(neighbour_id=child.pk)
    # then: counted as five, held as three, and the good one applied
    assert (run.quarantined, run.applied) == (5, 1)
    assert QuarantinedRecord.objects.count() == 3
    assert StoredRecord.objects.get().record_id == good["id"]


def test_beat_runs_the_pruning_task_on_the_default_queue(history_settings):
    # given
    from django.conf import settings

    from hubnet.celery import app

    neighbour = NeighbourFactory()
    _quarantined(neighbour, seen=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    entry = settings.CELERY_BEAT_SCHEDULE["sync-history-prune"]
    # when
    sync_history_prune_task.apply()
    # then
    assert entry["task"] == sync_history_prune_task.name
    assert entry["schedule"] == float(settings.SYNC_PRUNE_INTERVAL)
    route = app.amqp.router.route({}, sync_history_prune_task.name)
    assert route["queue"].name == app.conf.task_default_queue
    assert not QuarantinedRecord.objects.exists()
