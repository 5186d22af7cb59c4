"""A run's pages read a page ahead by a child process
(``standards.harvest.read_ahead``): the same items, refusals and failures as
reading them in the run's process; a killed child fails the run as transient
and loses nothing; a child whose run ends or dies ends too."""

import logging
import os
import signal
import subprocess
import sys
import time

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS

from cms.models import DatasetPage
from standards.harvest import read_ahead
from standards.harvest.fetch import HarvestTransient
from standards.harvest.models import HarvestItem, HarvestRun
from standards.harvest.services import harvest_run, harvest_source_add
from tests.standards.harvest.server import Portal, synthetic_dataset

pytestmark = pytest.mark.django_db
TURTLE = {"Content-Type": "text/turtle"}


@pytest.fixture
def children(settings, monkeypatch) -> list[subprocess.Popen]:
    """Read-ahead on, the child waited for (so it reads every page after the
    first for certain), and the children started, in order."""
    settings.HARVEST_READ_AHEAD = True
    monkeypatch.setattr(read_ahead, "READY_WAIT_SECONDS", 60.0)
    started: list[subprocess.Popen] = []
    start = read_ahead._child_start

    def recorded():
        child = start()
        started.append(child)
        return child

    monkeypatch.setattr(read_ahead, "_child_start", recorded)
    yield started
    for child in started:
        if child.poll() is None:
            child.kill()
            child.wait()


@pytest.fixture
def reads_here(monkeypatch) -> list[str]:
    """The URLs the run's own process reads (the child reads the others)."""
    urls: list[str] = []
    read = read_ahead.READERS["dcat"]

    def counted(*, url, **kwargs):
        urls.append(url)
        return read(url=url, **kwargs)

    monkeypatch.setitem(read_ahead.READERS, "dcat", counted)
    return urls


def _source(portal: Portal):
    return harvest_source_add(
        name="s", url=portal.url("/catalog"), kind="dcat", publish=True
    )


def test_the_child_reads_the_pages_after_the_first_and_refuses_per_item(
    portal, hub, children, reads_here
):
    # Given three pages: two good datasets, then an invalid date and an invalid
    # IRI, then HTML in the title and a good one
    bad_date = synthetic_dataset(3)
    period = URIRef("https://portal.example.org/period/3")
    bad_date.add(
        (URIRef("https://portal.example.org/dataset/3"), DCTERMS.temporal, period)
    )
    bad_date.add((period, DCAT.startDate, Literal("2020-13-45")))
    bad_iri = synthetic_dataset(4)
    bad_iri.set(
        (
            URIRef("https://portal.example.org/dataset/4/csv"),
            DCAT.accessURL,
            Literal("javascript:alert(1)"),
        )
    )
    portal.datasets = [
        synthetic_dataset(1),
        synthetic_dataset(2),
        bad_date,
        bad_iri,
        synthetic_dataset(5, title="<b>Parking</b> permits"),
        synthetic_dataset(6),
    ]

    # When it is harvested
    run = harvest_run(source_id=_source(portal).pk, owner="w")

    # Then the run read the first page itself and one child the two others,
    # refusing the two bad items with their reasons as the run itself would
    assert reads_here == [portal.url("/catalog")]
    assert len(children) == 1
    assert (run.status, run.pages, run.created, run.refused) == ("done", 3, 4, 2)
    assert run.lines == [
        {
            "id": "https://portal.example.org/dataset/3",
            "reason": "temporal start: invalid date '2020-13-45'",
        },
        {
            "id": "https://portal.example.org/dataset/4",
            "reason": "distribution access URL: not an http(s) URL: "
            "'javascript:alert(1)'",
        },
    ]
    assert DatasetPage.objects.filter(title="Parking permits").count() == 1
    # and the child has ended
    assert children[0].wait(timeout=5) == 0


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ((200, TURTLE, b"<a> <b> broken ."), "malformed text/turtle"),
        ((200, {"Content-Type": "text/html"}, b"<html/>"), "content type 'text/html'"),
        ((200, TURTLE, b"#" * 5000), "5000 bytes, over the 2048 cap"),
        ((302, {"Location": "http://10.0.0.1/catalog"}, b""), "10.0.0.1 is a private"),
    ],
)
def test_a_hostile_page_the_child_reads_fails_the_run_as_here(
    portal, hub, settings, children, reads_here, answer, reason
):
    # Given a source whose second page is hostile, and a page cap of 2 KiB set
    # in the run's process only
    settings.HARVEST_MAX_PAGE_BYTES = 2048
    portal.datasets = [synthetic_dataset(n) for n in range(1, 5)]
    portal.raw["/catalog"] = lambda query: (
        answer if query.get("page") == ["2"] else portal._catalogue(1)
    )

    # When it is harvested
    run = harvest_run(source_id=_source(portal).pk, owner="w")

    # Then the child refused the page with the reason the run gives, under the
    # run's settings, and the first page stays
    assert len(reads_here) == 1
    assert len(children) == 1
    assert (run.status, run.created) == ("failed", 2)
    assert reason in run.reason
    assert DatasetPage.objects.live().count() == 2


