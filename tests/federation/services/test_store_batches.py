"""Pages and batches of several records: one record's outcome (own origin, stale,
unchanged, refused) never costs the records after it in the same page."""

import pytest

from federation.models import StoredRecord
from federation.records import record_validate
from federation.selectors import sequence_latest
from federation.services.store import (
    PublishItem,
    record_publish,
    record_tombstone,
    records_apply,
    records_publish,
)
from tests.federation.factories import body_for, wire_record

pytestmark = pytest.mark.django_db


def _held(**kwargs) -> dict:
    """A peer record applied here first; returns its wire form."""
    wire = wire_record(**kwargs)
    records_apply(records=[record_validate(wire)], source="nl")
    return wire


def _versions() -> dict[str, int]:
    return dict(StoredRecord.objects.values_list("record_id", "version"))


def test_a_page_mixing_every_outcome_applies_all_its_new_records(settings):
    # given: records held at version 3 and 2, and a version-jump bound of 100
    settings.SYNC_MAX_VERSION_JUMP = 100
    stale_held = _held(version=3, name="held three")
    unchanged_held = _held(version=2, name="held two")
    seq = sequence_latest()
    new = [wire_record(name=f"new {n}") for n in range(6)]
    duplicate_newer = {**new[1], "version": 2, "body": body_for("project", name="2")}
    # when: a page where each outcome is followed by a new record
    page = [
        wire_record(origin="hub", origin_path=["hub"]),  # own origin
        new[0],
        duplicate_newer,  # a newer duplicate of new[1], later in the page
        new[1],  # the older duplicate: stale within the page
        new[2],
        {**stale_held, "version": 2, "body": body_for("project", name="old")},
        new[3],
        {**unchanged_held},  # the version held: unchanged
        new[4],
        wire_record(version=101),  # new, and above the jump bound: refused
        new[5],
    ]
    result = records_apply(records=[record_validate(w) for w in page], source="nl")
    # then: every new record is applied, each other outcome counted once
    applied = [new[1]["id"], new[0]["id"], new[2]["id"], new[3]["id"]]
    applied += [new[4]["id"], new[5]["id"]]
    assert sorted(result.applied) == sorted(applied)
    assert (result.own, result.stale, result.unchanged) == (1, 2, 1)
    assert [record.id for record, _ in result.refused] == [page[9]["id"]]
    versions = _versions()
    assert {record_id: versions[record_id] for record_id in applied} == {
        new[0]["id"]: 1,
        new[1]["id"]: 2,
        new[2]["id"]: 1,
        new[3]["id"]: 1,
        new[4]["id"]: 1,
        new[5]["id"]: 1,
    }
    assert (versions[stale_held["id"]], versions[unchanged_held["id"]]) == (3, 2)
    assert len(versions) == 8
    assert sequence_latest() == seq + 6


def test_a_page_whose_refused_record_comes_first_still_applies_the_rest():
    # given: a child that may speak only for itself
    foreign = wire_record(origin="x", origin_path=["eu", "x"])
    own = [wire_record(origin="nl", origin_path=["hub", "nl"]) for _ in range(2)]
    # when
    result = records_apply(
        records=[record_validate(w) for w in (own[0], foreign, own[1])],
        source="nl",
        role="child",
    )
    # then
    assert result.applied == [own[0]["id"], own[1]["id"]]
    assert [record.id for record, _ in result.refused] == [foreign["id"]]
    assert set(_versions()) == {own[0]["id"], own[1]["id"]}


def test_a_relayed_record_held_at_a_newer_version_is_stale_and_the_page_goes_on():
    # given: sibling be's record at version 3, relayed by child nl at version 2
    sibling = wire_record(origin="be", origin_path=["hub", "be"], version=3)
    records_apply(records=[record_validate(sibling)], source="be", role="child")
    relayed = {**sibling, "version": 2, "body": body_for("project", name="old")}
    after = wire_record(origin="nl", origin_path=["hub", "nl"])
    # when
    result = records_apply(
        records=[record_validate(relayed), record_validate(after)],
        source="nl",
        role="child",
    )
    # then: stale, not refused, and the next record applied
    assert (result.stale, result.refused, result.applied) == (1, [], [after["id"]])


