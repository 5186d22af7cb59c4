"""Rate limits of the hub's non-REST surfaces (the REST APIs throttle in DRF).

``ThrottleMiddleware`` picks the throttles of a request from the view it
resolved to (``/graphql``, the ``/search/`` pages, ``/catalog*``, ``/healthz``,
the login forms), runs them before the view, and answers 429 with
``Retry-After`` in the format the endpoint speaks: a GraphQL error, JSON, or a
small HTML page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch
from django.utils.html import format_html
from rest_framework.throttling import SimpleRateThrottle

from federation.graphql.errors import ErrorCode
from federation.graphql.operations import NEIGHBOUR_ATTRIBUTE
from federation.graphql.views import bearer_token
from hubnet.throttles import (
    ExportThrottle,
    GraphqlPeerThrottle,
    GraphqlThrottle,
    HealthThrottle,
    LoginFailureThrottle,
    PagesThrottle,
)
from hubs.services import neighbour_authenticate

# Views whose POST is a sign-in with a password.
LOGIN_VIEWS = frozenset({"wagtailadmin_login", "admin:login"})


class ThrottleMiddleware:
    """Throttle the views DRF does not reach; placed after authentication (the
    counts of signed-in users are per user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],  # noqa: ARG002  Django middleware hook
        view_args: tuple[Any, ...],  # noqa: ARG002  Django middleware hook
        view_kwargs: dict[str, Any],  # noqa: ARG002  Django middleware hook
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None:
            return None
        if _signs_in(request, match):
            wait = LoginFailureThrottle().wait_needed(request)
            if wait is not None:
                return _throttled(request, match, wait)
        waits = [
            throttle.wait()
            for throttle in _throttles(request, match)
            if not throttle.allow_request(request, None)
        ]
        if waits:
            return _throttled(request, match, max((wait or 0.0) for wait in waits))
        return None


def _signs_in(request: HttpRequest, match: ResolverMatch) -> bool:
    if request.method == "POST" and match.view_name in LOGIN_VIEWS:
        return True
    scheme = request.headers.get("Authorization", "").partition(" ")[0]
    return scheme.lower() == "basic"


def _throttles(request: HttpRequest, match: ResolverMatch) -> list[SimpleRateThrottle]:
    if match.view_name == "graphql":
        token = bearer_token(request)
        neighbour = neighbour_authenticate(token=token) if token else None
        # The view reads the neighbour from here instead of a second lookup.
        setattr(request, NEIGHBOUR_ATTRIBUTE, neighbour)
        if neighbour is not None:
            return [GraphqlPeerThrottle(neighbour_id=neighbour.pk)]
        return [GraphqlThrottle()]
    if match.view_name == "healthz":
        return [HealthThrottle()]
    if match.namespace in ("search", "insight"):
        return [PagesThrottle()]
    if match.namespace == "dcat":
        return [ExportThrottle()]
    return []


def _throttled(request: HttpRequest, match: ResolverMatch, wait: float) -> HttpResponse:
    seconds = max(1, math.ceil(wait))
    message = f"Too many requests: try again in {seconds} s."
    if match.view_name == "graphql":
        error = {"message": message, "extensions": {"code": ErrorCode.THROTTLED.value}}
        response = _json({"errors": [error]})
    elif match.view_name == "healthz":
        response = _json({"status": "throttled", "detail": message})
    elif request.path.startswith("/api/"):
        # The REST APIs' own error shape (a sign-in refused before the view).
        response = _json({"detail": message})
    else:
        response = HttpResponse(
            format_html(
                '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                "<title>Too many requests</title></head><body>"
                "<h1>Too many requests</h1><p>{}</p></body></html>",
                message,
            ),
            status=429,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(seconds)
    return response


def _json(body: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(body), status=429, content_type="application/json")
