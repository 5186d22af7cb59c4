"""Who may speak for a record: the edges of the origin-path and version rules."""

from federation.records import record_validate
from federation.services.authority import (
    path_authority_reason,
    record_authority_reason,
    version_jump_reason,
)
from tests.federation.factories import wire_record

JUMP = 10**6


def test_a_child_may_not_speak_for_a_path_that_ends_at_this_hub():
    # given a path whose last hop is this hub: nothing lies below it
    # when, then: refused with a reason, not an index error
    assert path_authority_reason(
        origin_path=["nl", "hub"], neighbour="nl", role="child", me="hub"
    ) == (
        "child nl may not speak for hub: its originPath nl/hub does not reach "
        "this hub through nl"
    )


def test_a_held_path_that_sorts_after_the_new_one_is_checked_too():
    # given a record held under a sibling's path, now sent by child nl
    record = record_validate(wire_record(origin="x", origin_path=["hub", "nl", "x"]))
    # when nl claims it under its own path
    reason = record_authority_reason(
        record=record,
        held_path=["hub", "sib", "x"],
        neighbour="nl",
        role="child",
        me="hub",
    )
    # then the held path decides: nl may not take the sibling's record
    assert reason is not None


def test_the_version_bound_counts_from_the_held_version(settings):
    # given a held version of exactly the jump bound
    settings.SYNC_MAX_VERSION_JUMP = JUMP
    # when a record comes one jump above it, then it is allowed; one more is not
    at_bound = record_validate(wire_record(origin="nl", version=2 * JUMP))
    past = record_validate(wire_record(origin="nl", version=2 * JUMP + 1))
    assert version_jump_reason(record=at_bound, held_version=JUMP) is None
    assert version_jump_reason(record=past, held_version=JUMP) is not None
