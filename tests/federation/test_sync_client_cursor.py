"""The sync client's cursor and sequence numbers: a neighbour restored from a
backup is read again from the start, and sequences beyond 32 bits are exact
both ways (sent as integers or string-encoded BigInts); anything else is refused."""

import json

import pytest
import requests

from federation.models import (
    ChangeSequence,
    StoredRecord,
    SyncState,
)
from federation.selectors import cursor_decode
from federation.services.sync import (
    SyncTransportError,
    feed_page_fetch,
    neighbour_sync,
)
from federation.wire import CHANGES_QUERY
from tests.federation.factories import (
    graphql_post,
    neighbour_with_token,
    stored_record,
    wire_record,
)
from tests.federation.factories_sync import child_at
from tests.federation.peers import (
    feed_answer,
    fixed,
    scripted_peer,
)

pytestmark = pytest.mark.django_db


def test_a_neighbour_restored_from_a_backup_is_synced_again_from_the_start():
    # given: our cursor stands at the neighbour's sequence 9; it came back from a
    # backup at sequence 3, with changes we never saw
    lost = [wire_record() for _ in range(3)]
    responders = [
        lambda request: feed_answer([], end_cursor=None, latest=3),
        lambda request: feed_answer(lost, end_cursor="c3", latest=3),
    ]
    with scripted_peer(responders) as (url, peer):
        neighbour = child_at(url, cursor="c9")
        SyncState.objects.update(local_position_seq=9, remote_latest_seq=9)
        # when
        run = neighbour_sync(neighbour_id=neighbour.pk)
    # then: it read the feed again from the start and recorded why
    assert [r["variables"]["after"] for r in peer.requests] == ["c9", None]
    assert (run.outcome, run.resynced, run.applied) == ("ok", True, 3)
    state = SyncState.objects.get()
    assert (state.cursor, state.local_position_seq, state.remote_latest_seq) == (
        "c3",
        3,
        3,
    )
    assert set(StoredRecord.objects.values_list("record_id", flat=True)) == {
        w["id"] for w in lost
    }


def test_a_neighbour_at_our_cursor_is_not_resynced():
    page = feed_answer([], end_cursor=None, latest=9)
    with scripted_peer([lambda request: page]) as (url, peer):
        neighbour = child_at(url, cursor="c9")
        SyncState.objects.update(local_position_seq=9)
        run = neighbour_sync(neighbour_id=neighbour.pk)
    assert [r["variables"]["after"] for r in peer.requests] == ["c9"]
    assert (run.resynced, SyncState.objects.get().cursor) == (False, "c9")


def test_a_sequence_above_2_31_round_trips_through_the_feed(client):
    # given this hub's change counter past 2^31 (GraphQL's Int is 32-bit)
    ChangeSequence.objects.update_or_create(pk=1, defaults={"value": 2**31 + 10})
    stored = stored_record(origin="be", origin_path=["eu", "be"])
    assert stored.seq == 2**31 + 11
    _, token = neighbour_with_token(slug="de", role="child")
    # when a neighbour reads this hub's feed
    status, served = graphql_post(client, CHANGES_QUERY, {"first": 10}, token=token)
    # then the sequences are served whole, as JSON integers
    assert status == 200
    assert "errors" not in served, served
    changes = served["data"]["changes"]
    assert changes["latestSequence"] == 2**31 + 11
    assert [edge["sequence"] for edge in changes["edges"]] == [2**31 + 11]
    # and the sync client of another hub reads them back
    with scripted_peer([fixed(200, json.dumps(served).encode())]) as (url, _):
        page = feed_page_fetch(
            session=requests.Session(), neighbour=child_at(url), cursor=None
        )
    assert (page.latest_sequence, page.last_sequence) == (2**31 + 11, 2**31 + 11)
    assert cursor_decode(page.end_cursor) == 2**31 + 11


@pytest.mark.parametrize(
    ("sent", "read"),
    [(7, 7), (2**40, 2**40), ("9007199254740993", 2**53 + 1), (2**63 - 1, 2**63 - 1)],
)
def test_sequences_are_read_as_plain_or_string_encoded_integers(sent, read):
    # given a peer that sends its latest sequence as an old hub (an integer) or
    # as a string-encoded BigInt
    answer = feed_answer([], end_cursor=None, latest=0)
    body = json.loads(answer[1])
    body["data"]["changes"]["latestSequence"] = sent
    with scripted_peer([fixed(200, json.dumps(body).encode())]) as (url, _):
        # when its feed page is read
        page = feed_page_fetch(
            session=requests.Session(), neighbour=child_at(url), cursor=None
        )
    # then the value is exact
    assert page.latest_sequence == read


@pytest.mark.parametrize("sent", [True, 1.5, -1, 2**63, "²", "1e3", "", None, [1]])
def test_a_malformed_sequence_is_a_transport_error(sent):
    # given a peer whose latest sequence is no 64-bit whole number
    body = json.loads(feed_answer([], end_cursor=None, latest=0)[1])
    body["data"]["changes"]["latestSequence"] = sent
    # when its feed page is read, then it is refused as not matching the schema
    with (
        scripted_peer([fixed(200, json.dumps(body).encode())]) as (url, _),
        pytest.raises(SyncTransportError, match="does not match the schema"),
    ):
        feed_page_fetch(
            session=requests.Session(), neighbour=child_at(url), cursor=None
        )
