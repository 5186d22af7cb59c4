"""Typed GraphQL errors: every error this API raises carries ``extensions.code``."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from graphql import GraphQLError


class ErrorCode(StrEnum):
    """The values of ``extensions.code`` clients can rely on."""

    # No peer token, an unknown one, or the token of a disabled neighbour.
    UNAUTHENTICATED = "UNAUTHENTICATED"
    # A cursor this hub did not hand out.
    BAD_CURSOR = "BAD_CURSOR"
    # An argument out of range (a page size above the cap), or an oversize body.
    BAD_REQUEST = "BAD_REQUEST"
    # The document is too deep or too costly; rejected before execution.
    TOO_COMPLEX = "TOO_COMPLEX"
    # Over the request rate of this caller (HTTP 429 with Retry-After).
    THROTTLED = "THROTTLED"
    # An unexpected failure; the message is hidden unless DEBUG.
    INTERNAL = "INTERNAL_SERVER_ERROR"


def api_error(code: ErrorCode, message: str, **kwargs: Any) -> GraphQLError:
    """A GraphQLError with ``extensions.code``; ``kwargs`` go to GraphQLError."""
    return GraphQLError(message, extensions={"code": code.value}, **kwargs)
