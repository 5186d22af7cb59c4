"""The outbox drain over several small pages on the real OpenSearch node: pages
and ``max_pages``, a refused change in the middle (a real mapping conflict), dead
letters passed, the shared index's bootstrap, writes through a missing alias, and
the drain's enqueue on a real broker."""

import contextlib
import logging
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

import pytest
import requests
from django.conf import settings
from django.test import override_settings

from federation.models import StoredRecord
from federation.services.store import PublishItem, record_publish, records_publish
from search import engine as engine_module
from search.engine import SearchError, search_engine
from search.index import catalogue_index_body, index_name_bootstrap
from search.indexing import (
    index_drain,
    index_drain_enqueue,
    index_ensure,
    records_index,
)
from search.models import DeadLetter, IndexWatermark
from tests.conftest import free_port
from tests.federation.factories import body_for
from tests.search.corpus import wire

PAGE = 2


def _conflicting_index(engine, alias: str) -> str:
    """The shared index as a hub of another mapping made it: ``eqfLevel`` is a
    boolean there, so the engine refuses every course that states its level."""
    body = catalogue_index_body(engine=engine.name)
    body["mappings"]["properties"]["eqfLevel"] = {"type": "boolean"}
    body["aliases"] = {alias: {}}
    name = index_name_bootstrap(alias=alias)
    engine.index_create(name=name, body=body)
    return name


def _courses(levelled: set[int], count: int = 7) -> list[StoredRecord]:
    """``count`` courses in one batch (consecutive seqs); those at the positions
    in ``levelled`` state an EQF level."""
    return records_publish(
        items=[
            PublishItem(
                kind="course",
                body=body_for("course", **({"eqfLevel": 6} if n in levelled else {})),
            )
            for n in range(count)
        ]
    )


def _indexed(engine) -> dict[str, int]:
    """Every document of the alias: id -> version."""
    engine.index_refresh(name=settings.SEARCH_INDEX_ALIAS)
    answer = engine.search(
        index=settings.SEARCH_INDEX_ALIAS, body={"size": 100, "version": True}
    )
    return {hit["_id"]: hit["_version"] for hit in answer["hits"]["hits"]}


def _ids(stored: list[StoredRecord]) -> dict[str, int]:
    return {record.record_id: record.version for record in stored}


def test_a_drain_stops_after_max_pages_and_the_next_one_goes_on(
    db, fresh_alias, engine
):
    # given: seven changes, pages of two
    stored = _courses(levelled=set())
    # when: a drain of at most two pages
    first = index_drain(page_size=PAGE, max_pages=2)
    # then: four changes written, the watermark after the fourth
    assert (first.pages, first.written, first.failed) == (2, 4, 0)
    assert (first.watermark, first.backlog) == (stored[3].seq, 3)
    assert IndexWatermark.objects.get().indexed_seq == stored[3].seq
    assert _indexed(engine) == _ids(stored[:4])
    # when: the next drain, with room for more pages than are left
    second = index_drain(page_size=PAGE, max_pages=10)
    # then: the rest, in two pages (the last one short)
    assert (second.pages, second.written, second.stale) == (2, 3, 0)
    assert (second.watermark, second.backlog) == (stored[6].seq, 0)
    assert _indexed(engine) == _ids(stored)


def test_a_full_last_page_is_followed_by_an_empty_read(db, fresh_alias, engine):
    # given: exactly two full pages
    stored = _courses(levelled=set(), count=4)
    # when
    result = index_drain(page_size=PAGE)
    # then
    assert (result.pages, result.written, result.watermark) == (2, 4, stored[3].seq)


