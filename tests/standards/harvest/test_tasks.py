"""Harvest runs as Celery jobs: one worker per source at a time, and a killed
worker's run taken over by another with the same result."""

import datetime as dt
import signal
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
from django.utils import timezone

from cms.models import DatasetPage
from federation.models import StoredRecord
from hubnet.processes import ManagedProcess, ProcessGroup, wait_until
from standards.harvest.models import HarvestItem, HarvestRun, HarvestSource
from standards.harvest.services import (
    harvest_lease_take,
    harvest_run,
    harvest_source_add,
    harvest_sources_due,
)
from standards.tasks import harvest_due_task, harvest_run_task
from tests.cms.factories import hub_home
from tests.conftest import TEST_VAR_DIR, worker_environ
from tests.standards.harvest.server import Portal, synthetic_dataset


@pytest.mark.django_db
def test_lease_keeps_a_second_worker_off_until_it_expires(portal: Portal, hub):
    # Given a source whose lease worker A holds
    portal.datasets = [synthetic_dataset(1)]
    source = harvest_source_add(name="s", url=portal.url("/catalog"), kind="dcat")
    assert harvest_lease_take(source_id=source.pk, owner="A")

    # When worker B tries, it does not run
    assert harvest_run(source_id=source.pk, owner="B") is None
    assert not HarvestRun.objects.exists()

    # When A's lease has expired (A died), B runs it
    HarvestSource.objects.filter(pk=source.pk).update(
        lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    run = harvest_run(source_id=source.pk, owner="B")
    assert (run.status, run.created) == ("done", 1)


@pytest.mark.django_db
def test_due_sources(hub):
    # Given a source never run, one run a minute ago every day, one by hand only
    never = harvest_source_add(name="a", url="https://a.example.org", kind="dcat")
    recent = harvest_source_add(name="b", url="https://b.example.org", kind="dcat")
    HarvestRun.objects.create(source=recent, status="done")
    harvest_source_add(
        name="c", url="https://c.example.org", kind="dcat", interval_minutes=0
    )
    # and one whose run is open with its worker gone
    orphan = harvest_source_add(
        name="d", url="https://d.example.org", kind="dcat", interval_minutes=0
    )
    HarvestRun.objects.create(source=orphan, status="running")

    assert sorted(harvest_sources_due()) == sorted([never.pk, orphan.pk])


@pytest.fixture
def worker_start(transactional_db, portal: Portal) -> Iterator:
    """Start a real Celery worker on this test's database and a private queue,
    allowed to fetch from the local portal, with short leases."""
    from hubnet.celery import app

    previous = app.conf.task_default_queue
    queue = f"test-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    environ = worker_environ(
        queue, HARVEST_ALLOW_HOSTS="127.0.0.1", HARVEST_LEASE_SECONDS="5"
    )
    with ProcessGroup() as group:

        def start(name: str, **extra: str) -> ManagedProcess:
            worker = group.start(
                name,
                [sys.executable, "-m", "hubnet", "worker"],
                env={**environ, **extra},
                log_path=TEST_VAR_DIR / "logs" / f"{name}-{queue}.log",
            )
            ready = wait_until(
                lambda: "ready." in worker.log_tail(lines=200) or not worker.alive(),
                timeout=60,
            )
            if not ready or not worker.alive():
                pytest.fail(f"{name} did not start:\n{worker.log_tail(lines=60)}")
            return worker

        try:
            yield start
        finally:
            app.conf.task_default_queue = previous


