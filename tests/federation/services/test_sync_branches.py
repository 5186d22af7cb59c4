"""Branches of the sync client the other sync tests leave open: who is synced,
when the feed ends, resync from the start, and whom a sync pokes afterwards
(read back from the real broker)."""

import pytest

from federation.models import PokeState, StoredRecord, SyncRun, SyncState
from federation.services.sync import (
    SyncDeadlinePassed,
    SyncNotPulled,
    SyncTransportError,
    neighbour_sync,
)
from hubs.services import neighbour_create
from tests.federation.factories import stored_record, wire_record
from tests.federation.peers import feed_answer, fixed, scripted_peer, trickling_peer


def _neighbour(slug: str, role: str, url: str = "http://127.0.0.1:1", **state):
    neighbour = neighbour_create(
        slug=slug, name=slug, role=role, endpoint_url=url, outbound_token="o" * 40
    ).neighbour
    SyncState.objects.create(neighbour=neighbour, **state)
    return neighbour


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "enabled"), [("child", False), ("parent", True), ("parent", False)]
)
def test_a_neighbour_this_hub_does_not_pull_from_is_not_synced(role, enabled):
    # given
    with scripted_peer([lambda request: feed_answer([], end_cursor=None)]) as (
        url,
        peer,
    ):
        neighbour = _neighbour("nl", role, url)
        neighbour.enabled = enabled
        neighbour.save()
        # when / then
        with pytest.raises(SyncNotPulled, match="SYNC_PULL_ROLES=child,peer"):
            neighbour_sync(neighbour_id=neighbour.pk)
    assert (peer.requests, SyncRun.objects.count()) == ([], 0)


@pytest.mark.django_db
def test_an_empty_page_ends_the_sync_even_if_it_says_there_is_more(settings):
    # given: a neighbour whose empty page claims a next one
    settings.SYNC_MAX_PAGES = 5
    page = feed_answer([], end_cursor="c9", has_next=True, latest=9)
    with scripted_peer([lambda request: page]) as (url, peer):
        neighbour = _neighbour("nl", "child", url, cursor="c9", local_position_seq=9)
        # when
        run = neighbour_sync(neighbour_id=neighbour.pk)
    # then: one request, and the run is over
    assert [r["variables"]["after"] for r in peer.requests] == ["c9"]
    assert (run.outcome, run.pages) == ("ok", 1)


@pytest.mark.django_db
@pytest.mark.parametrize(("has_next", "position"), [(False, 12), (True, 9)])
def test_an_empty_last_page_moves_the_position_to_the_latest_sequence(
    has_next, position
):
    # given: our cursor at 9; the neighbour's latest is 12, none of it for us
    page = feed_answer([], end_cursor=None, has_next=has_next, latest=12)
    with scripted_peer([lambda request: page]) as (url, _):
        neighbour = _neighbour("nl", "child", url, cursor="c9", local_position_seq=9)
        # when
        neighbour_sync(neighbour_id=neighbour.pk)
    # then: an end of the feed counts as read up to its latest; a page that says
    # there is more does not
    state = SyncState.objects.get()
    assert (state.cursor, state.local_position_seq, state.remote_latest_seq) == (
        "c9",
        position,
        12,
    )


@pytest.mark.django_db
def test_a_sync_from_the_start_has_nothing_to_resync():
    # given: no cursor yet, but a position from an earlier empty feed
    page = feed_answer([wire_record()], end_cursor="c1", latest=1)
    with scripted_peer([lambda request: page]) as (url, peer):
        neighbour = _neighbour("nl", "child", url, cursor="", local_position_seq=5)
        # when
        run = neighbour_sync(neighbour_id=neighbour.pk)
    # then
    assert [r["variables"]["after"] for r in peer.requests] == [None]
    assert (run.resynced, run.applied) == (False, 1)


@pytest.mark.django_db
def test_a_drop_of_the_latest_sequence_after_the_first_page_waits_for_the_next_run():
    # given: our cursor at 5; the first page is fine, the second reports a
    # latest sequence below 5 (the neighbour was restored meanwhile)
    responders = [
        lambda request: feed_answer(
            [wire_record()], end_cursor="c6", has_next=True, latest=7, first_sequence=6
        ),
        lambda request: feed_answer(
            [wire_record()], end_cursor="c7", latest=3, first_sequence=7
        ),
    ]
    with scripted_peer(responders) as (url, peer):
        neighbour = _neighbour("nl", "child", url, cursor="c5", local_position_seq=5)
        # when
        run = neighbour_sync(neighbour_id=neighbour.pk)
    # then: the run goes on as it started; only a run's first page decides a resync
    assert [r["variables"]["after"] for r in peer.requests] == ["c5", "c6"]
    assert (run.resynced, run.applied) == (False, 2)


def _pending() -> list[int]:
    return sorted(
        PokeState.objects.filter(pending_until__isnull=False).values_list(
            "neighbour_id", flat=True
        )
    )


def _be_record() -> dict:
    return wire_record(origin="be", origin_path=["eu", "be"])


