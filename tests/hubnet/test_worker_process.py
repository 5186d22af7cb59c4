"""Separate Celery worker processes (not eager mode) execute tasks; a hub's
workers keep indexing and health apart from syncs."""

import os
import re
import subprocess
import sys
import time
import uuid

import pytest
from django.test import override_settings

from federation.models import SyncRun
from federation.services.store import PublishItem, records_publish
from federation.tasks import neighbour_sync_task
from hubnet.processes import ProcessGroup, wait_until
from hubs.models import WorkerHeartbeat
from hubs.tasks import heartbeat_record_task
from search import engine
from search.models import IndexWatermark
from search.tasks import index_drain_task
from tests.federation.factories import body_for
from tests.federation.factories_sync import child_at
from tests.federation.peers import trickling_peer
from tests.search.conftest import indices_delete


def test_worker_process_records_a_heartbeat(celery_worker_process):
    # given: the worker announces itself on start; forget that
    WorkerHeartbeat.objects.all().delete()
    # when
    heartbeat_record_task.apply_async(queue=celery_worker_process)
    # then
    assert wait_until(WorkerHeartbeat.objects.exists, timeout=30)
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.hostname.startswith("hub-worker@")


def test_a_stuck_sync_delays_neither_indexing_nor_health(
    hub_worker_processes, search_url
):
    # given: the hub's worker processes, and a child that trickles its answer
    # (one byte a second) for longer than this test lasts
    alias = f"test-{uuid.uuid4().hex[:10]}"
    with trickling_peer(phase="body", interval=1.0) as url:
        hub_worker_processes(
            SEARCH_URL=search_url,
            SEARCH_INDEX_ALIAS=alias,
            SYNC_DEADLINE="300",
            SYNC_REQUEST_DEADLINE="300",
        )
        child = child_at(url)
        neighbour_sync_task.delay(neighbour_id=child.pk)
        assert wait_until(
            SyncRun.objects.filter(outcome="running").exists, timeout=30
        ), "the sync did not start"
        WorkerHeartbeat.objects.all().delete()
        # when: a change is published (its commit queues a drain) and a
        # heartbeat is due, while the sync holds its worker
        started = time.monotonic()
        records_publish(items=[PublishItem(kind="project", body=body_for("project"))])
        heartbeat_record_task.delay()
        index_drain_task.delay()
        # then: both ran at once, and the sync is still stuck
        assert wait_until(
            lambda: (
                WorkerHeartbeat.objects.exists()
                and IndexWatermark.objects.filter(indexed_seq=1).exists()
            ),
            timeout=20,
        )
        assert time.monotonic() - started < 20
        assert SyncRun.objects.get().outcome == "running"
        assert WorkerHeartbeat.objects.get().hostname.startswith("hub-worker@")
    with override_settings(SEARCH_URL=search_url, SEARCH_INDEX_ALIAS=alias):
        engine.search_engine.cache_clear()
        indices_delete(alias)
    engine.search_engine.cache_clear()


@pytest.mark.parametrize(
    ("kinds", "hostname", "queues"),
    [
        ("sync", "hub-sync-worker@", ["{q}.sync"]),
        ("index,default", "hub-worker@", ["{q}", "{q}.index"]),
        (
            "",
            "hub-worker@",
            ["{q}", "{q}.embed", "{q}.health", "{q}.index", "{q}.poke", "{q}.sync"],
        ),
        ("sync,embed", "hub-sync-embed-worker@", ["{q}.embed", "{q}.sync"]),
    ],
    ids=["sync-only", "index-and-default", "all", "sync-and-embed"],
)
def test_hubnet_worker_consumes_the_queues_of_the_kinds_asked(
    tmp_path, kinds, hostname, queues
):
    # given
    queue = f"test-{uuid.uuid4().hex[:8]}"
    environ = {**os.environ, "CELERY_QUEUE": queue, "PYTHONUNBUFFERED": "1"}
    args = ["--queues", kinds] if kinds else []
    with ProcessGroup() as group:
        # when
        worker = group.start(
            "worker",
            [sys.executable, "-m", "hubnet", "worker", *args],
            env=environ,
            log_path=tmp_path / "worker.log",
        )
        assert wait_until(lambda: "ready." in worker.log_tail(lines=200), timeout=60)
        log = worker.log_tail(lines=200)
    # then
    consumed = sorted(re.findall(r"^\s+\.> (\S+) +exchange=", log, re.M))
    assert consumed == [name.format(q=queue) for name in queues]
    assert f"{hostname}" in log


def test_hubnet_worker_refuses_an_unknown_kind():
    done = subprocess.run(
        [sys.executable, "-m", "hubnet", "worker", "--queues", "sync,bogus"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert (
        "unknown queue kinds bogus; "
        "choose from sync, poke, index, health, embed, default" in done.stderr
    )