def test_a_refused_change_mid_drain_holds_the_watermark_below_it(
    db, fresh_alias, engine, settings
):
    # given: seven changes; the engine's mapping refuses the fourth
    settings.SEARCH_DRAIN_MAX_ATTEMPTS = 5
    _conflicting_index(engine, fresh_alias)
    stored = _courses(levelled={3})
    refused = stored[3]
    # when
    first = index_drain(page_size=PAGE)
    # then: the first page and the change before the refused one are written; the
    # drain stops there, the watermark just below the refused change
    mark = IndexWatermark.objects.get()
    assert (first.pages, first.written, first.failed) == (2, 3, 1)
    assert first.watermark == mark.indexed_seq == refused.seq - 1
    assert (mark.failing_seq, mark.failing_attempts) == (refused.seq, 1)
    assert mark.last_error.startswith(f"{refused.record_id} 400 mapper_parsing")
    assert _indexed(engine) == _ids(stored[:3])
    # when: the next drain meets it again
    second = index_drain(page_size=PAGE)
    # then: a second attempt, the watermark still below it
    mark = IndexWatermark.objects.get()
    assert (second.pages, second.written, second.failed) == (1, 1, 1)
    assert (mark.indexed_seq, mark.failing_seq, mark.failing_attempts) == (
        refused.seq - 1,
        refused.seq,
        2,
    )
    # when: the record is corrected (a new version, a new change) and drained
    fixed = record_publish(
        kind="course", body=body_for("course"), record_id=refused.record_id
    )
    third = index_drain(page_size=PAGE)
    # then: every change is in the index and nothing holds the drain
    mark = IndexWatermark.objects.get()
    assert (third.pages, third.written, third.stale, third.failed) == (2, 3, 1, 0)
    assert (mark.indexed_seq, mark.failing_seq, mark.last_error) == (
        fixed.seq,
        None,
        "",
    )
    assert _indexed(engine) == {**_ids(stored), fixed.record_id: 2}


def test_refusals_that_used_up_their_attempts_are_passed_and_the_drain_goes_on(
    db, fresh_alias, engine, settings
):
    # given: a page of two refused changes in the middle, one attempt allowed
    settings.SEARCH_DRAIN_MAX_ATTEMPTS = 1
    _conflicting_index(engine, fresh_alias)
    stored = _courses(levelled={2, 3})
    # when
    result = index_drain(page_size=PAGE)
    # then: both are dead letters, every later page is written
    assert (result.pages, result.written, result.dead_lettered) == (4, 5, 2)
    assert (result.failed, result.watermark) == (0, stored[6].seq)
    assert sorted(DeadLetter.objects.values_list("record_id", flat=True)) == sorted(
        [stored[2].record_id, stored[3].record_id]
    )
    assert IndexWatermark.objects.get().failing_seq is None
    assert _indexed(engine) == _ids(stored[:2] + stored[4:])


def test_a_dead_letter_stays_until_a_newer_version_is_accepted(
    db, fresh_alias, engine, settings
):
    # given: a course the engine refused for good (a dead letter at version 1)
    settings.SEARCH_DRAIN_MAX_ATTEMPTS = 1
    _conflicting_index(engine, fresh_alias)
    stored = _courses(levelled={1}, count=3)
    refused = stored[1].record_id
    assert index_drain(page_size=PAGE).dead_lettered == 1
    # when: its next version is refused as well (a first attempt: held)
    settings.SEARCH_DRAIN_MAX_ATTEMPTS = 2
    record_publish(
        kind="course",
        body=body_for("course", title="Still levelled", eqfLevel=7),
        record_id=refused,
    )
    held = index_drain(page_size=PAGE)
    # then: the dead letter stays
    assert (held.failed, held.dead_lettered) == (1, 0)
    assert list(DeadLetter.objects.values_list("record_id", "version")) == [
        (refused, 1)
    ]
    # when: a version the engine accepts
    record_publish(kind="course", body=body_for("course"), record_id=refused)
    accepted = index_drain(page_size=PAGE)
    # then: the dead letter is resolved
    assert (accepted.written, accepted.failed) == (1, 0)
    assert not DeadLetter.objects.exists()


def test_two_refusals_in_a_page_count_both_and_hold_at_the_first(
    db, fresh_alias, engine, settings
):
    # given
    settings.SEARCH_DRAIN_MAX_ATTEMPTS = 5
    _conflicting_index(engine, fresh_alias)
    stored = _courses(levelled={2, 3})
    # when
    result = index_drain(page_size=PAGE)
    # then
    assert (result.pages, result.written, result.failed) == (2, 2, 2)
    assert result.watermark == stored[2].seq - 1
    assert IndexWatermark.objects.get().failing_seq == stored[2].seq


def test_index_ensure_adopts_the_index_another_hub_just_created(fresh_alias, engine):
    # given: the bootstrap index exists, without the alias yet (another hub is
    # between its create and its alias, or the alias was removed by hand)
    name = index_name_bootstrap(alias=fresh_alias)
    engine.index_create(name=name, body=catalogue_index_body(engine=engine.name))
    # when
    ensured = index_ensure(engine=engine)
    # then: that index, now behind the alias
    assert ensured == name
    assert engine.alias_targets(alias=fresh_alias) == [name]
    assert index_ensure(engine=engine) == name


