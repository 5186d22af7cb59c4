"""The catalogue store: versions, tombstones, apply rules and the change sequence."""

import pytest
from django.db import transaction

from federation.models import StoredRecord
from federation.records import RecordInvalid, record_validate
from federation.selectors import catalogue_digest, changes_after, sequence_latest
from federation.services.store import (
    NotOwnRecord,
    RecordNotFound,
    record_publish,
    record_tombstone,
    records_apply,
)
from tests.federation.factories import body_for, wire_record

pytestmark = pytest.mark.django_db


def test_publish_edit_unpublish_gives_versions_1_2_3():
    # when
    first = record_publish(kind="project", body=body_for("project"))
    same = record_publish(
        kind="project", body=body_for("project"), record_id=first.record_id
    )
    edited = record_publish(
        kind="project",
        body=body_for("project", name="Parkeerscan 2"),
        record_id=first.record_id,
    )
    gone = record_tombstone(record_id=first.record_id)
    # then
    assert (first.version, same.version, edited.version, gone.version) == (1, 1, 2, 3)
    assert StoredRecord.objects.count() == 1
    stored = StoredRecord.objects.get()
    assert (stored.deleted, stored.body, stored.version) == (True, None, 3)
    assert stored.record_id.startswith("hub:project:")
    assert (stored.origin_path, stored.origin_level) == (["hub"], "eu")
    assert sequence_latest() == 3
    assert stored.seq == 3


def test_publish_rejects_an_invalid_body_and_stores_nothing():
    with pytest.raises(RecordInvalid, match="body.status"):
        record_publish(kind="project", body=body_for("project", status="unknown"))
    assert StoredRecord.objects.count() == 0
    assert sequence_latest() == 0


def test_tombstone_of_unknown_or_foreign_record_is_refused():
    with pytest.raises(RecordNotFound):
        record_tombstone(record_id="hub:project:00000000-0000-4000-8000-000000000000")
    foreign = record_validate(wire_record(origin="nl"))
    records_apply(records=[foreign], source="nl")
    with pytest.raises(NotOwnRecord):
        record_tombstone(record_id=foreign.id)
    with pytest.raises(NotOwnRecord):
        record_publish(kind="project", body=body_for("project"), record_id=foreign.id)


def test_apply_higher_wins_equal_noop_lower_stale():
    # given
    v2 = wire_record(version=2, name="v2")
    records_apply(records=[record_validate(v2)], source="nl")
    seq_after_v2 = sequence_latest()
    # when
    equal = records_apply(records=[record_validate(v2)], source="nl")
    lower = records_apply(
        records=[
            record_validate(
                {**v2, "version": 1, "body": body_for("project", name="v1")}
            )
        ],
        source="nl",
    )
    higher = records_apply(
        records=[
            record_validate(
                {**v2, "version": 3, "body": body_for("project", name="v3")}
            )
        ],
        source="nl",
    )
    # then
    assert (equal.unchanged, equal.applied) == (1, [])
    assert (lower.stale, lower.applied) == (1, [])
    assert higher.applied == [v2["id"]]
    stored = StoredRecord.objects.get(record_id=v2["id"])
    assert (stored.version, stored.body["name"]) == (3, "v3")
    assert stored.seq == seq_after_v2 + 1


def test_apply_tombstone_and_a_late_stale_version_stays_deleted():
    live = wire_record(version=1)
    records_apply(records=[record_validate(live)], source="nl")
    records_apply(
        records=[
            record_validate({**live, "version": 2, "deleted": True, "body": None})
        ],
        source="nl",
    )
    late = records_apply(records=[record_validate(live)], source="nl")
    assert late.stale == 1
    assert StoredRecord.objects.get(record_id=live["id"]).deleted is True


def test_apply_ignores_records_of_own_origin():
    mine = record_validate(wire_record(origin="hub", origin_path=["hub"]))
    result = records_apply(records=[mine], source="nl")
    assert (result.own, result.applied) == (1, [])
    assert StoredRecord.objects.count() == 0