def test_killed_worker_run_is_taken_over_with_the_same_result(
    worker_start, portal: Portal
):
    # Given a catalogue of ten datasets, two per page, whose fourth page is slow
    hub_home()
    portal.datasets = [synthetic_dataset(n) for n in range(1, 11)]
    portal.delays["/catalog?page=4"] = 30.0
    source = harvest_source_add(
        name="s", url=portal.url("/catalog"), kind="dcat", publish=True
    )
    first = worker_start("worker-1")

    # When the run is past three pages and the worker is killed (SIGKILL)
    harvest_run_task.delay(source_id=source.pk)
    assert wait_until(lambda: "/catalog?page=4" in portal.requests, timeout=60), (
        first.log_tail(lines=60)
    )
    first.signal_group(signal.SIGKILL)
    assert wait_until(lambda: not first.alive(), timeout=10)
    run = HarvestRun.objects.get()
    assert (run.status, run.pages, run.created) == ("running", 3, 6)

    # And another worker runs the schedule once the lease has expired
    worker_start("worker-2")
    assert wait_until(
        lambda: harvest_sources_due() == [source.pk], timeout=30, interval=0.5
    )
    harvest_due_task.delay()

    # Then it resumes the open run and ends as an uninterrupted run would
    assert wait_until(
        lambda: HarvestRun.objects.get().status == "done", timeout=60, interval=0.5
    )
    run = HarvestRun.objects.get()
    assert (run.created, run.updated, run.refused, run.takeovers) == (10, 0, 0, 1)
    titles = sorted(DatasetPage.objects.live().values_list("title", flat=True))
    assert titles == sorted(f"Dataset {n}" for n in range(1, 11))
    assert HarvestItem.objects.count() == 10
    assert StoredRecord.objects.filter(kind="dataset", deleted=False).count() == 10


def test_a_source_asking_to_wait_is_retried_no_sooner_than_it_said(
    worker_start, portal: Portal
):
    # Given a source that first answers 503 asking for 8 s (the task's own first
    # back-off is 5 s), then its catalogue
    hub_home()
    portal.datasets = [synthetic_dataset(1)]
    asked: list[float] = []

    def answer(query):
        asked.append(time.monotonic())
        if len(asked) == 1:
            return 503, {"Content-Type": "text/plain", "Retry-After": "8"}, b"busy"
        return portal._catalogue(1)

    portal.raw["/busy"] = answer
    source = harvest_source_add(name="s", url=portal.url("/busy"), kind="dcat")
    worker_start("worker")

    # When it is run by a worker
    harvest_run_task.delay(source_id=source.pk)

    # Then the run ends on the retry, which came after the wait asked for
    assert wait_until(
        lambda: HarvestRun.objects.filter(status="done").exists(), timeout=60
    )
    assert len(asked) == 2
    assert asked[1] - asked[0] >= 8
    run = HarvestRun.objects.get()
    assert (run.created, run.takeovers) == (1, 1)


def test_a_worker_reads_ahead_in_a_child_process(worker_start, portal: Portal):
    # Given a catalogue of twelve datasets, two per page, whose pages 2 to 4
    # take two seconds each (the page reader process starts meanwhile), and a
    # worker reading ahead (a Celery prefork child: daemonic)
    hub_home()
    portal.datasets = [synthetic_dataset(n) for n in range(1, 13)]
    for number in (2, 3, 4):
        portal.delays[f"/catalog?page={number}"] = 2.0
    source = harvest_source_add(
        name="s", url=portal.url("/catalog"), kind="dcat", publish=True
    )
    worker = worker_start("worker", HARVEST_READ_AHEAD="1")

    # When it runs the source
    harvest_run_task.delay(source_id=source.pk)

    # Then a page reader process read on, and the run ends as one read in the
    # worker would
    assert wait_until(
        lambda: HarvestRun.objects.filter(status="done").exists(), timeout=90
    ), worker.log_tail(lines=60)
    log = worker.log_tail(lines=400)
    assert "harvest: page reader process" in log
    assert "reads on from " + portal.url("/catalog?page=") in log
    assert "no page reader process" not in log
    run = HarvestRun.objects.get()
    assert (run.pages, run.created, run.refused) == (6, 12, 0)
    assert DatasetPage.objects.live().count() == HarvestItem.objects.count() == 12
