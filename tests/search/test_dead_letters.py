"""Dead letters of the index drain, against the real OpenSearch node: a change the
engine refuses for good is retried, then dead-lettered and passed; transient
failures never dead-letter; the status command shows what is held.

The engine refuses through an ingest pipeline (``tests.search.dead_letters``);
re-drives are in test_redrive.py.
"""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.core.management import call_command
from django.utils import timezone

from federation.models import StoredRecord
from federation.selectors import sequence_latest
from federation.services.store import record_publish
from search import engine as engine_module
from search.engine import SearchUnavailable, search_engine
from search.indexing import index_drain, records_index
from search.models import DeadLetter, IndexWatermark
from search.selectors import index_status
from tests.conftest import free_port
from tests.federation.factories import body_for
from tests.search.dead_letters import (
    REFUSED_TITLE,
    dead_letter_some,
    indexed_versions,
    publish_records,
)


def _mark() -> IndexWatermark:
    return IndexWatermark.objects.get(pk=1)


def test_a_refused_change_is_retried_then_dead_lettered_and_the_drain_moves_on(
    db, refusal, settings
):
    # given seven changes, the fourth refused for good, drained two per page
    settings.SEARCH_DRAIN_MAX_ATTEMPTS = 3
    stored = publish_records(7, refused_at=3)
    refused = stored[3]
    # when draining once
    first = index_drain(page_size=2)
    # then the drain stopped at the refused change after two pages: the
    # watermark sits just below it and the first attempt is counted
    mark = _mark()
    assert (first.pages, first.failed, first.dead_lettered) == (2, 1, 0)
    assert first.watermark == mark.indexed_seq == refused.seq - 1 == stored[2].seq
    assert (mark.failing_seq, mark.failing_attempts) == (refused.seq, 1)
    assert mark.last_error.startswith(f"{refused.record_id} 400 mapper_parsing")
    first_failure = mark.failing_since
    assert first_failure is not None
    assert set(indexed_versions()) == {s.record_id for s in stored[:3]}
    assert not DeadLetter.objects.exists()
    # when draining again: one more attempt each time, the watermark held
    second = index_drain(page_size=2)
    assert (second.pages, second.failed, second.watermark) == (1, 1, stored[2].seq)
    assert (_mark().failing_attempts, _mark().failing_since) == (2, first_failure)
    assert not DeadLetter.objects.exists()
    # when the third drain uses up the attempts
    third = index_drain(page_size=2)
    # then the change is a dead letter and every other change is indexed
    assert (third.pages, third.failed, third.dead_lettered) == (2, 0, 1)
    assert third.watermark == _mark().indexed_seq == sequence_latest() == stored[6].seq
    assert third.backlog == 0
    assert indexed_versions() == {s.record_id: 1 for s in stored if s != refused}
    mark = _mark()
    assert (mark.failing_seq, mark.failing_attempts, mark.failing_since) == (
        None,
        0,
        None,
    )
    letter = DeadLetter.objects.get()
    assert (letter.record_id, letter.seq, letter.version, letter.status) == (
        refused.record_id,
        refused.seq,
        1,
        400,
    )
    assert letter.reason.startswith("mapper_parsing_exception: failed to parse field")
    assert "[trl]" in letter.reason
    assert letter.attempts == 3
    assert letter.first_failed_at == first_failure < letter.last_failed_at
    # and a later drain has nothing left to do
    assert (index_drain(page_size=2).pages, DeadLetter.objects.count()) == (0, 1)


def test_a_clean_drain_runs_every_page_in_one_go(db, refusal):
    # given seven acceptable changes
    stored = publish_records(7)
    # when draining two per page
    result = index_drain(page_size=2)
    # then one drain sent all four pages and the watermark reached the end
    assert (result.pages, result.written, result.failed) == (4, 7, 0)
    assert result.watermark == _mark().indexed_seq == stored[-1].seq
    assert set(indexed_versions()) == {s.record_id for s in stored}


def test_max_pages_stops_the_drain_and_the_next_drain_goes_on(db, refusal):
    # given seven changes
    stored = publish_records(7)
    # when draining at most two pages of two
    first = index_drain(page_size=2, max_pages=2)
    # then it stopped after two pages, the watermark after the fourth change
    assert (first.pages, first.written, first.watermark) == (2, 4, stored[3].seq)
    assert first.backlog == 3
    assert set(indexed_versions()) == {s.record_id for s in stored[:4]}
    # when draining again the same way, it goes on from there
    second = index_drain(page_size=2, max_pages=2)
    assert (second.pages, second.written, second.watermark) == (2, 3, stored[6].seq)
    assert second.backlog == 0
    assert index_drain(page_size=2, max_pages=2).pages == 0


