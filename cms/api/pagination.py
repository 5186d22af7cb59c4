"""Paging of record lists: a cursor over the change sequence (newest change
first). No count query and no OFFSET, so every page costs the same however deep
a client pages."""

from __future__ import annotations

import re
from typing import Any

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

MAX_PAGE_SIZE = 100
# ASCII digits only: ``str.isdigit`` accepts "²", which ``int`` refuses.
WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")
# The largest value of the sequence column (bigint).
SEQUENCE_MAX = 2**63 - 1
INVALID_CURSOR = "Invalid cursor: use a next or previous link as given."


class StrictPageSize:
    """A paginator's ``page_size`` from 1 to ``max_page_size``: anything else is
    refused with 400 rather than silently changed (DRF clamps it)."""

    page_size: int
    page_size_query_param = "page_size"
    max_page_size: int

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not WHOLE_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"A whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return int(raw)


class RecordCursorPagination(StrictPageSize, CursorPagination):
    """Pages of records by descending change sequence; ``page_size`` from 1 to
    100."""

    ordering = "-seq"
    page_size = 20
    max_page_size = MAX_PAGE_SIZE

    def decode_cursor(self, request: Request) -> Cursor | None:
        """DRF's cursor, refused with 400 naming ``cursor`` when it is malformed
        or its position is not a sequence value (a forged position would reach
        the database as a string)."""
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from None
        if cursor is not None and cursor.position is not None:
            position = cursor.position
            if not WHOLE_NUMBER.fullmatch(position) or int(position) > SEQUENCE_MAX:
                raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]})
        return cursor

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """DRF's cursor and page size parameters, with the page size's bounds."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_page_size}
                )
                parameter["description"] = (
                    f"Records per page, {self.page_size} by default, at most "
                    f"{self.max_page_size}."
                )
        return parameters