def test_apply_keeps_the_highest_duplicate_within_a_page():
    base = wire_record(version=1)
    page = [
        record_validate(
            {**base, "version": 2, "body": body_for("project", name="two")}
        ),
        record_validate(base),
        record_validate(
            {**base, "version": 3, "body": body_for("project", name="three")}
        ),
    ]
    result = records_apply(records=page, source="nl")
    assert (len(result.applied), result.stale) == (1, 2)
    assert StoredRecord.objects.get().body["name"] == "three"


def test_feed_returns_changes_in_sequence_order_with_moves():
    a = record_publish(kind="course", body=body_for("course"))
    b = record_publish(kind="dataset", body=body_for("dataset"))
    record_publish(
        kind="course", body=body_for("course", title="new"), record_id=a.record_id
    )
    ids = [record.record_id for record in changes_after(after_seq=0, first=10)]
    assert ids == [b.record_id, a.record_id]
    assert [r.record_id for r in changes_after(after_seq=2, first=10)] == [a.record_id]
    assert [
        r.kind for r in changes_after(after_seq=0, first=10, kinds=["dataset"])
    ] == ["dataset"]


@pytest.mark.django_db(transaction=True)
def test_catalogue_changed_is_sent_once_after_commit_and_not_for_noops():
    # given
    from federation.signals import catalogue_changed

    received = []

    def receiver(**kwargs):
        received.append((kwargs["sender"], kwargs["source"]))

    catalogue_changed.connect(receiver)
    try:
        # when
        first = record_publish(kind="course", body=body_for("course"))
        record_publish(
            kind="course", body=body_for("course"), record_id=first.record_id
        )
        with transaction.atomic():
            records_apply(records=[record_validate(wire_record())], source="nl")
            assert len(received) == 1  # not before the commit
    finally:
        catalogue_changed.disconnect(receiver)
    # then: the identical republish took no sequence value and sent nothing; the
    # applied record names the neighbour it came from
    assert received == [(StoredRecord, ""), (StoredRecord, "nl")]


def sibling_record(**changes):
    """A record of sibling hub ``be`` (a child of this hub ``hub``), as held here."""
    wire = wire_record(origin="be", origin_path=["hub", "be"], version=3)
    records_apply(records=[record_validate(wire)], source="be", role="child")
    return {**wire, **changes}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"version": 4, "body": body_for("project", name="forged")},
            "child nl may not speak for be: its originPath hub/be does not run "
            "through nl",
        ),
        (
            {"version": 4, "deleted": True, "body": None},
            "child nl may not speak for be: its originPath hub/be does not run "
            "through nl",
        ),
        (
            {"version": 4, "originPath": ["hub", "nl", "be"]},
            "originPath hub/nl/be differs from the one held here (hub/be), and "
            "child nl may not speak for be: its originPath hub/be does not run "
            "through nl",
        ),
    ],
    ids=["overwrite", "tombstone", "forged-path"],
)
def test_a_child_cannot_change_a_siblings_record(change, reason):
    # given: sibling be's record at version 3
    forged = sibling_record(**change)
    seq = sequence_latest()
    # when: child nl sends a newer version of it
    result = records_apply(records=[record_validate(forged)], source="nl", role="child")
    # then: refused with the reason, the sibling's record untouched
    assert result.applied == []
    assert [(record.id, why) for record, why in result.refused] == [
        (forged["id"], reason)
    ]
    stored = StoredRecord.objects.get(record_id=forged["id"])
    assert (stored.version, stored.deleted, stored.body["name"]) == (
        3,
        False,
        "Parkeerscan",
    )
    assert (stored.received_from, stored.origin_path) == ("be", ["hub", "be"])
    assert sequence_latest() == seq


def test_a_child_cannot_forge_a_new_record_of_a_known_sibling_origin():
    # given: sibling be is known here at hub/be
    sibling_record()
    # when: child nl sends a new record of be's, with a path forged through nl
    forged = wire_record(origin="be", origin_path=["hub", "nl", "be"])
    result = records_apply(records=[record_validate(forged)], source="nl", role="child")
    # then
    assert result.applied == []
    assert [why for _, why in result.refused] == [
        "originPath hub/nl/be differs from the one held here (hub/be), and child "
        "nl may not speak for be: its originPath hub/be does not run through nl"
    ]
    assert not StoredRecord.objects.filter(record_id=forged["id"]).exists()