def test_a_refused_change_fixed_in_time_is_indexed_and_never_dead_lettered(
    db, refusal, settings
):
    # given a refused change that has used two of its three attempts
    settings.SEARCH_DRAIN_MAX_ATTEMPTS = 3
    stored = publish_records(5, refused_at=1)
    index_drain(page_size=2)
    index_drain(page_size=2)
    assert (_mark().failing_seq, _mark().failing_attempts) == (stored[1].seq, 2)
    # when the cause is fixed before the third drain
    refusal.fix()
    result = index_drain(page_size=2)
    # then it is indexed, nothing is dead-lettered and the drain is clear
    assert (result.failed, result.dead_lettered) == (0, 0)
    assert result.watermark == stored[4].seq
    assert indexed_versions() == {s.record_id: 1 for s in stored}
    assert not DeadLetter.objects.exists()
    mark = _mark()
    assert (mark.failing_seq, mark.failing_attempts, mark.last_error) == (None, 0, "")


def test_an_unreachable_engine_dead_letters_nothing_and_counts_no_attempt(
    db, refusal, settings, search_url
):
    # given a refused change with one of its two attempts used
    settings.SEARCH_DRAIN_MAX_ATTEMPTS = 2
    stored = publish_records(4, refused_at=1)
    index_drain(page_size=2)
    before = _mark()
    assert (before.indexed_seq, before.failing_attempts) == (stored[0].seq, 1)
    # when three drains run while the engine cannot be reached
    settings.SEARCH_URL = f"http://127.0.0.1:{free_port()}"
    engine_module.search_engine.cache_clear()
    try:
        for _ in range(3):
            with pytest.raises(SearchUnavailable):
                index_drain(page_size=2)
    finally:
        settings.SEARCH_URL = search_url
        engine_module.search_engine.cache_clear()
    # then nothing moved: no dead letter, same watermark, attempts and backlog
    mark = _mark()
    assert not DeadLetter.objects.exists()
    assert (mark.indexed_seq, mark.failing_seq, mark.failing_attempts) == (
        stored[0].seq,
        stored[1].seq,
        1,
    )
    assert mark.failing_since == before.failing_since
    assert mark.last_error.startswith("SearchUnavailable: ConnectionError")
    assert sequence_latest() - mark.indexed_seq == 3
    # when the engine is back, the second real attempt dead-letters it
    result = index_drain(page_size=2)
    assert (result.dead_lettered, result.watermark) == (1, stored[3].seq)
    assert DeadLetter.objects.get().attempts == 2


def test_a_missing_alias_fails_the_write_and_holds_the_drain_without_counting(
    db, fresh_alias, settings, monkeypatch, capsys
):
    # given a change, an alias with no index behind it (removed by hand between
    # the drain's check and its write), and a single attempt allowed
    settings.SEARCH_DRAIN_MAX_ATTEMPTS = 1
    (stored,) = publish_records(1)
    monkeypatch.setattr("search.indexing.index_ensure", lambda **kwargs: "")
    # when draining
    result = index_drain(page_size=2)
    # then the write failed on the missing alias (no index was auto-created),
    # the watermark did not move and nothing was dead-lettered (not the
    # record's fault)
    engine = search_engine()
    assert engine.alias_targets(alias=fresh_alias) == []
    assert not engine.index_exists(name=fresh_alias)
    mark = _mark()
    assert (result.failed, result.dead_lettered, result.watermark) == (1, 0, 0)
    assert (mark.indexed_seq, mark.failing_seq, mark.failing_attempts) == (
        0,
        stored.seq,
        0,
    )
    assert "404 index_not_found_exception" in mark.last_error
    assert not DeadLetter.objects.exists()
    call_command("search", "status")
    assert (
        f"held at:    seq {stored.seq}, a transient refusal, retried without counting"
    ) in capsys.readouterr().out
    # and writing records directly fails the same way
    direct = records_index(records=[{**_wire(stored)}])
    assert [(item["id"], item["status"]) for item in direct.failed] == [
        (stored.record_id, 404)
    ]
    assert not engine.index_exists(name=fresh_alias)


def _wire(stored: StoredRecord) -> dict:
    from federation.selectors import record_wire

    return record_wire(stored)


