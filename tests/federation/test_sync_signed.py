"""Signed provenance over the wire: an intermediate hub (a real HTTP server on
loopback) forwards an origin's records and key statements; when it alters a
record in transit, this hub quarantines that record, keeps the version it held
and applies the rest of the page."""

import json

import pytest

from federation.models import QuarantinedRecord, StoredRecord, SyncRun
from federation.services.sync import neighbour_sync
from hubs.models import HubKey
from tests.federation.factories import body_for, wire_record
from tests.federation.factories_sync import child_at
from tests.federation.peers import feed_answer, scripted_peer
from tests.federation.signers import OriginKeys

pytestmark = pytest.mark.django_db

PATH = ["hub", "nl", "nl-nb"]


def _feed_with_keys(wires, keys, *, cursor, first_sequence):
    status, body = feed_answer(wires, end_cursor=cursor, first_sequence=first_sequence)
    payload = json.loads(body)
    payload["data"]["keys"] = keys
    return status, json.dumps(payload).encode()


def test_records_altered_in_transit_are_quarantined_and_the_rest_applied():
    # given: origin nl-nb, two hops below, signs its records; the first sync
    # through child nl pins its key and applies version 1 of three records
    origin = OriginKeys("nl-nb")
    first = [
        origin.sign(wire_record(origin="nl-nb", origin_path=PATH, name=f"R{i}"))
        for i in range(4)
    ]
    page1 = _feed_with_keys(first, origin.statements, cursor="c4", first_sequence=1)
    # version 2 of each, as the origin signed them, then altered by nl:
    # the body, the version number, the deleted flag; the fourth is untouched
    second = [
        origin.sign(
            {**wire, "version": 2, "body": body_for("project", name=f"R{i} v2")}
        )
        for i, wire in enumerate(first)
    ]
    altered_body = {**second[0], "body": body_for("project", name="Spam")}
    altered_version = {**second[1], "version": 7}
    altered_deleted = {**second[2], "deleted": True, "body": None}
    page2 = _feed_with_keys(
        [altered_body, altered_version, altered_deleted, second[3]],
        origin.statements,
        cursor="c8",
        first_sequence=5,
    )
    with scripted_peer([lambda request: page1, lambda request: page2]) as (url, _):
        child = child_at(url)
        neighbour_sync(neighbour_id=child.pk)
        # when
        run = neighbour_sync(neighbour_id=child.pk)
    # then: the three altered records are quarantined with the reason
    assert (run.outcome, run.fetched, run.applied, run.quarantined) == (
        "ok",
        4,
        1,
        3,
    )
    quarantined = {
        q.record_id: (q.version, q.reason) for q in QuarantinedRecord.objects.all()
    }
    reason = "the signature of nl-nb does not verify"
    assert quarantined == {
        first[0]["id"]: (2, reason),
        first[1]["id"]: (7, reason),
        first[2]["id"]: (2, reason),
    }
    # and the versions held before are kept; the untouched record is applied
    held = {
        r.record_id: (r.version, r.deleted, r.body["name"], r.verified)
        for r in StoredRecord.objects.all()
    }
    assert held == {
        first[0]["id"]: (1, False, "R0", True),
        first[1]["id"]: (1, False, "R1", True),
        first[2]["id"]: (1, False, "R2", True),
        first[3]["id"]: (2, False, "R3 v2", True),
    }
    assert list(HubKey.objects.filter(origin="nl-nb").values_list("key_id")) == [
        (origin.key_id,)
    ]
    assert SyncRun.objects.filter(outcome="ok").count() == 2


def test_an_unsigned_record_of_an_origin_whose_key_is_pinned_is_quarantined():
    # given: nl-nb's key is pinned through nl
    origin = OriginKeys("nl-nb")
    signed = origin.sign(wire_record(origin="nl-nb", origin_path=PATH))
    unsigned = wire_record(origin="nl-nb", origin_path=PATH)
    stranger = wire_record(origin="be", origin_path=["hub", "nl", "be"])
    page = _feed_with_keys(
        [signed, unsigned, stranger], origin.statements, cursor="c3", first_sequence=1
    )
    with scripted_peer([lambda request: page]) as (url, _):
        child = child_at(url)
        # when
        run = neighbour_sync(neighbour_id=child.pk)
    # then: the unsigned one is refused; be (no key known yet) travels unverified
    assert (run.applied, run.quarantined) == (2, 1)
    assert list(QuarantinedRecord.objects.values_list("record_id", "reason")) == [
        (unsigned["id"], "unsigned, but the key of nl-nb is pinned here")
    ]
    assert dict(StoredRecord.objects.values_list("record_id", "verified")) == {
        signed["id"]: True,
        stranger["id"]: False,
    }
