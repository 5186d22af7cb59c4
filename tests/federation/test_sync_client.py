"""The sync client against broken and hostile peers: bad records are quarantined,
transport failures never move the cursor, and every run is recorded."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from federation.models import (
    QuarantinedRecord,
    StoredRecord,
    SyncRun,
    SyncState,
)
from federation.records import record_validate
from federation.selectors import changes_after, record_wire
from federation.services.peer_http import SyncEndpointRefused
from federation.services.store import records_apply
from federation.services.sync import (
    SyncDeadlinePassed,
    SyncLocked,
    SyncTransportError,
    neighbour_sync,
    neighbours_sync_enqueue,
    sync_enqueue,
)
from federation.tasks import neighbour_sync_task
from federation.wire import CHANGES_QUERY
from hubs.models import Neighbour
from hubs.services import neighbour_create
from tests.federation.factories import (
    body_for,
    wire_record,
)
from tests.federation.factories_sync import child_at as child_create
from tests.federation.peers import (
    feed_answer,
    fixed,
    scripted_peer,
    slow,
    trickling_peer,
)

pytestmark = pytest.mark.django_db

START_CURSOR = "start-cursor"


def child_at(url: str, *, cursor: str = START_CURSOR) -> Neighbour:
    return child_create(url, cursor=cursor)


def test_malformed_records_are_quarantined_and_valid_ones_applied():
    # given: a page mixing good records with every kind of bad one
    good = [wire_record(), wire_record(kind="organisation")]
    bad = {
        "wrong type": {**wire_record(), "version": "three"},
        "missing field": {k: v for k, v in wire_record().items() if k != "origin"},
        "oversized": wire_record(name="x" * 100_000),
        "script": wire_record(shortDescription="<script>steal()</script>"),
        "unknown kind": {**wire_record(), "kind": "spaceship"},
        "not an object": "just a string",
    }
    page = feed_answer([good[0], *bad.values(), good[1]], end_cursor="c8")
    with scripted_peer([lambda request: page]) as (url, peer):
        neighbour = child_at(url)
        # when
        run = neighbour_sync(neighbour_id=neighbour.pk)
    # then
    assert set(StoredRecord.objects.values_list("record_id", flat=True)) == {
        good[0]["id"],
        good[1]["id"],
    }
    assert (run.outcome, run.fetched, run.applied, run.quarantined) == ("ok", 8, 2, 6)
    reasons = list(QuarantinedRecord.objects.values_list("reason", flat=True))
    assert len(reasons) == 6
    assert any("version: Input should be a valid integer" in r for r in reasons)
    assert any("origin: Field required" in r for r in reasons)
    assert any("body.name: String should have at most 300" in r for r in reasons)
    assert any("body.shortDescription: markup is not allowed" in r for r in reasons)
    assert any("kind: Input should be 'project'" in r for r in reasons)
    assert any("a record must be a JSON object, got str" in r for r in reasons)
    assert SyncState.objects.get().cursor == "c8"
    assert peer.requests[0]["query"] == CHANGES_QUERY
    assert peer.requests[0]["variables"]["after"] == START_CURSOR
    assert peer.headers[0]["Authorization"] == "Bearer " + "o" * 40


def test_the_same_bad_record_again_is_counted_not_duplicated():
    bad = {**wire_record(), "version": "three"}
    page = feed_answer([bad], end_cursor="c1")
    with scripted_peer([lambda request: page]) as (url, _):
        neighbour = child_at(url)
        neighbour_sync(neighbour_id=neighbour.pk)
        SyncState.objects.update(cursor=START_CURSOR)
        neighbour_sync(neighbour_id=neighbour.pk)
    quarantined = QuarantinedRecord.objects.get()
    assert quarantined.times_seen == 2
    assert quarantined.record_id == bad["id"]


@pytest.mark.parametrize(
    ("responder", "message"),
    [
        (fixed(500, b"oops"), "answered HTTP 500"),
        (fixed(502, b"<html>bad gateway</html>"), "answered HTTP 502"),
        (fixed(200, b"<html>not json</html>"), "invalid JSON"),
        (fixed(200, b"[1, 2, 3]"), "answered a JSON list"),
        (
            fixed(200, b'{"data": {"changes": {"edges": "nope"}}}'),
            "does not match the schema",
        ),
        (
            fixed(200, json.dumps({"data": {"hub": {}}}).encode()),
            "does not match the schema",
        ),
        (
            fixed(
                200, json.dumps({"errors": [{"message": "Not authorised"}]}).encode()
            ),
            "answered with errors: Not authorised",
        ),
        (
            slow(3, lambda request: feed_answer([wire_record()], end_cursor="c1")),
            "timeout",
        ),
        (fixed(200, b"x" * 5000), "exceeds 4096"),
    ],
    ids=[
        "500",
        "502",
        "garbage",
        "json-list",
        "shape",
        "other-data",
        "errors",
        "timeout",
        "oversize",
    ],
)
def test_transport_errors_leave_the_cursor_and_record_the_run(
    settings, responder, message
):
    # given
    settings.SYNC_READ_TIMEOUT = 1
    settings.SYNC_MAX_RESPONSE_BYTES = 4096
    with scripted_peer([responder]) as (url, _):
        neighbour = child_at(url)
        # when
        with pytest.raises(SyncTransportError, match=message):
            neighbour_sync(neighbour_id=neighbour.pk)
    # then
    state = SyncState.objects.get()
    assert state.cursor == START_CURSOR
    assert message in state.last_error
    assert state.consecutive_failures == 1
    assert state.lock_owner == ""
    run = SyncRun.objects.get()
    assert (run.outcome, run.applied) == ("error", 0)
    assert message in run.error
    assert StoredRecord.objects.count() == 0


def test_unreachable_peer_is_a_transport_error():
    neighbour = child_at("http://127.0.0.1:1")
    with pytest.raises(SyncTransportError, match="cannot reach"):
        neighbour_sync(neighbour_id=neighbour.pk)
    assert SyncState.objects.get().cursor == START_CURSOR


def test_pages_commit_one_by_one_and_a_failure_keeps_earlier_pages():
    # given: page 1 fine, page 2 fails
    first = [wire_record(), wire_record()]
    responders = [
        lambda request: feed_answer(first, end_cursor="c2", has_next=True, latest=5),
        fixed(500, b"down"),
    ]
    with scripted_peer(responders) as (url, peer):
        neighbour = child_at(url)
        # when
        with pytest.raises(SyncTransportError):
            neighbour_sync(neighbour_id=neighbour.pk)
    # then
    assert StoredRecord.objects.count() == 2
    state = SyncState.objects.get()
    assert (state.cursor, state.remote_latest_seq, state.local_position_seq) == (
        "c2",
        5,
        2,
    )
    assert peer.requests[1]["variables"]["after"] == "c2"
    run = SyncRun.objects.get()
    assert (run.pages, run.applied, run.outcome) == (1, 2, "error")


def test_follows_pages_until_the_end():
    pages = [
        feed_answer([wire_record()], end_cursor="c1", has_next=True, latest=3),
        feed_answer(
            [wire_record()], end_cursor="c2", has_next=True, latest=3, first_sequence=2
        ),
        feed_answer(
            [wire_record()], end_cursor="c3", has_next=False, latest=3, first_sequence=3
        ),
    ]
    responders = [lambda request, page=page: page for page in pages]
    with scripted_peer(responders) as (url, peer):
        neighbour = child_at(url, cursor="")
        run = neighbour_sync(neighbour_id=neighbour.pk)
    assert [r["variables"]["after"] for r in peer.requests] == [None, "c1", "c2"]
    assert (run.pages, run.fetched, run.applied) == (3, 3, 3)
    state = SyncState.objects.get()
    assert (state.cursor, state.local_position_seq, state.remote_latest_seq) == (
        "c3",
        3,
        3,
    )


def test_a_second_sync_of_the_same_neighbour_is_refused_while_one_runs():
    neighbour = child_at("http://127.0.0.1:1")

    SyncState.objects.update(
        lock_owner="other-worker", lock_until=timezone.now() + timedelta(minutes=1)
    )
    with pytest.raises(SyncLocked):
        neighbour_sync(neighbour_id=neighbour.pk)
    assert SyncRun.objects.count() == 0


def test_an_expired_lease_of_a_killed_worker_is_taken_over():
    page = feed_answer([wire_record()], end_cursor="c1")
    with scripted_peer([lambda request: page]) as (url, _):
        neighbour = child_at(url)
        from datetime import timedelta

        from django.utils import timezone

        SyncState.objects.update(
            lock_owner="dead-worker", lock_until=timezone.now() - timedelta(seconds=1)
        )
        run = neighbour_sync(neighbour_id=neighbour.pk)
    assert run.outcome == "ok"
    assert SyncState.objects.get().lock_owner == ""


@pytest.mark.parametrize(
    ("role", "enabled", "queued"),
    [
        ("child", True, True),
        ("peer", True, True),
        ("parent", True, False),
        ("child", False, False),
    ],
)
def test_poke_queues_a_sync_only_for_neighbours_this_hub_pulls(
    monkeypatch, role, enabled, queued
):
    # given
    from federation.services import sync

    calls = []
    monkeypatch.setattr(sync, "sync_enqueue", lambda **kwargs: calls.append(kwargs))
    neighbour = neighbour_create(
        slug="x", name="X", role=role, endpoint_url="http://127.0.0.1:1"
    ).neighbour
    neighbour.enabled = enabled
    # when
    accepted = sync.poke_receive(neighbour=neighbour)
    # then
    assert accepted is queued
    assert calls == (
        [{"neighbour_id": neighbour.pk, "trigger": "poke"}] if queued else []
    )


@pytest.mark.parametrize(
    ("deadlines", "message"),
    [
        (
            {"SYNC_DEADLINE": 3, "SYNC_REQUEST_DEADLINE": 60},
            "the sync of nl passed its deadline of 3s (SYNC_DEADLINE); pages "
            "committed so far are kept: timeout talking to {url}/graphql: no "
            "complete answer within 3s (the request deadline)",
        ),
        (
            {"SYNC_DEADLINE": 60, "SYNC_REQUEST_DEADLINE": 3},
            "timeout talking to {url}/graphql: no complete answer within 3s "
            "(the request deadline)",
        ),
    ],
    ids=["sync-deadline", "request-deadline"],
)
def test_a_trickling_peer_cannot_hold_a_sync_past_its_deadline(
    settings, deadlines, message
):
    # given: a peer that answers one byte a second, within any read timeout
    settings.SYNC_READ_TIMEOUT = 5
    for name, value in deadlines.items():
        setattr(settings, name, value)
    with trickling_peer(phase="body", interval=1.0) as url:
        neighbour = child_at(url)
        started = time.monotonic()
        # when: it fails with the error the task does not retry at once
        with pytest.raises(SyncDeadlinePassed):
            neighbour_sync(neighbour_id=neighbour.pk)
        elapsed = time.monotonic() - started
    # then: it ended at the deadline, recorded why, moved nothing, freed the lease
    assert 3 <= elapsed < 3 + 1.5
    run = SyncRun.objects.get()
    assert (run.outcome, run.error) == ("error", message.format(url=url))
    assert 3000 <= run.duration_ms < 4500
    state = SyncState.objects.get()
    assert (state.cursor, state.lock_owner, state.lock_until) == (
        START_CURSOR,
        "",
        None,
    )
    assert state.last_error == run.error


def test_the_task_retries_transport_errors_but_not_a_passed_deadline():
    # nor a refused endpoint: it stays refused until a coordinator fixes it
    assert neighbour_sync_task.autoretry_for == (SyncTransportError,)
    assert neighbour_sync_task.dont_autoretry_for == (
        SyncDeadlinePassed,
        SyncEndpointRefused,
    )


def test_scheduled_syncs_expire_after_three_intervals_and_others_do_not(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    # given
    settings.SYNC_INTERVAL = 45
    sent = []
    monkeypatch.setattr(
        neighbour_sync_task,
        "apply_async",
        lambda kwargs, expires: sent.append(
            (kwargs["neighbour_id"], kwargs["trigger"], expires)
        ),
    )
    child = neighbour_create(
        slug="nl", name="NL", role="child", endpoint_url="http://127.0.0.1:1"
    ).neighbour
    # when
    with django_capture_on_commit_callbacks(execute=True):
        neighbours_sync_enqueue(trigger="schedule")
        sync_enqueue(neighbour_id=child.pk, trigger="poke")
    # then
    assert sent == [(child.pk, "schedule", 135.0), (child.pk, "poke", None)]


def test_a_hostile_child_cannot_overwrite_or_tombstone_a_siblings_records():
    # given: sibling be's records held here, and a child nl that forges them
    sibling = neighbour_create(
        slug="be", name="BE", role="child", endpoint_url="http://127.0.0.1:1"
    ).neighbour
    held = [wire_record(origin="be", origin_path=["hub", "be"]) for _ in range(2)]
    records_apply(
        records=[record_validate(w) for w in held], source=sibling.slug, role="child"
    )
    overwrite = {**held[0], "version": 2, "body": body_for("project", name="Forged")}
    tombstone = {**held[1], "version": 2**62, "deleted": True, "body": None}
    own = wire_record(origin="nl", origin_path=["hub", "nl"])
    page = feed_answer([overwrite, own, tombstone], end_cursor="c3")
    with scripted_peer([lambda request: page]) as (url, _):
        neighbour = child_at(url)
        # when
        run = neighbour_sync(neighbour_id=neighbour.pk)
    # then: the forgeries are quarantined, the rest applies and the cursor moves
    assert (run.outcome, run.fetched, run.applied, run.quarantined) == ("ok", 3, 1, 2)
    quarantined = dict(QuarantinedRecord.objects.values_list("record_id", "reason"))
    assert quarantined == {
        held[0]["id"]: "child nl may not speak for be: its originPath hub/be does "
        "not run through nl",
        held[1]["id"]: "child nl may not speak for be: its originPath hub/be does "
        "not run through nl",
    }
    for wire in held:
        stored = StoredRecord.objects.get(record_id=wire["id"])
        assert (stored.version, stored.deleted, stored.received_from) == (
            1,
            False,
            "be",
        )
    assert StoredRecord.objects.get(record_id=own["id"]).received_from == "nl"
    assert SyncState.objects.get(neighbour=neighbour).cursor == "c3"


def test_an_updated_at_beyond_year_9999_is_quarantined_and_reads_still_work():
    # given: a record whose updatedAt overflows once normalised to UTC
    overflow = {**wire_record(), "updatedAt": "9999-12-31T23:30:00-01:00"}
    good = wire_record()
    page = feed_answer([overflow, good], end_cursor="c2")
    with scripted_peer([lambda request: page]) as (url, _):
        neighbour = child_at(url)
        # when
        run = neighbour_sync(neighbour_id=neighbour.pk)
    # then
    assert (run.outcome, run.applied, run.quarantined) == ("ok", 1, 1)
    assert QuarantinedRecord.objects.get().reason == (
        "updatedAt: updatedAt is out of range"
    )
    wires = [record_wire(stored) for stored in changes_after(after_seq=0, first=10)]
    assert [(w["id"], w["updatedAt"]) for w in wires] == [
        (good["id"], "2026-11-01T10:00:00Z")
    ]
