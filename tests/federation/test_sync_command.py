"""``hubnet sync``: pull neighbours now, against a real (tiny) HTTP endpoint."""

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from federation.models import StoredRecord, SyncRun, SyncState
from federation.wire import CHANGES_QUERY
from hubs.models import Neighbour, NeighbourRole
from tests.conftest import ROOT, free_port, test_database_url
from tests.federation.factories import wire_record
from tests.hubs.factories import NeighbourFactory


class FeedServer:
    """A neighbour's /graphql endpoint answering one canned page of changes."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                server.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers["Authorization"],
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                body = json.dumps(server.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "FeedServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def _page(records: list[dict[str, Any]]) -> dict[str, Any]:
    edges = [
        {"cursor": f"c{n}", "sequence": n, "wire": record}
        for n, record in enumerate(records, start=1)
    ]
    return {
        "data": {
            "changes": {
                "latestSequence": len(records),
                "pageInfo": {"hasNextPage": False, "endCursor": f"c{len(records)}"},
                "edges": edges,
            }
        }
    }


@pytest.fixture
def records() -> list[dict[str, Any]]:
    return [
        wire_record(kind="organisation", origin="nl", origin_path=["eu", "nl"]),
        wire_record(
            kind="organisation",
            origin="nl",
            origin_path=["eu", "nl"],
            version=3,
            body={"name": "Fontys", "type": "knowledge-institution"},
        ),
    ]


@pytest.fixture
def feed(records) -> Iterator[FeedServer]:
    with FeedServer(_page(records)) as server:
        yield server


def _dead_url() -> str:
    return f"http://127.0.0.1:{free_port()}"


def _sync(*args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("sync", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.mark.django_db
def test_sync_one_neighbour_stores_its_records_and_records_the_run(feed, records):
    # given a child hub serving two valid records
    child = NeighbourFactory(slug="nl", role=NeighbourRole.CHILD, endpoint_url=feed.url)
    # when
    out, err = _sync("--neighbour", "nl")
    # then
    run = SyncRun.objects.get()
    assert err == ""
    assert out == (
        "nl: ok fetched=2 applied=2 unchanged=0 stale=0 own=0 quarantined=0 "
        f"pages=1 duration={run.duration_ms}ms\n"
    )
    assert (run.outcome, run.trigger, run.pages, run.fetched, run.applied) == (
        "ok",
        "command",
        1,
        2,
        2,
    )
    stored = {
        row.record_id: (row.version, row.title, row.received_from)
        for row in StoredRecord.objects.all()
    }
    assert stored == {
        records[0]["id"]: (1, "TU/e", "nl"),
        records[1]["id"]: (3, "Fontys", "nl"),
    }
    state = SyncState.objects.get(neighbour=child)
    assert (state.cursor, state.remote_latest_seq, state.local_position_seq) == (
        "c2",
        2,
        2,
    )
    assert (state.consecutive_failures, state.last_error) == (0, "")
    assert state.last_success_at is not None
    assert feed.requests == [
        {
            "path": "/graphql",
            "authorization": f"Bearer {child.outbound_token}",
            "json": {
                "query": CHANGES_QUERY,
                "variables": {"after": None, "first": 500, "withKeys": True},
            },
        }
    ]


@pytest.mark.django_db
def test_a_dead_endpoint_fails_with_an_error_line_and_status_1():
    # given a child whose endpoint is a closed port
    url = _dead_url()
    child = NeighbourFactory(slug="nl", role=NeighbourRole.CHILD, endpoint_url=url)
    stdout, stderr = StringIO(), StringIO()
    # when
    with pytest.raises(CommandError) as failed:
        call_command("sync", "--neighbour", "nl", stdout=stdout, stderr=stderr)
    # then
    assert failed.value.returncode == 1
    assert str(failed.value) == "1 of 1 neighbour sync(s) failed"
    assert stdout.getvalue() == ""
    (line,) = stderr.getvalue().splitlines()
    assert line.startswith(f"nl: error: cannot reach {url}/graphql: ")
    run = SyncRun.objects.get()
    assert (run.outcome, run.fetched, run.trigger) == ("error", 0, "command")
    assert run.error.startswith(f"cannot reach {url}/graphql: ")
    state = SyncState.objects.get(neighbour=child)
    assert (state.consecutive_failures, state.cursor) == (1, "")
    assert StoredRecord.objects.count() == 0


@pytest.mark.django_db
def test_sync_all_runs_every_pulled_neighbour_and_fails_if_one_failed(feed):
    # given two pulled neighbours (one dead), a parent and a disabled child
    NeighbourFactory(slug="nl", role=NeighbourRole.CHILD, endpoint_url=feed.url)
    dead = _dead_url()
    NeighbourFactory(slug="de", role=NeighbourRole.PEER, endpoint_url=dead)
    NeighbourFactory(slug="eu", role=NeighbourRole.PARENT, endpoint_url=feed.url)
    NeighbourFactory(
        slug="be", role=NeighbourRole.CHILD, endpoint_url=feed.url, enabled=False
    )
    stdout, stderr = StringIO(), StringIO()
    # when
    with pytest.raises(CommandError) as failed:
        call_command("sync", "--all", stdout=stdout, stderr=stderr)
    # then the child synced, the peer failed, the others were left alone
    assert failed.value.returncode == 1
    assert str(failed.value) == "1 of 2 neighbour sync(s) failed"
    assert stdout.getvalue().startswith("nl: ok fetched=2 applied=2 ")
    assert stderr.getvalue().startswith(f"de: error: cannot reach {dead}/graphql: ")
    assert sorted(SyncRun.objects.values_list("neighbour__slug", "outcome")) == [
        ("de", "error"),
        ("nl", "ok"),
    ]
    assert len(feed.requests) == 1
    assert StoredRecord.objects.count() == 2


@pytest.mark.django_db
def test_sync_all_with_no_pulled_neighbours_says_so():
    # given only a parent
    NeighbourFactory(slug="eu", role=NeighbourRole.PARENT)
    # when
    out, err = _sync("--all")
    # then
    assert (out, err) == ("no neighbours to sync (roles pulled: child, peer)\n", "")
    assert SyncRun.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Error: one of the arguments --neighbour --all is required"),
        (("--neighbour", "nl", "--all"), "Error: argument --all: not allowed with"),
        (("--neighbour", "nope"), "no neighbour with slug 'nope'"),
        (("--neighbour", "eu"), "this hub does not pull from eu: it is a parent"),
        (("--neighbour", "be"), "this hub does not pull from be: it is disabled"),
    ],
)
def test_sync_refuses_bad_arguments_and_unpulled_neighbours(args, message):
    # given
    NeighbourFactory(slug="eu", role=NeighbourRole.PARENT)
    NeighbourFactory(slug="be", role=NeighbourRole.CHILD, enabled=False)
    # when
    with pytest.raises(CommandError) as refused:
        _sync(*args)
    # then
    assert str(refused.value).startswith(message)
    assert SyncRun.objects.count() == 0


def test_hubnet_sync_exits_1_through_the_cli(transactional_db):
    # given a neighbour with a dead endpoint, committed for another process to see
    url = _dead_url()
    Neighbour.objects.create(
        slug="nl",
        name="NL hub",
        role=NeighbourRole.CHILD,
        endpoint_url=url,
        inbound_token_hash="0" * 64,
    )
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hubnet.settings.test",
        "DATABASE_URL": test_database_url(),
    }
    # when
    done = subprocess.run(
        [sys.executable, "-m", "hubnet", "sync", "--neighbour", "nl"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # then
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert f"nl: error: cannot reach {url}/graphql: " in done.stderr
    assert "CommandError: 1 of 1 neighbour sync(s) failed" in done.stderr
