"""What a neighbour may speak for: the origin authority of records it sends.

A neighbour relays records along the tree; it may only claim records whose origin
path runs through it in a way its role allows, and never move a record far ahead
of the version held here. Everything else is quarantined with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from federation.records import Record


def path_authority_reason(
    *, origin_path: Sequence[str], neighbour: str, role: str, me: str
) -> str | None:
    """Why ``neighbour`` (a ``role`` of this hub ``me``) may not speak for a
    record at ``origin_path``, or None when it may.

    A child or a peer speaks for itself and its subtree: the path contains it
    and, when the path runs through this hub, it is the hop right below this hub.
    A parent speaks for what lies outside this hub's subtree.
    """
    path = list(origin_path)
    if role == "parent":
        if me in path:
            return (
                f"parent {neighbour} may not speak for {path[-1]}, which claims to "
                f"be under this hub (originPath {'/'.join(path)})"
            )
        return None
    if neighbour not in path:
        return (
            f"{role} {neighbour} may not speak for {path[-1]}: its originPath "
            f"{'/'.join(path)} does not run through {neighbour}"
        )
    if me in path:
        below = path.index(me) + 1
        if below >= len(path) or path[below] != neighbour:
            return (
                f"{role} {neighbour} may not speak for {path[-1]}: its originPath "
                f"{'/'.join(path)} does not reach this hub through {neighbour}"
            )
    return None


def record_authority_reason(
    *,
    record: Record,
    held_path: Sequence[str] | None,
    neighbour: str,
    role: str,
    me: str,
) -> str | None:
    """Why ``neighbour`` may not send ``record``, or None when it may.

    A record (or, for a new record, its origin) held here keeps its origin path:
    a neighbour that restates it elsewhere must also be entitled to the path
    held, so a child cannot claim a sibling's records by forging a path through
    itself.
    """
    reason = path_authority_reason(
        origin_path=record.origin_path, neighbour=neighbour, role=role, me=me
    )
    if reason is None and held_path and list(held_path) != list(record.origin_path):
        held_reason = path_authority_reason(
            origin_path=held_path, neighbour=neighbour, role=role, me=me
        )
        if held_reason is not None:
            reason = (
                f"originPath {'/'.join(record.origin_path)} differs from the one "
                f"held here ({'/'.join(held_path)}), and {held_reason}"
            )
    return reason


def version_jump_reason(*, record: Record, held_version: int) -> str | None:
    """Why ``record``'s version is too far above ``held_version`` (0 when the
    record is new), or None when it is within SYNC_MAX_VERSION_JUMP."""
    bound = held_version + settings.SYNC_MAX_VERSION_JUMP
    if record.version > bound:
        return (
            f"version {record.version} jumps more than SYNC_MAX_VERSION_JUMP="
            f"{settings.SYNC_MAX_VERSION_JUMP} above the version held here "
            f"({held_version})"
        )
    return None
