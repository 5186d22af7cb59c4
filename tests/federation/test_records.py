"""The record schema validates every body and names what is wrong."""

import datetime as dt

import pytest

from federation.records import RecordInvalid, body_validate, record_validate
from tests.federation.factories import body_for, wire_record


@pytest.mark.parametrize("kind", ["project", "dataset", "course", "organisation"])
def test_valid_records_of_every_kind(kind):
    record = record_validate(wire_record(kind=kind))
    assert record.kind == kind
    assert record.body["name" if kind in {"project", "organisation"} else "title"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"kind": "spaceship"}, "kind: Input should be 'project'"),
        ({"version": "two"}, "version: Input should be a valid integer"),
        ({"version": 0}, "version: Input should be greater than or equal to 1"),
        ({"origin": "be"}, "id does not match origin and kind"),
        ({"originPath": ["eu", "be"]}, "originPath must end with the origin"),
        (
            {"updatedAt": "2026-11-01T10:00:00"},
            "updatedAt: updatedAt needs a time zone",
        ),
        ({"schemaVersion": 99}, "schemaVersion 99 is newer than 4"),
        ({"body": None}, "a record that is not deleted needs a body"),
        ({"surprise": 1}, "surprise: Extra inputs are not permitted"),
    ],
)
def test_broken_envelopes_are_rejected_with_a_reason(change, reason):
    with pytest.raises(RecordInvalid) as error:
        record_validate({**wire_record(), **change})
    assert reason in str(error.value)


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        (
            {"name": "<script>alert(1)</script>"},
            "body.name: markup is not allowed in a plain-text field",
        ),
        ({"name": "x" * 301}, "body.name: String should have at most 300 characters"),
        ({"trl": 12}, "body.trl: Input should be less than or equal to 9"),
        ({"status": "dreaming"}, "body.status: Input should be 'idea'"),
        (
            {"description": '<p onclick="steal()">hi</p>'},
            "body.description: script or event-handler markup is not allowed",
        ),
        (
            {"startDate": "2026-05-01", "endDate": "2026-01-01"},
            "endDate is before startDate",
        ),
        ({"aiActClass": "high"}, "a high-risk project names its Annex III area"),
    ],
)
def test_broken_bodies_are_rejected_with_a_reason(override, reason):
    with pytest.raises(RecordInvalid) as error:
        record_validate(wire_record(**override))
    assert reason in str(error.value)


def test_tombstone_carries_no_body():
    tombstone = wire_record(deleted=True)
    assert record_validate(tombstone).body is None
    with pytest.raises(RecordInvalid, match="a tombstone carries no body"):
        record_validate({**tombstone, "body": body_for("project")})


def test_rich_text_is_sanitized_not_rejected():
    body = body_validate(
        kind="project",
        body=body_for(
            "project", description='<p>Zie <a href="https://x.nl">x</a><img src=x></p>'
        ),
    )
    assert body["description"] == (
        '<p>Zie <a href="https://x.nl" rel="noopener noreferrer">x</a></p>'
    )


def test_non_object_is_rejected():
    with pytest.raises(RecordInvalid, match="a record must be a JSON object, got list"):
        record_validate([1, 2])


@pytest.mark.parametrize(
    ("updated_at", "reason"),
    [
        (
            "1999-12-31T23:59:59Z",
            "updatedAt 1999-12-31T23:59:59+00:00 is outside "
            "[2000-01-01T00:00:00+00:00, now + 1 day]",
        ),
        ("9999-12-31T23:30:00-01:00", "updatedAt: updatedAt is out of range"),
        (
            "9999-12-31T23:30:00Z",
            "updatedAt 9999-12-31T23:30:00+00:00 is outside "
            "[2000-01-01T00:00:00+00:00, now + 1 day]",
        ),
    ],
)
def test_updated_at_outside_the_plausible_range_is_refused(updated_at, reason):
    with pytest.raises(RecordInvalid) as error:
        record_validate({**wire_record(), "updatedAt": updated_at})
    assert reason in str(error.value)


@pytest.mark.parametrize(
    ("updated_at", "utc"),
    [
        ("2000-01-01T00:00:00Z", dt.datetime(2000, 1, 1, tzinfo=dt.UTC)),
        ("2000-01-01T01:00:00+01:00", dt.datetime(2000, 1, 1, tzinfo=dt.UTC)),
        ("2026-11-01T08:00:00-02:00", dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC)),
    ],
)
def test_updated_at_is_normalised_to_utc(updated_at, utc):
    record = record_validate({**wire_record(), "updatedAt": updated_at})
    assert record.updated_at == utc
    assert record.updated_at.utcoffset() == dt.timedelta(0)
    assert record.wire()["updatedAt"] == utc.isoformat().replace("+00:00", "Z")


def test_updated_at_may_run_one_day_ahead_and_no_more():
    now = dt.datetime.now(dt.UTC)
    day = dt.timedelta(days=1)
    ahead = record_validate(
        {
            **wire_record(),
            "updatedAt": (now + day - dt.timedelta(seconds=30)).isoformat(),
        }
    )
    assert ahead.updated_at <= now + day
    with pytest.raises(RecordInvalid, match="is outside"):
        record_validate(
            {
                **wire_record(),
                "updatedAt": (now + day + dt.timedelta(seconds=30)).isoformat(),
            }
        )