def test_index_ensure_raises_any_other_creation_error(fresh_alias, engine):
    # when: the engine refuses the index (an invalid setting)
    with pytest.raises(SearchError, match="unknown setting"):
        index_ensure(engine=engine, extra_settings={"index.no_such_setting": 1})
    # then: nothing was created
    assert engine.alias_targets(alias=fresh_alias) == []
    assert engine.indices_docs(pattern=f"{fresh_alias}*") == {}


def test_a_write_through_a_missing_alias_fails_and_creates_no_index(
    fresh_alias, engine
):
    # given: no index behind the alias
    record = wire(hub="nl", name="Nergens")
    # when
    result = records_index(records=[record])
    # then: refused as "not found", and no index named like the alias appeared
    assert (result.written, [item["status"] for item in result.failed]) == (0, [404])
    assert [item["id"] for item in result.failed] == [record["id"]]
    assert engine.indices_docs(pattern=f"{fresh_alias}*") == {}


@contextlib.contextmanager
def alias_dropping_proxy(upstream: str, alias: str) -> Iterator[str]:
    """A real HTTP proxy in front of the node that removes ``alias`` just before
    the first bulk write reaches the node (as a rebuild gone wrong would)."""
    state = {"dropped": False}

    class Handler(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if "_bulk" in self.path and not state["dropped"]:
                state["dropped"] = True
                requests.delete(f"{upstream}/_all/_alias/{alias}", timeout=10)
            headers = {
                k: v for k, v in self.headers.items() if k.lower() not in ("host",)
            }
            answer = requests.request(
                self.command,
                upstream + self.path,
                data=body,
                headers=headers,
                timeout=30,
            )
            self.send_response(answer.status_code)
            for name in ("Content-Type", "X-Opensearch-Product", "X-Elastic-Product"):
                if name in answer.headers:
                    self.send_header(name, answer.headers[name])
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_drain_holds_when_the_alias_is_gone_at_its_write(
    db, fresh_alias, engine, search_url
):
    # given: changes, the index behind the alias, and an alias that vanishes
    # just before the drain's first bulk write
    stored = _courses(levelled=set(), count=3)
    index_ensure(engine=engine)
    with alias_dropping_proxy(search_url, fresh_alias) as proxy:
        engine_module.search_engine.cache_clear()
        try:
            with override_settings(SEARCH_URL=proxy):
                # when
                result = index_drain(page_size=PAGE)
        finally:
            engine_module.search_engine.cache_clear()
    # then: the write failed (not found, retried later without counting), the
    # watermark did not move, and no index named like the alias was created
    mark = IndexWatermark.objects.get()
    assert (result.pages, result.written, result.failed) == (1, 0, 2)
    assert (mark.indexed_seq, mark.failing_seq, mark.failing_attempts) == (
        0,
        stored[0].seq,
        0,
    )
    assert " 404 " in mark.last_error
    assert not search_engine().index_exists(name=fresh_alias)
    assert engine.alias_targets(alias=fresh_alias) == []


def test_enqueue_sends_one_drain_task_after_the_commit(
    db, broker_queue, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        index_drain_enqueue()
        assert broker_queue("index") == []  # not before the commit
    # then
    assert [task.name for task in broker_queue("index")] == [
        "search.tasks.index_drain_task"
    ]


@pytest.fixture
def broker_unreachable() -> Iterator[None]:
    """Point this process's Celery producer at a Redis port nobody listens on."""
    from hubnet.celery import app

    previous = app.conf.broker_write_url

    def reconnect(write_url: str | None) -> None:
        app.conf.broker_write_url = write_url
        app._pool = None
        app.amqp._producer_pool = None

    reconnect(f"redis://127.0.0.1:{free_port()}/0")
    try:
        yield
    finally:
        reconnect(previous)


def test_enqueue_logs_a_warning_and_returns_when_the_broker_is_down(
    db, broker_unreachable, caplog, django_capture_on_commit_callbacks
):
    # given
    caplog.set_level(logging.WARNING, logger="search.indexing")
    started = time.monotonic()
    # when: the commit's callback cannot reach the broker
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        index_drain_enqueue()
    # then: no error reaches the committer; one warning with the broker's error
    assert len(callbacks) == 1
    warnings = [r for r in caplog.records if r.name == "search.indexing"]
    assert [(r.levelno, r.getMessage()) for r in warnings] == [
        (logging.WARNING, "could not enqueue an index drain")
    ]
    assert warnings[0].exc_info is not None
    assert time.monotonic() - started < 10
