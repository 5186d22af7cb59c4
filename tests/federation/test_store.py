"""The catalogue store: versions, tombstones, apply rules and the change sequence."""

import pytest
from django.db import transaction

from federation.models import StoredRecord
from federation.records import RecordInvalid, record_validate
from federation.selectors import changes_after, sequence_latest
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
        received.append(kwargs["sender"])

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
    # then: the identical republish took no sequence value and sent nothing
    assert received == [StoredRecord, StoredRecord]