@pytest.mark.parametrize(
    ("role", "origin_path", "reason"),
    [
        (
            "child",
            ["eu", "x"],
            "child nl may not speak for x: its originPath eu/x does not run through nl",
        ),
        (
            "child",
            ["hub", "be", "nl"],
            "child nl may not speak for nl: its originPath hub/be/nl does not "
            "reach this hub through nl",
        ),
        (
            "peer",
            ["eu", "be"],
            "peer nl may not speak for be: its originPath eu/be does not run "
            "through nl",
        ),
        (
            "parent",
            ["eu", "hub", "x"],
            "parent nl may not speak for x, which claims to be under this hub "
            "(originPath eu/hub/x)",
        ),
    ],
    ids=["child-elsewhere", "child-below-a-sibling", "peer-elsewhere", "parent-below"],
)
def test_records_outside_the_senders_authority_are_refused(role, origin_path, reason):
    wire = wire_record(origin=origin_path[-1], origin_path=origin_path)
    result = records_apply(records=[record_validate(wire)], source="nl", role=role)
    assert result.applied == []
    assert [why for _, why in result.refused] == [reason]
    assert StoredRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "origin_path"),
    [
        ("child", ["hub", "nl"]),
        ("child", ["hub", "nl", "nl-nb", "den-bosch"]),
        ("peer", ["eu", "nl"]),
        ("peer", ["eu", "nl", "nl-nb"]),
        ("parent", ["eu", "be"]),
        ("parent", ["eu"]),
    ],
)
def test_a_neighbour_speaks_for_itself_and_what_its_role_covers(role, origin_path):
    wire = wire_record(origin=origin_path[-1], origin_path=origin_path)
    result = records_apply(records=[record_validate(wire)], source="nl", role=role)
    assert (result.applied, result.refused) == ([wire["id"]], [])
    assert StoredRecord.objects.get().received_from == "nl"


def test_a_relay_that_changes_nothing_is_stale_not_refused():
    # given: be's record held at version 3
    relayed = sibling_record()
    # when: child nl relays the same version (e.g. along a peer link)
    result = records_apply(
        records=[record_validate(relayed)], source="nl", role="child"
    )
    # then
    assert (result.stale, result.refused, result.applied) == (1, [], [])


def test_a_version_jump_far_above_the_held_one_is_refused(settings):
    # given: a record held at version 3
    settings.SYNC_MAX_VERSION_JUMP = 1_000_000
    held = wire_record(version=3)
    records_apply(records=[record_validate(held)], source="nl", role="child")
    # when: the neighbour sends version 2^62, and new records at the bound and past it
    pinned = {**held, "version": 2**62}
    at_bound = wire_record(version=1_000_000)
    past_bound = wire_record(version=1_000_001)
    result = records_apply(
        records=[record_validate(w) for w in (pinned, at_bound, past_bound)],
        source="nl",
        role="child",
    )
    # then
    assert result.applied == [at_bound["id"]]
    assert [(record.id, why) for record, why in result.refused] == [
        (
            pinned["id"],
            f"version {2**62} jumps more than SYNC_MAX_VERSION_JUMP=1000000 above "
            "the version held here (3)",
        ),
        (
            past_bound["id"],
            "version 1000001 jumps more than SYNC_MAX_VERSION_JUMP=1000000 above "
            "the version held here (0)",
        ),
    ]
    assert StoredRecord.objects.get(record_id=held["id"]).version == 3


def test_the_digest_differs_for_equal_versions_with_different_bodies():
    # given: the same record id and version with two bodies, held one after another
    wire = wire_record(version=2)
    records_apply(records=[record_validate(wire)], source="nl")
    first = catalogue_digest()
    StoredRecord.objects.all().delete()
    other = {**wire, "body": body_for("project", name="Another body")}
    records_apply(records=[record_validate(other)], source="nl")
    # when
    second = catalogue_digest()
    # then
    assert (first["records"], second["records"]) == (1, 1)
    assert first["digest"] != second["digest"]