def test_a_killed_child_fails_the_run_as_transient_and_loses_nothing(
    portal, hub, children
):
    # Given six datasets, two per page, and a portal that kills the child
    # when it asks for the third page (it has sent the second)
    portal.datasets = [synthetic_dataset(n) for n in range(1, 7)]
    killed: list[int] = []

    def killing(query):
        if query.get("page") == ["3"] and not killed:
            killed.append(children[0].pid)
            os.kill(children[0].pid, signal.SIGKILL)
        return portal._catalogue(int(query.get("page", ["1"])[0]))

    portal.raw["/catalog"] = killing
    source = _source(portal)

    # When it is harvested
    with pytest.raises(HarvestTransient) as failed:
        harvest_run(source_id=source.pk, owner="w")

    # Then the run stays open for a retry, says why, and keeps the two pages
    # written before the child died
    reason = (
        f"{portal.url('/catalog?page=3')}: the page reader process stopped "
        "(killed by signal SIGKILL) before sending this page"
    )
    assert str(failed.value) == reason
    run = HarvestRun.objects.get()
    assert (run.status, run.reason) == ("running", f"will retry: {reason}")
    assert (run.pages, run.created, run.next_url) == (
        2,
        4,
        portal.url("/catalog?page=3"),
    )
    assert DatasetPage.objects.live().count() == 4

    # When it is retried (a new child)
    retried = harvest_run(source_id=source.pk, owner="w")

    # Then it resumes at the third page and ends as an uninterrupted run would
    assert (retried.status, retried.created, retried.takeovers) == ("done", 6, 1)
    assert DatasetPage.objects.live().count() == HarvestItem.objects.count() == 6


def test_a_transient_answer_to_the_child_keeps_its_retry_after(portal, hub, children):
    # Given a source whose second page is busy, asking to wait 8 s
    portal.datasets = [synthetic_dataset(n) for n in range(1, 5)]
    busy = (503, {"Content-Type": "text/plain", "Retry-After": "8"}, b"busy")
    portal.raw["/catalog"] = lambda query: (
        busy if query.get("page") == ["2"] else portal._catalogue(1)
    )

    # When it is harvested, the failure is the one the run's own read raises
    with pytest.raises(HarvestTransient) as failed:
        harvest_run(source_id=_source(portal).pk, owner="w")
    assert str(failed.value) == (
        f"{portal.url('/catalog?page=2')}: HTTP 503, asking to wait 8s"
    )
    assert failed.value.retry_after == 8


def _no_process(monkeypatch) -> None:
    def refused(*args, **kwargs):
        raise OSError("no processes left")

    monkeypatch.setattr(subprocess, "Popen", refused)


def _child_dead_at_once(monkeypatch) -> None:
    # a child that exits at once (say, its settings cannot be loaded)
    monkeypatch.setattr(read_ahead, "READY_WAIT_SECONDS", 60.0)
    monkeypatch.setattr(
        read_ahead,
        "_child_start",
        lambda: subprocess.Popen(
            [sys.executable, "-c", "raise SystemExit(3)"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        ),
    )


@pytest.mark.parametrize(
    ("arrange", "said"),
    [
        (
            _no_process,
            "harvest: no page reader process (no processes left); pages are read "
            "in this process",
        ),
        (
            _child_dead_at_once,
            "harvest: the page reader process ended before it was ready (exit code "
            "3); pages are read in this process",
        ),
    ],
    ids=["no-process", "dead-before-ready"],
)
def test_without_a_working_child_the_run_reads_here_and_says_so_once(
    portal, hub, settings, monkeypatch, caplog, reads_here, arrange, said
):
    # Given read-ahead on, but no process can be started, or it dies at once
    settings.HARVEST_READ_AHEAD = True
    arrange(monkeypatch)
    portal.datasets = [synthetic_dataset(n) for n in range(1, 6)]

    # When it is harvested
    with caplog.at_level(logging.WARNING, logger=read_ahead.__name__):
        run = harvest_run(source_id=_source(portal).pk, owner="w")

    # Then the run read every page itself, and one line said why
    assert (run.status, run.created) == ("done", 5)
    assert len(reads_here) == 3
    assert [record.getMessage() for record in caplog.records] == [said]


def test_the_child_ends_when_its_stdin_closes_mid_page(portal, settings):
    # Given a child that took over a source whose page takes 30 s to come
    portal.datasets = [synthetic_dataset(1)]
    portal.delays["/catalog"] = 30.0
    child = read_ahead._child_start()
    assert child is not None
    try:
        assert read_ahead._frame_receive(child.stdout.fileno(), until=None) == (
            "ready",
        )
        read_ahead._frame_send(
            child.stdin,
            {
                "kind": "dcat",
                "url": portal.url("/catalog"),
                "publisher": "",
                "seconds": 60.0,
                "settings": {"HARVEST_ALLOW_HOSTS": ["127.0.0.1"]},
            },
        )
        assert _soon(lambda: portal.requests == ["/catalog"])

        # When its stdin closes (the run ended, or its process died)
        started = time.monotonic()
        child.stdin.close()

        # Then it ends at once, without waiting for the page
        assert child.wait(timeout=10) == 0
        assert time.monotonic() - started < 5
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def _soon(check, timeout: float = 30.0) -> bool:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if check():
            return True
        time.sleep(0.05)  # polling another process's progress
    return False
