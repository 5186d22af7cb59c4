"""Syncing across record schema versions, as during an upgrade of the network:
a neighbour still on the previous schema (SCHEMA_VERSION - 1) is read as
before; records of a newer schema, and fields this hub does not know, are
quarantined with the reason, never stored half; this hub's feed serves each
record with the schemaVersion it was written in (its body normalised to the
current schema)."""

import json

import pytest

from federation.models import QuarantinedRecord, StoredRecord
from federation.records import SCHEMA_VERSION
from federation.selectors import changes_after, record_wire
from federation.services.sync import neighbour_sync
from tests.federation.factories import body_for, wire_record
from tests.federation.factories_sync import child_at
from tests.federation.peers import feed_answer, scripted_peer

pytestmark = pytest.mark.django_db

PREVIOUS = SCHEMA_VERSION - 1
NEXT = SCHEMA_VERSION + 1


def _versioned(schema_version: int, **changes) -> dict:
    return {**wire_record(), "schemaVersion": schema_version, **changes}


def test_a_previous_schema_neighbour_is_read_and_newer_records_are_quarantined():
    # given: a neighbour's feed as a hub on the previous schema writes it (minimal
    # bodies, no field added since), a current record, and what a hub on the next
    # schema would send: its version number, a body field and an envelope field
    # this hub does not know
    previous = _versioned(PREVIOUS)
    current = _versioned(SCHEMA_VERSION)
    newer = _versioned(NEXT)
    unknown_body_field = _versioned(
        SCHEMA_VERSION, body={**body_for("project"), "carbonFootprint": 12}
    )
    unknown_envelope_field = _versioned(SCHEMA_VERSION, carbonLabel="abc")
    page = feed_answer(
        [previous, current, newer, unknown_body_field, unknown_envelope_field],
        end_cursor="c5",
    )
    with scripted_peer([lambda request: page]) as (url, _peer):
        neighbour = child_at(url)
        # when
        run = neighbour_sync(neighbour_id=neighbour.pk)
    # then: previous and current applied, the rest quarantined with the reason
    assert (run.outcome, run.applied, run.quarantined) == ("ok", 2, 3)
    held = dict(StoredRecord.objects.values_list("record_id", "schema_version"))
    assert held == {previous["id"]: PREVIOUS, current["id"]: SCHEMA_VERSION}
    reasons = {
        json.loads(row.payload)["id"]: row.reason
        for row in QuarantinedRecord.objects.all()
    }
    assert (
        f"schemaVersion {NEXT} is newer than {SCHEMA_VERSION}" in reasons[newer["id"]]
    )
    assert "carbonFootprint" in reasons[unknown_body_field["id"]]
    assert "Extra inputs are not permitted" in reasons[unknown_body_field["id"]]
    assert "carbonLabel" in reasons[unknown_envelope_field["id"]]
    # and this hub's feed passes the previous-schema record on as it was written
    served = {
        stored.record_id: record_wire(stored)
        for stored in changes_after(after_seq=0, first=10)
    }
    assert served[previous["id"]]["schemaVersion"] == PREVIOUS
    # (its body normalised to this hub's schema: the fields it had, unchanged,
    # plus the defaults of fields added since)
    assert previous["body"].items() <= served[previous["id"]]["body"].items()
    assert served[current["id"]]["schemaVersion"] == SCHEMA_VERSION
