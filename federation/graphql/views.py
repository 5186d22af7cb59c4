"""The GraphQL endpoint of a hub (``/graphql``).

- Peers POST without a CSRF token, so the view is CSRF-exempt; no resolver
  trusts the session (the feed and ``poke`` need a peer token in the
  ``Authorization: Bearer <token>`` header, everything else is public).
- The token is checked once per request, here, and the neighbour (or None) is
  left on the request for the resolvers (``neighbour_required``). A missing or
  wrong token is an error with code ``UNAUTHENTICATED`` in a normal GraphQL
  answer (HTTP 200, the field null), so a query may mix public fields and the
  feed, and a client reads one error shape.
- Depth and cost are validation rules (``limits``): such errors come back before
  execution with code ``TOO_COMPLEX`` (HTTP 400, like every validation error).
- A document of more than ``MAX_TOKENS`` tokens is refused (``TOO_COMPLEX``,
  HTTP 400) before it is parsed.
- A body over ``MAX_REQUEST_BYTES`` is refused with HTTP 413 (code BAD_REQUEST)
  before it is parsed.
- GraphiQL is served only when ``settings.DEBUG``.
- Every error carries ``extensions.code``: the resolvers' own codes, BAD_REQUEST
  for syntax, validation and variable errors, INTERNAL_SERVER_ERROR for
  unexpected exceptions, which are logged and whose message is hidden unless
  DEBUG.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Mapping
from typing import Any

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from graphql import ExecutionResult, GraphQLError

from federation.graphql.errors import ErrorCode
from federation.graphql.limits import (
    MAX_REQUEST_BYTES,
    document_token_error,
    validation_rules,
)
from federation.graphql.operations import NEIGHBOUR_ATTRIBUTE
from federation.wire import PEER_TOKEN_SCHEME
from hubs.services import neighbour_authenticate

logger = logging.getLogger(__name__)


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != PEER_TOKEN_SCHEME.lower():
        return None
    return token.strip() or None


@method_decorator(csrf_exempt, name="dispatch")
class HubGraphQLView(GraphQLView):
    """graphene-django's view with peer authentication and this API's limits.

    It serves the schema it is given (``hubnet.urls`` passes the one root
    schema), else ``GRAPHENE["SCHEMA"]``: federation holds no schema of its own.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.graphiql = bool(settings.DEBUG)
        if self._too_large(request):
            return _error_response(
                413,
                ErrorCode.BAD_REQUEST,
                f"The request is larger than {MAX_REQUEST_BYTES} bytes.",
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context(self, request: HttpRequest) -> HttpRequest:
        # A middleware that needed the caller first (the rate limits) may have
        # checked the token already and left the neighbour: one lookup a request.
        if not hasattr(request, NEIGHBOUR_ATTRIBUTE):
            token = bearer_token(request)
            neighbour = neighbour_authenticate(token=token) if token else None
            setattr(request, NEIGHBOUR_ATTRIBUTE, neighbour)
        return request

    def execute_graphql_request(
        self,
        request: HttpRequest,
        data: Mapping[str, Any],
        query: str | None,
        variables: Any,
        operation_name: str | None,
        show_graphiql: bool = False,
    ) -> ExecutionResult | None:
        too_long = document_token_error(query) if query else None
        if too_long is not None:
            return ExecutionResult(errors=[too_long])
        # The cost rule needs the variables (page sizes), which graphql-core's
        # validation does not see: bind them to this request's rules.
        self.validation_rules = validation_rules(
            variables=variables if isinstance(variables, Mapping) else None
        )
        return super().execute_graphql_request(
            request, data, query, variables, operation_name, show_graphiql
        )

    @staticmethod
    def format_error(error: Exception) -> dict[str, Any]:
        if isinstance(error, GraphQLError):
            original = error.original_error
            if original is None or isinstance(original, GraphQLError):
                formatted = error.formatted
                if not error.path and "code" not in formatted.get("extensions", {}):
                    # Syntax, validation and variable errors: the request is wrong.
                    extensions = {**formatted.get("extensions", {})}
                    extensions["code"] = ErrorCode.BAD_REQUEST.value
                    formatted = {**formatted, "extensions": extensions}
                return dict(formatted)
            logger.error("GraphQL resolver failed", exc_info=original)
            message = error.message if settings.DEBUG else "Internal server error."
            return {
                **error.formatted,
                "message": message,
                "extensions": {"code": ErrorCode.INTERNAL.value},
            }
        return {"message": str(error)}

    def json_encode(self, request: HttpRequest, d: Any, pretty: bool = False) -> str:
        """The answer as compact JSON, encoded by orjson (a page of the change
        feed is large); what it cannot encode (integers beyond 64 bits) and
        the pretty form go through the standard encoder."""
        if not (self.pretty or pretty or request.GET.get("pretty")):
            with contextlib.suppress(TypeError):
                return orjson.dumps(d).decode()
        return super().json_encode(request, d, pretty=pretty)

    @staticmethod
    def _too_large(request: HttpRequest) -> bool:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
            return True
        if len(request.META.get("QUERY_STRING", "")) > MAX_REQUEST_BYTES:
            return True
        return request.method == "POST" and len(request.body) > MAX_REQUEST_BYTES


def _error_response(status: int, code: ErrorCode, message: str) -> HttpResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code.value}}]}
    return HttpResponse(
        json.dumps(body), status=status, content_type="application/json"
    )