def test_status_shows_the_held_change_and_the_dead_letters(
    db, refusal, settings, capsys
):
    # given one dead letter and a second refused change still being retried
    stored = dead_letter_some(refusal, settings)
    settings.SEARCH_DRAIN_MAX_ATTEMPTS = 4
    held = record_publish(
        kind="project", body=body_for("project", name=f"{REFUSED_TITLE} two")
    )
    index_drain(page_size=2)
    # when asking for the status, as text and as JSON
    call_command("search", "status")
    text = capsys.readouterr().out
    call_command("search", "status", "--json")
    data = json.loads(capsys.readouterr().out)
    # then both show the held change with its attempts and the dead letter
    letter = DeadLetter.objects.get()
    assert f"held at:    seq {held.seq}, attempt 1 of 4, failing since 20" in text
    assert "dead letters: 1 (re-drive: hubnet search redrive --all)" in text
    assert (
        f"  {stored[1].record_id} v1 (seq {stored[1].seq}): 400 "
        "mapper_parsing_exception: failed to parse field [trl]"
    ) in text
    assert (
        "      1 attempt, failing since "
        f"{letter.first_failed_at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC, last "
        f"{letter.last_failed_at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC"
    ) in text
    assert (data["failing_seq"], data["failing_attempts"], data["max_attempts"]) == (
        held.seq,
        1,
        4,
    )
    assert data["dead_letters"] == 1
    (row,) = data["dead_letters_recent"]
    assert (row["record_id"], row["version"], row["status"], row["attempts"]) == (
        stored[1].record_id,
        1,
        400,
        1,
    )
    assert row["reason"] == letter.reason
    assert row["last_failed_at"] == letter.last_failed_at.isoformat()
    assert index_status().dead_letters == 1


def test_status_counts_every_dead_letter_but_lists_the_latest_five(
    db, search_alias, capsys
):
    # given seven dead letters
    now = timezone.now()
    for n in range(7):
        DeadLetter.objects.create(
            record_id=f"nl:project:{n}",
            seq=n + 1,
            version=1,
            status=400,
            reason=f"illegal_argument_exception: number {n}",
            attempts=5,
            first_failed_at=now,
            last_failed_at=now + dt.timedelta(seconds=n),
        )
    # when
    call_command("search", "status")
    text = capsys.readouterr().out
    # then
    assert "dead letters: 7 (re-drive" in text
    shown = [line.split()[0] for line in text.splitlines() if line.startswith("  nl:")]
    assert shown == [f"nl:project:{n}" for n in (6, 5, 4, 3, 2)]
    assert "  ... and 2 more" in text


class FlakyEngine:
    """A real HTTP proxy in front of the search node that passes ``bulk_budget``
    bulk requests and then drops every connection without an answer, as an
    engine that went away in the middle of a drain."""

    def __init__(self, upstream: str, *, bulk_budget: int) -> None:
        self.upstream = upstream
        self.bulk_budget = bulk_budget
        self.bulks = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if self.path.startswith("/_bulk"):
                    proxy.bulks += 1
                    if proxy.bulks > proxy.bulk_budget:
                        self.close_connection = True
                        return  # no answer at all
                answer = requests.request(
                    self.command,
                    f"{proxy.upstream}{self.path}",
                    data=body,
                    headers={"Content-Type": self.headers.get("Content-Type", "")},
                    timeout=30,
                )
                self.send_response(answer.status_code)
                for name in ("Content-Type",):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _relay

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FlakyEngine":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _drain_through(settings, search_url: str, *, bulk_budget: int) -> FlakyEngine:
    """One drain through a proxy that lets ``bulk_budget`` bulk requests pass."""
    with FlakyEngine(search_url, bulk_budget=bulk_budget) as proxy:
        settings.SEARCH_URL = proxy.url
        engine_module.search_engine.cache_clear()
        try:
            with pytest.raises(SearchUnavailable):
                index_drain(page_size=2)
        finally:
            settings.SEARCH_URL = search_url
            engine_module.search_engine.cache_clear()
    return proxy


def test_an_engine_lost_in_the_middle_of_a_drain_keeps_what_it_took_and_counts_nothing(
    db, refusal, settings, search_url
):
    # given seven changes, the sixth refused for good, two attempts allowed
    settings.SEARCH_DRAIN_MAX_ATTEMPTS = 2
    stored = publish_records(7, refused_at=5)
    # when the engine goes away after taking the first page
    proxy = _drain_through(settings, search_url, bulk_budget=1)
    # then the watermark stays after that page and no attempt is counted
    mark = _mark()
    assert proxy.bulks >= 2
    assert (mark.indexed_seq, mark.failing_seq, mark.failing_attempts) == (
        stored[1].seq,
        None,
        0,
    )
    assert mark.last_error.startswith("SearchUnavailable")
    assert set(indexed_versions()) == {s.record_id for s in stored[:2]}
    # when a drain with the engine back meets the refused change: attempt 1
    index_drain(page_size=2)
    assert (_mark().indexed_seq, _mark().failing_attempts) == (stored[4].seq, 1)
    # and the engine goes away again before taking anything: still attempt 1
    _drain_through(settings, search_url, bulk_budget=0)
    mark = _mark()
    assert (mark.indexed_seq, mark.failing_seq, mark.failing_attempts) == (
        stored[4].seq,
        stored[5].seq,
        1,
    )
    assert not DeadLetter.objects.exists()
    # when the engine is back, the second real attempt dead-letters it
    last = index_drain(page_size=2)
    assert (last.dead_lettered, last.watermark) == (1, stored[6].seq)
    assert indexed_versions() == {s.record_id: 1 for s in stored if s != stored[5]}
