"""A page of a neighbour's change feed as the sync client reads it: the check of
its shape, and where the cursor stands once the page is applied.

Pure: the sync client (``federation.services.sync``) calls these on what it
fetched over HTTP, the network simulation (``bench/network_scale.py``) on what
it exchanged in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from federation.services.peer_http import SyncTransportError
from federation.wire import sequence_read


@dataclass(frozen=True)
class FeedPage:
    """One page of a neighbour's change feed, as received."""

    wires: list[Any]
    end_cursor: str | None
    has_next_page: bool
    latest_sequence: int
    last_sequence: int | None
    # The peer's key statements (asked for on the first page only).
    keys: list[Any] | None = None

    @property
    def more(self) -> bool:
        """Whether the sync reads another page after this one."""
        return self.has_next_page and bool(self.wires)


def feed_page_read(payload: Any, *, page_size: int, with_keys: bool) -> FeedPage:
    """The page in a GraphQL answer to ``CHANGES_QUERY``; a mismatch with the
    schema is a transport error (the cursor must not move on a page we cannot
    read)."""
    try:
        changes = payload["data"]["changes"]
        edges = changes["edges"]
        page_info = changes["pageInfo"]
        latest = sequence_read(changes["latestSequence"])
        has_next = page_info["hasNextPage"]
        end_cursor = page_info["endCursor"]
        if not isinstance(edges, list) or not isinstance(has_next, bool):
            raise TypeError("edges must be a list and hasNextPage a boolean")
        if end_cursor is not None and not isinstance(end_cursor, str):
            raise TypeError("endCursor must be a string")
        if len(edges) > page_size:
            raise ValueError(f"page of {len(edges)} edges exceeds the asked size")
        if edges and end_cursor is None:
            raise ValueError("a page with edges needs an endCursor")
        wires = [edge["wire"] for edge in edges]
        last_sequence = sequence_read(edges[-1]["sequence"]) if edges else None
    except (KeyError, TypeError, ValueError) as error:
        raise SyncTransportError(
            f"the change feed does not match the schema: {error}"
        ) from None
    keys = payload["data"].get("keys") if with_keys else None
    return FeedPage(
        wires=wires,
        end_cursor=end_cursor,
        has_next_page=has_next,
        latest_sequence=latest,
        last_sequence=last_sequence,
        # A peer that sends no key list (an older hub) pins nothing.
        keys=keys if isinstance(keys, list) else None,
    )


def cursor_moves(page: FeedPage) -> dict[str, Any]:
    """The sync state's fields once ``page`` is applied: the neighbour's latest
    sequence, the cursor after the page, and our position in its feed (its
    latest sequence when an empty last page says nothing lies beyond)."""
    updates: dict[str, Any] = {"remote_latest_seq": page.latest_sequence}
    if page.end_cursor:
        updates["cursor"] = page.end_cursor
    if page.last_sequence is not None:
        updates["local_position_seq"] = page.last_sequence
    elif not page.has_next_page:
        updates["local_position_seq"] = page.latest_sequence
    return updates
