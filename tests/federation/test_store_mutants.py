"""The store's derived columns: what browse filters and sorts on, from the body."""

import pytest
from django.db import transaction

from federation.models import StoredRecord
from federation.records import record_validate
from federation.services.keys import key_statements_pin
from federation.services.store import record_publish, records_apply, records_validate
from hubs.identity import hub_identity
from tests.federation.factories import body_for, wire_record
from tests.federation.signers import OriginKeys

pytestmark = pytest.mark.django_db


def test_title_and_country_come_from_the_body_of_every_kind():
    # given: a project named at full length with a country, a dataset titled
    # without a location, a course with a location but no country
    name = "P" * 300
    # when
    project = record_publish(kind="project", body=body_for("project", name=name))
    dataset = record_publish(kind="dataset", body=body_for("dataset"))
    course = record_publish(
        kind="course", body=body_for("course", location={"lat": 50.0, "lon": 4.0})
    )
    # then
    stored = {
        row.record_id: (row.title, row.country) for row in StoredRecord.objects.all()
    }
    assert stored == {
        project.record_id: (name, "NL"),
        dataset.record_id: ("Parkeervergunningen", ""),
        course.record_id: ("AI voor beleidsmakers", ""),
    }


def test_a_peer_record_gets_the_same_title_and_country():
    # given
    record = record_validate(
        wire_record(
            origin="be",
            kind="organisation",
            body=body_for(
                "organisation", location={"lat": 50.8, "lon": 4.4, "country": "BE"}
            ),
        )
    )
    # when
    records_apply(records=[record], source="be")
    # then
    stored = StoredRecord.objects.get(record_id=record.id)
    assert (stored.title, stored.country) == ("TU/e", "BE")


def test_records_validate_splits_a_page_into_valid_records_and_reasons():
    # given: a valid record, one with a bad body, and a value that is no record
    good = wire_record(origin="be")
    bad = wire_record(origin="be", status="unknown")
    # when
    valid, invalid = records_validate([good, bad, "not a record"])
    # then
    assert [record.id for record in valid] == [good["id"]]
    assert [raw for raw, _ in invalid] == [bad, "not a record"]
    assert "body.status" in invalid[0][1]
    assert invalid[1][1] == "a record must be a JSON object, got str"


@pytest.mark.django_db(transaction=True)
def test_a_record_is_stored_verified_only_when_its_origin_key_is_pinned(settings):
    # given: nl-nb's key is pinned here, be's is not
    origin = OriginKeys("nl-nb")
    key_statements_pin(statements=origin.statements, source="nl")
    signed = origin.sign(
        wire_record(origin="nl-nb", origin_path=["hub", "nl", "nl-nb"])
    )
    stranger = wire_record(origin="be", origin_path=["hub", "be"])
    # when both arrive
    with transaction.atomic():
        records_apply(
            records=[record_validate(signed), record_validate(stranger)], source="nl"
        )
    # then: only the record checked against a pinned key is marked verified
    assert dict(StoredRecord.objects.values_list("record_id", "verified")) == {
        signed["id"]: True,
        stranger["id"]: False,
    }


@pytest.mark.django_db(transaction=True)
def test_nothing_is_stored_verified_when_verification_is_off(settings):
    # given: verification off, though nl-nb's key is pinned
    settings.FEDERATION_VERIFY_SIGNATURES = False
    origin = OriginKeys("nl-nb")
    key_statements_pin(statements=origin.statements, source="nl")
    signed = origin.sign(
        wire_record(origin="nl-nb", origin_path=["hub", "nl", "nl-nb"])
    )
    # when it arrives
    with transaction.atomic():
        records_apply(records=[record_validate(signed)], source="nl")
    # then: it is stored, and not marked verified
    assert list(StoredRecord.objects.values_list("record_id", "verified")) == [
        (signed["id"], False)
    ]


def test_an_own_record_in_a_page_is_skipped_and_the_records_after_it_apply():
    # given a page whose first record is this hub's own, echoed back by a neighbour
    me = hub_identity().slug
    own = wire_record(origin=me, origin_path=["hub"])
    other = wire_record(origin="nl-nb", origin_path=["hub", "nl", "nl-nb"])
    # when it is applied
    with transaction.atomic():
        result = records_apply(
            records=[record_validate(own), record_validate(other)], source="nl"
        )
    # then the own record is counted and left alone, the next one is stored
    assert result.own == 1
    assert list(StoredRecord.objects.values_list("record_id", flat=True)) == [
        other["id"]
    ]
