"""The record contract's rules beyond its bounds: coherent places, defaults, the
canonical body and wire forms, and reasons that stay short."""

import pytest
from pydantic.alias_generators import to_snake

from federation.records import (
    RecordInvalid,
    body_validate,
    content_hash,
    record_validate,
)
from tests.federation.factories import body_for, wire_record


@pytest.mark.parametrize(
    "location", [{"lat": 51.7}, {"lon": 5.3}], ids=["lat-only", "lon-only"]
)
def test_a_point_needs_both_lat_and_lon(location):
    # when / then
    with pytest.raises(RecordInvalid, match="lat and lon go together"):
        body_validate(kind="project", body=body_for("project", location=location))


def test_an_organisation_is_not_open_to_partnership_unless_it_says_so():
    # when
    body = body_validate(kind="organisation", body=body_for("organisation"))
    # then
    assert body["openToPartnership"] is False


def test_the_canonical_body_leaves_out_empty_optional_fields():
    # given: a dataset that names no licence, contact or location
    # when
    body = body_validate(kind="dataset", body=body_for("dataset"))
    # then: the defaults are there, the absent optional fields are not
    assert body == {
        "title": "Parkeervergunningen",
        "description": "",
        "publisher": "Gemeente 's-Hertogenbosch",
        "keywords": [],
        "themes": [],
        "accessRights": "public",
        "distributions": [],
        "personalData": "none",
    }


def test_the_wire_form_of_a_tombstone_keeps_its_empty_fields():
    # given
    wire = wire_record(origin="be", deleted=True, version=2)
    wire["url"] = None
    # when
    sent = record_validate(wire).wire()
    # then: peers and the index read every envelope key, null or not
    assert (sent["body"], sent["url"], sent["originLevel"]) == (None, None, None)
    assert set(sent) == {
        "id",
        "kind",
        "origin",
        "originPath",
        "originLevel",
        "version",
        "updatedAt",
        "deleted",
        "language",
        "url",
        "schemaVersion",
        "body",
        "signature",
        "keyId",
    }


def test_an_unknown_kind_is_a_record_invalid_not_a_crash():
    with pytest.raises(RecordInvalid, match="'spaceship' is not a valid Kind"):
        body_validate(kind="spaceship", body={})


def test_a_reason_names_eight_problems_and_counts_the_rest():
    # given: ten keywords too long
    body = body_for("project", themes=["x" * 81] * 10)
    # when
    with pytest.raises(RecordInvalid) as raised:
        body_validate(kind="project", body=body)
    # then
    parts = str(raised.value).split("; ")
    assert len(parts) == 9
    assert parts[0].startswith("body.themes.0: String should have at most 80")
    assert parts[7].startswith("body.themes.7: ")
    assert parts[8] == "and 2 more"


def test_a_reason_with_one_problem_has_no_count():
    with pytest.raises(RecordInvalid) as raised:
        body_validate(kind="project", body=body_for("project", trl=10))
    assert str(raised.value) == "body.trl: Input should be less than or equal to 9"


def test_the_content_hash_of_a_version_is_fixed_across_hubs_and_releases():
    # given: a record with non-ASCII text (hubs compare these hashes in digests)
    record = record_validate(
        {
            "id": "nl:project:00000000-0000-4000-8000-000000000001",
            "kind": "project",
            "origin": "nl",
            "originPath": ["eu", "nl"],
            "version": 2,
            "updatedAt": "2026-11-01T10:00:00Z",
            "deleted": False,
            "language": "de",
            "url": "https://nl.example.org/r/1",
            "schemaVersion": 1,
            "body": {
                "name": "Zürich Parkeerscan",
                "shortDescription": "Scan.",
                "organisation": "Stadt Zürich",
                "status": "pilot",
            },
        }
    )
    # when / then: sorted keys, compact separators, UTF-8 text, SHA-256
    assert content_hash(record) == (
        "0c9eb79296397f154e56ab29e0d7eba09bab74965683ef663b55a09ad7285fbf"
    )


def test_a_body_may_name_its_fields_as_python_does():
    # given a body whose top-level keys are the models' Python names
    wire = body_for("project")
    python = {to_snake(key): value for key, value in wire.items()}
    assert python != wire
    # when / then it is the same body as the wire form
    assert body_validate(kind="project", body=python) == body_validate(
        kind="project", body=wire
    )
