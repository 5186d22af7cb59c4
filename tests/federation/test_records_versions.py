"""Schema versions: a hub reads records of its version and older ones, and
refuses newer ones with a reason (the sync quarantines them)."""

import pytest
from django.db import transaction

from federation.models import StoredRecord
from federation.record_versions import FIELDS_ADDED
from federation.records import SCHEMA_VERSION, RecordInvalid, record_validate
from federation.selectors import record_wire
from federation.services.store import record_publish, records_apply
from tests.federation.factories import body_for, wire_record

pytestmark = pytest.mark.django_db


def _apply(wire: dict) -> StoredRecord:
    record = record_validate(wire)
    with transaction.atomic():
        records_apply(records=[record], source=record.origin)
    return StoredRecord.objects.get(record_id=record.id)


def test_a_version_1_record_from_a_peer_still_validates_and_applies():
    # given a record as a hub of schema version 1 sends it: no self-check fields
    wire = wire_record(origin="be")
    assert wire["schemaVersion"] == 1
    assert "impactLevel" not in wire["body"]
    # when it is applied
    stored = _apply(wire)
    # then it is stored as version 1, its body without the new fields
    assert SCHEMA_VERSION == 4
    assert stored.schema_version == 1
    assert record_wire(stored)["schemaVersion"] == 1
    assert not {"humanInfluence", "rightsImpact", "impactLevel"} & set(stored.body)


def test_a_version_2_record_carries_the_self_check_and_its_impact_level():
    # given a version 2 record with the self-check's answers
    wire = {
        **wire_record(
            origin="be",
            humanInfluence="none",
            rightsImpact="medium",
            impactLevel="high",
        ),
        "schemaVersion": 2,
    }
    # when it is applied
    stored = _apply(wire)
    # then the store holds and serves the three fields
    assert stored.schema_version == 2
    body = record_wire(stored)["body"]
    assert (body["humanInfluence"], body["rightsImpact"], body["impactLevel"]) == (
        "none",
        "medium",
        "high",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("humanInfluence", "some"), ("rightsImpact", "huge"), ("impactLevel", "4")],
)
def test_self_check_codes_outside_the_vocabulary_are_refused(field, value):
    with pytest.raises(RecordInvalid) as error:
        record_validate(wire_record(**{field: value}))
    assert f"body.{field}: Input should be" in str(error.value)


def test_a_record_of_a_newer_schema_is_refused_with_the_reason():
    # a hub cannot know what a newer version's fields mean (bodies forbid
    # unknown fields), so it refuses the record rather than dropping parts of it
    with pytest.raises(RecordInvalid) as error:
        record_validate({**wire_record(), "schemaVersion": SCHEMA_VERSION + 1})
    assert str(error.value) == "schemaVersion 5 is newer than 4"


def test_an_own_record_is_written_in_the_lowest_schema_version_its_body_needs():
    # given a dataset with where it was harvested from, and one without
    harvested = body_for("dataset", source="https://portal.example.org/dataset/7")
    edited = body_for("dataset")
    # when both are published here
    with_source = record_publish(kind="dataset", body=harvested)
    without = record_publish(kind="dataset", body=edited)
    # then only the one with the field added in version 4 needs version 4: a hub
    # still on version 3 reads the other as before
    assert (with_source.schema_version, without.schema_version) == (4, 3)
    assert record_wire(with_source)["body"]["source"] == harvested["source"]
    assert record_wire(without)["schemaVersion"] == 3


def test_the_newest_fields_added_are_those_of_the_current_schema_version():
    assert max(FIELDS_ADDED) == SCHEMA_VERSION
