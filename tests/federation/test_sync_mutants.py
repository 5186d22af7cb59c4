"""After a sync: each page that changed something here is announced (naming the
neighbour it came from, whom the pokes spare), the run records its trigger within
the column, and a quarantined record keeps its version and a bounded payload.
A broken page shape is refused, key statements are asked for on the first page
only, and a success resets the failure count."""

import json
import time

import pytest

from federation.models import QuarantinedRecord, StoredRecord, SyncRun, SyncState
from federation.services.peer_http import SyncTransportError
from federation.services.sync import (
    QUARANTINE_PAYLOAD_CHARS,
    _run_finish,
    neighbour_sync,
)
from federation.signals import catalogue_changed
from hubs.models import HubKey
from tests.federation.factories import wire_record
from tests.federation.factories_sync import child_at
from tests.federation.peers import feed_answer, fixed, scripted_peer
from tests.federation.signers import OriginKeys

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_a_sync_announces_each_page_that_applied_records_and_a_noop_none():
    # given: a child whose feed has two pages of one new record each
    first, second = wire_record(origin="nl"), wire_record(origin="nl")
    pages = [
        feed_answer([first], end_cursor="c1", has_next=True, latest=2),
        feed_answer([second], end_cursor="c2", latest=2, first_sequence=2),
    ]
    sources: list[str] = []

    def receiver(*, source: str, **kwargs: object) -> None:
        sources.append(source)

    catalogue_changed.connect(receiver)
    try:
        with scripted_peer([lambda request, p=p: p for p in pages * 2]) as (url, _):
            child = child_at(url)
            # when: the records arrive
            applied = neighbour_sync(neighbour_id=child.pk)
            announced = list(sources)
            # when: the same pages again, from the start
            SyncState.objects.update(cursor="", local_position_seq=0)
            again = neighbour_sync(neighbour_id=child.pk)
    finally:
        catalogue_changed.disconnect(receiver)
    # then: one announcement per applied page, from nl; none for the no-op
    assert (applied.applied, again.applied, again.unchanged) == (2, 0, 2)
    assert (announced, sources) == (["nl", "nl"], ["nl", "nl"])


def test_a_long_trigger_is_cut_to_the_column():
    # given
    page = feed_answer([], end_cursor=None, latest=0)
    with scripted_peer([lambda request: page]) as (url, _):
        child = child_at(url)
        # when
        run = neighbour_sync(neighbour_id=child.pk, trigger="t" * 25)
    # then
    assert run.trigger == "t" * 20


def test_a_quarantined_record_keeps_its_version_and_a_bounded_payload():
    # given: an oversized record at version 3, and one whose version no column holds,
    oversized = wire_record(origin="nl", version=3, name="x" * 30_000)
    huge_version = {**wire_record(origin="nl", status="unknown"), "version": 2**70}
    # and one just past the contract's bound, which the column could hold
    past_bound = {**wire_record(origin="nl", status="unknown"), "version": 2**62 + 1}
    page = feed_answer([oversized, huge_version, past_bound], end_cursor="c2")
    with scripted_peer([lambda request: page]) as (url, _):
        child = child_at(url)
        # when
        run = neighbour_sync(neighbour_id=child.pk)
    # then
    assert run.quarantined == 3
    held = {row.record_id: row for row in QuarantinedRecord.objects.all()}
    assert [
        held[record["id"]].version for record in (oversized, huge_version, past_bound)
    ] == [3, None, None]
    assert len(held[oversized["id"]].payload) == QUARANTINE_PAYLOAD_CHARS == 20_000


def test_a_finished_run_records_its_duration_in_milliseconds():
    # given a run that started ten seconds ago (on the monotonic clock)
    child = child_at("http://127.0.0.1:1")
    run = SyncRun.objects.create(neighbour=child, trigger="test")
    # when it is finished
    _run_finish(run, time.monotonic() - 10.0, outcome=SyncRun.Outcome.OK)
    # then its duration is ten seconds in milliseconds, plus the call's own time
    assert 10_000 <= run.duration_ms < 10_009
    assert run.outcome == SyncRun.Outcome.OK


def test_a_page_whose_has_next_page_is_not_a_boolean_is_a_broken_answer():
    # given: a page with a list of edges but a hasNextPage of null
    status, body = feed_answer([wire_record(origin="nl")], end_cursor="c1")
    payload = json.loads(body)
    payload["data"]["changes"]["pageInfo"]["hasNextPage"] = None
    with scripted_peer([lambda request: (status, json.dumps(payload).encode())]) as (
        url,
        _,
    ):
        child = child_at(url)
        # when
        with pytest.raises(SyncTransportError, match="hasNextPage a boolean"):
            neighbour_sync(neighbour_id=child.pk)
    # then: nothing is applied and the cursor stays
    assert StoredRecord.objects.count() == 0
    assert SyncState.objects.get().cursor == ""


def test_a_quarantined_payload_keeps_non_ascii_text_as_it_is():
    # given: an invalid record whose body has non-ASCII text
    name = "Gemeente 's-Hertogenbosch — ü"
    bad = wire_record(origin="nl", status="unknown", name=name)
    page = feed_answer([bad], end_cursor="c1")
    with scripted_peer([lambda request: page]) as (url, _):
        child = child_at(url)
        # when
        neighbour_sync(neighbour_id=child.pk)
    # then: the stored text is the record's JSON with the characters themselves
    held = QuarantinedRecord.objects.get()
    assert held.payload == json.dumps(bad, sort_keys=True, ensure_ascii=False)
    assert f'"name": "{name}"' in held.payload


def test_key_statements_are_asked_for_on_the_first_page_only_and_pinned():
    # given: a child whose feed has two pages of nl-nb's signed records
    origin = OriginKeys("nl-nb")
    path = ["hub", "nl", "nl-nb"]
    wires = [
        origin.sign(wire_record(origin="nl-nb", origin_path=path, name=f"R{i}"))
        for i in range(2)
    ]
    pages = []
    for number, wire in enumerate(wires, start=1):
        status, body = feed_answer(
            [wire],
            end_cursor=f"c{number}",
            has_next=number == 1,
            latest=2,
            first_sequence=number,
        )
        payload = json.loads(body)
        payload["data"]["keys"] = origin.statements
        pages.append((status, json.dumps(payload).encode()))
    with scripted_peer([lambda request, p=p: p for p in pages]) as (url, peer):
        child = child_at(url)
        # when: the first sync
        run = neighbour_sync(neighbour_id=child.pk)
    # then: only the first request asks for keys, and the origin's key is pinned
    assert [request["variables"].get("withKeys") for request in peer.requests] == [
        True,
        None,
    ]
    assert list(HubKey.objects.values_list("origin", "key_id")) == [
        ("nl-nb", origin.key_id)
    ]
    assert (run.applied, run.quarantined) == (2, 0)
    assert StoredRecord.objects.filter(verified=True).count() == 2


def test_a_success_after_failures_resets_the_failure_count():
    # given: a sync that fails twice, then a peer that answers
    answers = [
        fixed(500, b"down"),
        fixed(500, b"down"),
        lambda request: feed_answer([wire_record(origin="nl")], end_cursor="c1"),
    ]
    with scripted_peer(answers) as (url, _):
        child = child_at(url)
        for _attempt in range(2):
            with pytest.raises(SyncTransportError):
                neighbour_sync(neighbour_id=child.pk)
        failed = SyncState.objects.get().consecutive_failures
        # when
        neighbour_sync(neighbour_id=child.pk)
    # then
    state = SyncState.objects.get()
    assert (failed, state.consecutive_failures, state.last_error) == (2, 0, "")
