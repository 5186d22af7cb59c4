"""After a sync: the neighbours are asked to pull only when something changed
here, the run records its trigger within the column, and a quarantined record
keeps its version and a bounded payload."""

import pytest

from federation.models import QuarantinedRecord
from federation.services.sync import QUARANTINE_PAYLOAD_CHARS, neighbour_sync
from hubs.services import neighbour_create
from tests.federation.factories import wire_record
from tests.federation.factories_sync import child_at
from tests.federation.peers import feed_answer, scripted_peer

pytestmark = pytest.mark.django_db

POKE = "neighbours_poke_enqueue.<locals>.<lambda>"


def pokes_queued(callbacks) -> int:
    """The poke sends among the callbacks the sync left for its commit."""
    return sum(1 for callback in callbacks if callback.__qualname__ == POKE)


def test_a_sync_that_applied_records_pokes_the_other_neighbours_and_a_noop_does_not(
    django_capture_on_commit_callbacks,
):
    # given: a parent that pulls from this hub, a child with one new record
    neighbour_create(
        slug="eu", name="EU", role="parent", endpoint_url="http://127.0.0.1:1"
    )
    page = feed_answer([wire_record(origin="nl")], end_cursor="c1", latest=1)
    with scripted_peer([lambda request: page, lambda request: page]) as (url, _):
        child = child_at(url)
        # when: the record arrives, then the same page again
        with django_capture_on_commit_callbacks() as first:
            applied = neighbour_sync(neighbour_id=child.pk)
        with django_capture_on_commit_callbacks() as second:
            again = neighbour_sync(neighbour_id=child.pk)
    # then
    assert (applied.applied, again.applied, again.unchanged) == (1, 0, 1)
    assert (pokes_queued(first), pokes_queued(second)) == (1, 0)


def test_a_long_trigger_is_cut_to_the_column():
    # given
    page = feed_answer([], end_cursor=None, latest=0)
    with scripted_peer([lambda request: page]) as (url, _):
        child = child_at(url)
        # when
        run = neighbour_sync(neighbour_id=child.pk, trigger="t" * 25)
    # then
    assert run.trigger == "t" * 20


def test_a_quarantined_record_keeps_its_version_and_a_bounded_payload():
    # given: an oversized record at version 3, and one whose version no column holds
    oversized = wire_record(origin="nl", version=3, name="x" * 30_000)
    huge_version = {**wire_record(origin="nl", status="unknown"), "version": 2**70}
    page = feed_answer([oversized, huge_version], end_cursor="c2")
    with scripted_peer([lambda request: page]) as (url, _):
        child = child_at(url)
        # when
        run = neighbour_sync(neighbour_id=child.pk)
    # then
    assert run.quarantined == 2
    held = {row.record_id: row for row in QuarantinedRecord.objects.all()}
    assert (held[oversized["id"]].version, held[huge_version["id"]].version) == (
        3,
        None,
    )
    assert len(held[oversized["id"]].payload) == QUARANTINE_PAYLOAD_CHARS == 20_000