def test_a_batch_publish_goes_on_after_an_unchanged_item():
    # given: two own records
    same = record_publish(kind="dataset", body=body_for("dataset"))
    edited = record_publish(kind="course", body=body_for("course"))
    seq = sequence_latest()
    # when: a batch republishes the first unchanged, then adds and edits
    results = records_publish(
        items=[
            PublishItem(
                kind="dataset", body=body_for("dataset"), record_id=same.record_id
            ),
            PublishItem(kind="project", body=body_for("project")),
            PublishItem(
                kind="course",
                body=body_for("course", title="Edited"),
                record_id=edited.record_id,
            ),
        ]
    )
    # then: three results, the unchanged one at its version, two new changes
    assert [(r.kind, r.version) for r in results] == [
        ("dataset", 1),
        ("project", 1),
        ("course", 2),
    ]
    assert sequence_latest() == seq + 2
    assert StoredRecord.objects.count() == 3
    stored = StoredRecord.objects.get(record_id=edited.record_id)
    assert (stored.version, stored.body["title"], stored.seq) == (2, "Edited", seq + 2)
    assert StoredRecord.objects.get(record_id=same.record_id).seq == same.seq


def test_republishing_the_same_body_at_a_new_url_is_a_new_version():
    # given: an own record at one URL
    first = record_publish(
        kind="dataset", body=body_for("dataset"), url="https://hub.example.org/a"
    )
    # when: the same body at another URL, then again at that URL
    moved = record_publish(
        kind="dataset",
        body=body_for("dataset"),
        record_id=first.record_id,
        url="https://hub.example.org/b",
    )
    again = record_publish(
        kind="dataset",
        body=body_for("dataset"),
        record_id=first.record_id,
        url="https://hub.example.org/b",
    )
    # then
    assert (first.version, moved.version, again.version) == (1, 2, 2)
    stored = StoredRecord.objects.get()
    assert (stored.url, stored.version) == ("https://hub.example.org/b", 2)
    assert sequence_latest() == 2


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("https://hub.example.org/b", "https://hub.example.org/a"),
        ("", "https://x.org/"),
    ],
    ids=["a-lower-url", "a-url-added"],
)
def test_any_change_of_url_is_a_new_version(before, after):
    # given
    first = record_publish(kind="dataset", body=body_for("dataset"), url=before)
    # when
    moved = record_publish(
        kind="dataset", body=body_for("dataset"), record_id=first.record_id, url=after
    )
    # then
    assert (moved.version, moved.url) == (2, after)


def test_republishing_a_tombstoned_record_with_its_old_body_revives_it():
    # given
    first = record_publish(kind="dataset", body=body_for("dataset"))
    record_tombstone(record_id=first.record_id)
    # when
    revived = record_publish(
        kind="dataset", body=body_for("dataset"), record_id=first.record_id
    )
    # then
    assert (revived.version, revived.deleted, revived.body["title"]) == (
        3,
        False,
        "Parkeervergunningen",
    )


@pytest.mark.parametrize(("before", "after"), [("en", "nl"), ("nl", "en")])
def test_republishing_in_another_language_is_a_new_version(before, after):
    # given a record in one language (either order, so no ordering of the
    # codes can pass for equality)
    first = record_publish(kind="dataset", body=body_for("dataset"), language=before)
    # when the same body is published in another
    moved = record_publish(
        kind="dataset",
        body=body_for("dataset"),
        record_id=first.record_id,
        language=after,
    )
    # then it is a new version in the new language
    assert (moved.version, moved.language) == (2, after)
