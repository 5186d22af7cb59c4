"""The store's writes in real transactions (no test wrapper around them): a batch
is all or nothing, and a change - never a no-op - pokes the neighbours, through
the real broker."""

import pytest
from django.db import transaction

from federation.models import ChangeSequence, PokeState, StoredRecord
from federation.records import record_validate
from federation.selectors import sequence_latest
from federation.services.pokes import poke_clear
from federation.services.store import (
    NotOwnRecord,
    PublishItem,
    RecordNotFound,
    record_publish,
    record_tombstone,
    records_apply,
    records_publish,
)
from hubs.services import neighbour_create
from tests.federation.factories import body_for, stored_record, wire_record

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def neighbours() -> dict[str, int]:
    """A parent and a peer (poked after a change) and a child (not poked)."""
    return {
        slug: neighbour_create(
            slug=slug, name=slug, role=role, endpoint_url="http://127.0.0.1:1"
        ).neighbour.pk
        for slug, role in (("eu", "parent"), ("be", "peer"), ("nl", "child"))
    }


def _pending() -> set[int]:
    return set(
        PokeState.objects.filter(pending_until__isnull=False).values_list(
            "neighbour_id", flat=True
        )
    )


def _clear(ids) -> None:
    for neighbour_id in ids:
        poke_clear(neighbour_id=neighbour_id)


def test_a_batch_that_fails_midway_stores_nothing_of_it(neighbours, poke_queue):
    # given: an own record, and a peer record held here
    own = record_publish(kind="course", body=body_for("course"))
    foreign = stored_record(origin="nl", origin_path=["hub", "nl"])
    _clear(neighbours.values())
    poke_queue()
    seq = sequence_latest()
    # when: a batch edits the own record, adds one, then names the peer's record
    with pytest.raises(NotOwnRecord, match=foreign.record_id):
        records_publish(
            items=[
                PublishItem(
                    kind="course",
                    body=body_for("course", title="Edited"),
                    record_id=own.record_id,
                ),
                PublishItem(kind="dataset", body=body_for("dataset")),
                PublishItem(
                    kind="project",
                    body=body_for("project"),
                    record_id=foreign.record_id,
                ),
            ]
        )
    # then: the edit written before the failure was rolled back with the rest
    stored = StoredRecord.objects.get(record_id=own.record_id)
    assert (stored.version, stored.body["title"], stored.seq) == (
        1,
        "AI voor beleidsmakers",
        own.seq,
    )
    assert StoredRecord.objects.count() == 2
    assert (sequence_latest(), ChangeSequence.objects.get().value) == (seq, seq)
    assert (_pending(), poke_queue()) == (set(), [])


def test_a_batch_commits_as_one_and_pokes_once(neighbours, poke_queue):
    # when
    stored = records_publish(
        items=[PublishItem(kind="dataset", body=body_for("dataset")) for _ in range(3)]
    )
    # then: committed (seen outside any transaction of the test), one poke each
    assert StoredRecord.objects.filter(seq__in=[1, 2, 3]).count() == 3
    assert [record.seq for record in stored] == [1, 2, 3]
    assert _pending() == {neighbours["eu"], neighbours["be"]}
    assert sorted(poke_queue()) == sorted([neighbours["eu"], neighbours["be"]])


def test_a_change_pokes_the_neighbours_and_a_noop_does_not(neighbours, poke_queue):
    # given: an own record whose pokes were sent
    first = record_publish(kind="dataset", body=body_for("dataset"))
    assert sorted(poke_queue()) == sorted([neighbours["eu"], neighbours["be"]])
    _clear(neighbours.values())
    # when: the same body again
    same = record_publish(
        kind="dataset", body=body_for("dataset"), record_id=first.record_id
    )
    # then: nothing changed, nobody is poked
    assert (same.version, sequence_latest()) == (1, 1)
    assert (_pending(), poke_queue()) == (set(), [])
    # when: an edit
    record_publish(
        kind="dataset",
        body=body_for("dataset", title="Edited"),
        record_id=first.record_id,
    )
    # then: the parent and the peer are poked, the child is not
    assert _pending() == {neighbours["eu"], neighbours["be"]}
    assert sorted(poke_queue()) == sorted([neighbours["eu"], neighbours["be"]])


def test_a_tombstone_commits_and_pokes_and_a_second_one_does_not(
    neighbours, poke_queue
):
    # given
    first = record_publish(kind="dataset", body=body_for("dataset"))
    poke_queue()
    _clear(neighbours.values())
    # when
    gone = record_tombstone(record_id=first.record_id)
    # then
    stored = StoredRecord.objects.get()
    assert (gone.version, stored.version, stored.deleted, stored.seq) == (2, 2, True, 2)
    assert sorted(poke_queue()) == sorted([neighbours["eu"], neighbours["be"]])
    # when: tombstoned again
    _clear(neighbours.values())
    again = record_tombstone(record_id=first.record_id)
    # then: a no-op
    assert (again.version, sequence_latest()) == (2, 2)
    assert (_pending(), poke_queue()) == (set(), [])


def test_a_refused_tombstone_changes_nothing(neighbours, poke_queue):
    # given: a peer record held here (its pokes sent)
    foreign = stored_record(origin="nl", origin_path=["hub", "nl"])
    _clear(neighbours.values())
    poke_queue()
    seq = sequence_latest()
    # when / then
    with pytest.raises(NotOwnRecord):
        record_tombstone(record_id=foreign.record_id)
    with pytest.raises(RecordNotFound):
        record_tombstone(record_id=wire_record(origin="hub")["id"])
    assert StoredRecord.objects.get().deleted is False
    assert sequence_latest() == seq
    assert (_pending(), poke_queue()) == (set(), [])


def test_applied_peer_records_poke_the_neighbours_but_not_their_source(
    neighbours, poke_queue
):
    # given: a record of peer be
    record = record_validate(wire_record(origin="be", origin_path=["eu", "be"]))
    # when: applied from be
    with transaction.atomic():
        records_apply(records=[record], source="be")
    # then: the parent is poked; be, which has it, and the child are not
    assert StoredRecord.objects.count() == 1
    assert (_pending(), poke_queue()) == ({neighbours["eu"]}, [neighbours["eu"]])
    # when: the same record again
    _clear(neighbours.values())
    with transaction.atomic():
        records_apply(records=[record], source="be")
    # then: nothing changed, nobody is poked
    assert (_pending(), poke_queue()) == (set(), [])
