"""Re-driving dead letters (``search redrive``, ``dead_letters_redrive``) against
the real OpenSearch node: once the cause is fixed the record is indexed and its
dead letter goes; still refused, the attempt is counted; every re-drive is
audited; a newer version resolves or updates the one dead letter."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from federation.services.store import record_publish
from search.indexing import index_drain
from search.models import DeadLetter
from search.redrive import dead_letters_redrive
from tests.audit_entries import the_one_entry
from tests.federation.factories import body_for
from tests.search.dead_letters import (
    REFUSED_TITLE,
    dead_letter_some,
    indexed_versions,
)


def test_redrive_after_the_cause_is_fixed_indexes_and_removes_the_row(
    db, refusal, settings, capsys
):
    # given a dead letter whose cause is fixed
    stored = dead_letter_some(refusal, settings)
    letter = DeadLetter.objects.get()
    refusal.fix()
    # when re-driving every dead letter from the command line
    call_command("search", "redrive", "--all", "--json")
    # then it is indexed and the row is gone
    assert json.loads(capsys.readouterr().out) == {
        "indexed": 1,
        "stale": 0,
        "refused": 0,
        "gone": 0,
        "unknown": [],
    }
    assert not DeadLetter.objects.exists()
    assert indexed_versions() == {s.record_id: 1 for s in stored}
    # and the audit log keeps, by nobody, what became of that dead letter
    entry = the_one_entry()
    assert entry.action == "search.dead_letter.redrive"
    assert entry.user is None
    assert entry.content_type.model_class() is DeadLetter
    assert entry.object_id == str(letter.pk)
    assert entry.label == stored[1].record_id
    assert entry.data == {
        "record_id": stored[1].record_id,
        "version": 1,
        "outcome": "accepted",
    }
    assert entry.message == f"Re-drove {stored[1].record_id} v1: the index took it"


def test_redrive_while_still_refused_keeps_the_row_and_counts_the_attempt(
    db, refusal, settings
):
    # given a dead letter whose cause is still there
    stored = dead_letter_some(refusal, settings)
    before = DeadLetter.objects.get()
    # when re-driving that record
    result = dead_letters_redrive(record_ids=[stored[1].record_id])
    # then the row stays, with one more attempt and a new last failure
    assert (result.indexed, result.stale, result.refused, result.unknown) == (
        0,
        0,
        1,
        [],
    )
    after = DeadLetter.objects.get()
    assert (after.attempts, after.status, after.version) == (2, 400, 1)
    assert after.reason.startswith("mapper_parsing_exception")
    assert after.first_failed_at == before.first_failed_at
    assert after.last_failed_at > before.last_failed_at
    assert stored[1].record_id not in indexed_versions()
    entry = the_one_entry()
    assert (entry.action, entry.user, entry.object_id) == (
        "search.dead_letter.redrive",
        None,
        str(before.pk),
    )
    assert entry.data == {
        "record_id": stored[1].record_id,
        "version": 1,
        "outcome": "refused",
    }


def test_redrive_of_an_unknown_record_says_so_and_changes_nothing(
    db, refusal, settings
):
    # given a dead letter
    dead_letter_some(refusal, settings)
    # when re-driving a record that has none, or giving no selection
    with pytest.raises(CommandError, match="no dead letter for: nl:project:nope"):
        call_command("search", "redrive", "--record", "nl:project:nope")
    with pytest.raises(CommandError, match="either --all or --record"):
        call_command("search", "redrive")
    # then the dead letter is untouched and nothing is audited
    assert DeadLetter.objects.get().attempts == 1
    assert not ModelLogEntry.objects.exists()


def test_one_redrive_audits_each_dead_letter_under_one_uuid(db, refusal, settings):
    # given a dead letter whose cause is fixed and one whose record left the store
    stored = dead_letter_some(refusal, settings)
    refusal.fix()
    now = timezone.now()
    gone = DeadLetter.objects.create(
        record_id="nl:project:gone",
        seq=1,
        version=4,
        status=400,
        reason="mapper_parsing_exception",
        attempts=1,
        first_failed_at=now,
        last_failed_at=now,
    )
    # when both are re-driven in one go
    result = dead_letters_redrive()
    # then each has its entry, with its outcome, and both share the re-drive's uuid
    assert (result.indexed, result.gone) == (1, 1)
    entries = {
        entry.data["record_id"]: entry
        for entry in ModelLogEntry.objects.filter(action="search.dead_letter.redrive")
    }
    assert {rid: entry.data["outcome"] for rid, entry in entries.items()} == {
        stored[1].record_id: "accepted",
        "nl:project:gone": "gone",
    }
    assert entries["nl:project:gone"].object_id == str(gone.pk)
    assert entries["nl:project:gone"].data["version"] == 4
    assert entries["nl:project:gone"].message == (
        "Re-drove nl:project:gone v4: no longer stored"
    )
    (shared,) = {entry.uuid for entry in entries.values()}
    assert shared is not None


def test_a_newer_version_accepted_by_a_drain_resolves_thedead_letter_some(
    db, refusal, settings
):
    # given a dead-lettered record
    stored = dead_letter_some(refusal, settings)
    # when its origin publishes a corrected version and the drain sends it
    fixed = record_publish(
        kind="project",
        record_id=stored[1].record_id,
        body=body_for("project", name="Project 1, corrected"),
    )
    result = index_drain(page_size=2)
    # then the index holds the new version and the dead letter is gone
    assert (fixed.version, result.written, result.failed) == (2, 1, 0)
    assert indexed_versions()[fixed.record_id] == 2
    assert not DeadLetter.objects.exists()


def test_a_later_version_refused_again_updates_the_one_row(db, refusal, settings):
    # given a dead-lettered record
    stored = dead_letter_some(refusal, settings)
    first = DeadLetter.objects.get()
    # when a later version is refused for good too
    again = record_publish(
        kind="project",
        record_id=stored[1].record_id,
        body=body_for("project", name=f"{REFUSED_TITLE} again"),
    )
    index_drain(page_size=2)
    # then the same row now names that version and adds its attempts
    letter = DeadLetter.objects.get()
    assert (letter.pk, letter.version, letter.seq, letter.attempts) == (
        first.pk,
        2,
        again.seq,
        2,
    )
    assert letter.first_failed_at == first.first_failed_at
    assert letter.last_failed_at > first.last_failed_at
