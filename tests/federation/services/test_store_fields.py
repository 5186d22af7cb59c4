"""What the store keeps beside each record (title and country, for lists and
filters), and which copy of a record a page keeps when two tie."""

import pytest

from federation.models import StoredRecord
from federation.records import record_validate
from federation.services.store import record_publish, record_tombstone, records_apply
from tests.federation.factories import body_for, wire_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "body", "title", "country"),
    [
        ("project", body_for("project", name="n" * 300), "n" * 300, "NL"),
        ("organisation", body_for("organisation"), "TU/e", ""),
        ("dataset", body_for("dataset", title="t" * 300), "t" * 300, ""),
        (
            "course",
            body_for("course", location={"country": "BE"}),
            "AI voor beleidsmakers",
            "BE",
        ),
    ],
    ids=["project-name", "organisation-name", "dataset-title", "course-title"],
)
def test_the_store_keeps_each_records_title_and_country(kind, body, title, country):
    # when
    stored = record_publish(kind=kind, body=body)
    # then
    stored.refresh_from_db()
    assert (stored.title, stored.country) == (title, country)


def test_a_tombstone_keeps_no_title():
    first = record_publish(kind="project", body=body_for("project"))
    record_tombstone(record_id=first.record_id)
    assert StoredRecord.objects.values_list("title", "country").get() == ("", "")


def test_of_two_equal_versions_in_a_page_the_first_is_kept():
    # given: a page with the same id and version twice, with different bodies
    first = wire_record(version=2, name="first")
    second = {**first, "body": body_for("project", name="second")}
    # when
    result = records_apply(
        records=[record_validate(first), record_validate(second)], source="nl"
    )
    # then: as for a version already held, an equal one changes nothing
    assert (result.applied, result.stale) == ([first["id"]], 1)
    assert StoredRecord.objects.get().body["name"] == "first"