@pytest.mark.django_db(transaction=True)
def test_a_sync_that_applied_changes_pokes_the_others_but_not_its_source(poke_queue):
    # given: peer be to pull from, a parent and another peer to poke
    record = _be_record()
    responders = [
        lambda request: feed_answer([record], end_cursor="c1"),
        lambda request: feed_answer([record], end_cursor="c1"),
    ]
    with scripted_peer(responders) as (url, _):
        be = _neighbour("be", "peer", url)
        others = sorted(
            _neighbour(s, r).pk for s, r in (("eu", "parent"), ("fr", "peer"))
        )
        # when
        neighbour_sync(neighbour_id=be.pk)
        # then
        assert StoredRecord.objects.get().record_id == record["id"]
        assert (_pending(), poke_queue()) == (others, others)
        # when: the same change again (nothing applied)
        PokeState.objects.update(pending_until=None)
        SyncState.objects.update(cursor="")
        neighbour_sync(neighbour_id=be.pk)
    # then: nobody is poked
    assert (_pending(), poke_queue()) == ([], [])


@pytest.mark.django_db(transaction=True)
def test_a_failed_sync_pokes_only_when_an_earlier_page_applied_changes(poke_queue):
    # given: a first page that applies, then a failure
    responders = [
        lambda request: feed_answer(
            [_be_record()], end_cursor="c1", has_next=True, latest=2
        ),
        fixed(500, b"down"),
    ]
    with scripted_peer(responders) as (url, _):
        be = _neighbour("be", "peer", url)
        eu = _neighbour("eu", "parent").pk
        # when
        with pytest.raises(SyncTransportError):
            neighbour_sync(neighbour_id=be.pk)
        # then: the applied page is announced
        assert (_pending(), poke_queue()) == ([eu], [eu])
        # when: the next sync fails before applying anything
        PokeState.objects.update(pending_until=None)
        with pytest.raises(SyncTransportError):
            neighbour_sync(neighbour_id=be.pk)
    # then
    assert (_pending(), poke_queue()) == ([], [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "refusal"),
    [
        (
            feed_answer([wire_record() for _ in range(3)], end_cursor="c3"),
            "page of 3 edges exceeds the asked size",
        ),
        (
            feed_answer([wire_record()], end_cursor=None),
            "a page with edges needs an endCursor",
        ),
    ],
    ids=["too-many-edges", "edges-without-cursor"],
)
def test_a_page_that_breaks_the_feed_contract_moves_nothing(settings, answer, refusal):
    # given: pages of two asked for
    settings.SYNC_PAGE_SIZE = 2
    with scripted_peer([lambda request: answer]) as (url, _):
        neighbour = _neighbour("nl", "child", url, cursor="c0")
        # when / then
        with pytest.raises(SyncTransportError, match=refusal):
            neighbour_sync(neighbour_id=neighbour.pk)
    assert (SyncState.objects.get().cursor, StoredRecord.objects.count()) == ("c0", 0)


@pytest.mark.django_db
def test_a_full_page_of_the_asked_size_is_read(settings):
    settings.SYNC_PAGE_SIZE = 2
    page = feed_answer([wire_record(), wire_record()], end_cursor="c2")
    with scripted_peer([lambda request: page]) as (url, _):
        neighbour = _neighbour("nl", "child", url, cursor="c0")
        run = neighbour_sync(neighbour_id=neighbour.pk)
    assert (run.applied, SyncState.objects.get().cursor) == (2, "c2")


@pytest.mark.django_db
def test_a_run_counts_every_outcome_of_its_records():
    # given: records of child nl held here at versions 2 and 3
    held = [
        wire_record(origin="nl", origin_path=["hub", "nl"], version=v) for v in (2, 3)
    ]
    for wire in held:
        stored_record(
            **{"record_id": wire["id"], "version": wire["version"]},
            origin="nl",
            origin_path=["hub", "nl"],
        )
    page = [
        held[0],  # the version held: unchanged
        {**held[1], "version": 2},  # older than held: stale
        wire_record(origin="hub", origin_path=["hub"]),  # this hub's own
        wire_record(origin="nl", origin_path=["hub", "nl"]),  # new
    ]
    answer = feed_answer(page, end_cursor="c4")
    with scripted_peer([lambda request: answer]) as (url, _):
        neighbour = _neighbour("nl", "child", url)
        # when
        run = neighbour_sync(neighbour_id=neighbour.pk)
    # then
    assert (run.fetched, run.applied, run.unchanged, run.stale, run.own) == (
        4,
        1,
        1,
        1,
        1,
    )


@pytest.mark.django_db
def test_the_error_raised_at_the_sync_deadline_says_what_the_run_recorded(settings):
    # given: a peer that trickles its answer past a one-second sync deadline
    settings.SYNC_DEADLINE = 1
    settings.SYNC_REQUEST_DEADLINE = 60
    settings.SYNC_READ_TIMEOUT = 5
    with trickling_peer(phase="body", interval=0.2) as url:
        neighbour = _neighbour("nl", "child", url, cursor="c0")
        # when
        with pytest.raises(SyncDeadlinePassed) as raised:
            neighbour_sync(neighbour_id=neighbour.pk)
    # then: the caller (the task, its log) reads the same reason as the run
    run = SyncRun.objects.get()
    assert str(raised.value) == run.error
    assert run.error.startswith("the sync of nl passed its deadline of 1s")
