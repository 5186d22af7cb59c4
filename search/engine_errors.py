"""The engine adapter's errors (``search.engine`` maps each client's own
exceptions onto these, and re-exports them): callers never import a client
library."""

from __future__ import annotations

from typing import Any


class SearchError(Exception):
    """The engine rejected a request."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class _ItemError(Exception):
    """One refused search of a multi-search (the request itself succeeded)."""

    def __init__(self, status: int, error: Any) -> None:
        super().__init__(str(error)[:400])
        self.status = status


class SearchUnavailable(SearchError):
    """The engine cannot be reached (down, timed out, refused) or is overloaded;
    a face answers 503 with ``Retry-After: RETRY_AFTER_SECONDS``."""


class SearchBusy(SearchUnavailable):
    """The engine refused for load (429, e.g. a full search queue): the same
    request can succeed shortly."""


class SearchNotFound(SearchError):
    """The index or document does not exist."""


class SearchConflict(SearchError):
    """A version conflict: the engine holds the same or a newer version."""


def error_for_status(status: int | None, message: str) -> SearchError:
    """This module's error for an engine answer's HTTP status (None: no answer)."""
    if status is None:
        return SearchUnavailable(message)
    if status == 404:
        return SearchNotFound(message, status=status)
    if status == 409:
        return SearchConflict(message, status=status)
    if status == 429:
        return SearchBusy(message, status=status)
    if status in {502, 503, 504}:
        return SearchUnavailable(message, status=status)
    return SearchError(message, status=status)
