"""The federation's Celery tasks in a real worker process: time limits."""

import time

from federation.models import SyncRun, SyncState
from federation.tasks import neighbour_sync_task
from hubnet.processes import wait_until
from tests.federation.factories_sync import child_at
from tests.federation.peers import feed_answer, fixed, scripted_peer, trickling_peer


def test_a_sync_stopped_by_its_soft_time_limit_records_the_error_and_frees_the_lease(
    celery_worker_process,
):
    # given: a child that trickles its answer for longer than the time limit
    with trickling_peer(phase="body", interval=1.0) as url:
        child = child_at(url, cursor="start")
        # when: the sync runs in the worker under a 3 s soft time limit
        started = time.monotonic()
        neighbour_sync_task.apply_async(
            kwargs={"neighbour_id": child.pk}, soft_time_limit=3, time_limit=30
        )
        # then
        assert wait_until(SyncRun.objects.filter(outcome="error").exists, timeout=30), (
            "the sync was not stopped"
        )
        assert time.monotonic() - started < 15
    run = SyncRun.objects.get()
    assert run.error == (
        "the sync of nl was stopped by the worker's soft time limit; pages "
        "committed so far are kept"
    )
    state = SyncState.objects.get()
    assert (state.cursor, state.lock_owner, state.lock_until) == ("start", "", None)
    assert state.consecutive_failures == 1


def test_a_throttled_sync_is_asked_again_no_sooner_than_the_neighbour_said(
    celery_worker_process,
):
    # given: a child whose throttle refuses the first request for 3 s; without
    # the header the first retry would come within the 2 s of the back-off
    throttled = fixed(429, b'{"errors": []}', {"Retry-After": "3"})
    page = feed_answer([], end_cursor="c0", latest=0)
    with scripted_peer([throttled, lambda request: page]) as (url, peer):
        child = child_at(url, cursor="start")
        # when: the sync runs in the worker
        neighbour_sync_task.apply_async(kwargs={"neighbour_id": child.pk})
        # then: it fails once, waits as asked, and succeeds on its retry
        assert wait_until(SyncRun.objects.filter(outcome="ok").exists, timeout=30), (
            "the sync was not retried"
        )
    failed, succeeded = SyncRun.objects.order_by("pk")
    assert failed.outcome == "error"
    assert failed.error == f"{url}/graphql answered HTTP 429, asking to wait 3s"
    waited = (succeeded.started_at - failed.started_at).total_seconds()
    assert waited >= 3
    assert len(peer.requests) == 2


def test_every_task_has_time_limits_and_a_sync_has_longer_ones(settings):
    from hubnet.celery import app
    from hubs.tasks import heartbeat_record_task

    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit
    sync = (neighbour_sync_task.soft_time_limit, neighbour_sync_task.time_limit)
    assert sync == (settings.SYNC_DEADLINE + 30, settings.SYNC_DEADLINE + 60)
    heartbeat = (
        heartbeat_record_task.soft_time_limit,
        heartbeat_record_task.time_limit,
    )
    assert heartbeat == (20, 30)
