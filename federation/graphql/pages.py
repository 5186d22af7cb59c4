"""Pages of the change feed and of the record browse: the selectors behind the
GraphQL connections. They check the page arguments (typed errors), run a fixed
number of queries whatever the page size, and know nothing of GraphQL types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import QuerySet

from federation.graphql.errors import ErrorCode, api_error
from federation.graphql.limits import (
    CHANGES_MAX_PAGE_SIZE,
    RECORDS_MAX_PAGE_SIZE,
)
from federation.models import StoredRecord
from federation.selectors import (
    changes_after,
    cursor_decode,
    cursor_encode,
    records_filter,
    sequence_latest,
)

# The largest value a sequence column (bigint) holds.
SEQUENCE_MAX = 2**63 - 1


@dataclass(frozen=True)
class ChangePage:
    """Up to ``first`` changes after a cursor, and where the feed stands."""

    records: list[StoredRecord]
    has_next_page: bool
    latest_sequence: int

    @property
    def end_cursor(self) -> str | None:
        return cursor_encode(self.records[-1].seq) if self.records else None


@dataclass
class RecordPage:
    """Up to ``first`` records of a browse; the total is counted only when asked."""

    records: list[StoredRecord]
    has_next_page: bool
    matching: QuerySet[StoredRecord] = field(repr=False)

    @property
    def end_cursor(self) -> str | None:
        return cursor_encode(self.records[-1].seq) if self.records else None

    @cached_property
    def total_count(self) -> int:
        return self.matching.count()


def change_page(
    *, after: str | None, first: int, kinds: list[str] | None = None
) -> ChangePage:
    """A page of the change feed: two queries (the rows, then the latest value,
    so ``latest_sequence`` is never below a row's sequence)."""
    _page_size_check(first, cap=CHANGES_MAX_PAGE_SIZE)
    rows = changes_after(after_seq=_position(after), first=first + 1, kinds=kinds)
    return change_page_build(rows=rows, first=first, latest_sequence=sequence_latest())


def change_page_build(
    *, rows: Sequence[Any], first: int, latest_sequence: int
) -> ChangePage:
    """The page of up to ``first`` changes out of ``rows`` (up to ``first + 1``
    held records after the cursor, in sequence order: one more says a next page
    exists). Any store's rows with the ``StoredRecord`` columns will do."""
    return ChangePage(
        records=list(rows[:first]),
        has_next_page=len(rows) > first,
        latest_sequence=latest_sequence,
    )


def record_page(
    *,
    first: int,
    after: str | None = None,
    kinds: list[str] | None = None,
    origin: str | None = None,
    within: str | None = None,
    country: str | None = None,
    search: str | None = None,
) -> RecordPage:
    """A page of published records, most recently changed first: one query, and a
    count query when the total is read."""
    _page_size_check(first, cap=RECORDS_MAX_PAGE_SIZE)
    matching = records_filter(
        kinds=kinds, origin=origin, within=within, country=country, text=search
    )
    position = _position(after)
    rows = matching.filter(seq__lt=position) if position else matching
    records = list(rows[: first + 1])
    return RecordPage(
        records=records[:first],
        has_next_page=len(records) > first,
        matching=matching,
    )


def _page_size_check(first: int, *, cap: int) -> None:
    if not 1 <= first <= cap:
        raise api_error(
            ErrorCode.BAD_REQUEST, f"first must be between 1 and {cap}, got {first}."
        )


def _position(cursor: str | None) -> int:
    """The sequence value of a cursor handed out by this hub (0 for none)."""
    try:
        position = cursor_decode(cursor)
    except ValueError:
        raise api_error(
            ErrorCode.BAD_CURSOR, "The cursor is malformed; use an endCursor as given."
        ) from None
    if position > SEQUENCE_MAX:
        raise api_error(ErrorCode.BAD_CURSOR, "The cursor is out of range.")
    return position
