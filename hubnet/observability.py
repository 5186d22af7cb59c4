"""The outermost middleware: gives each request an id for the logs and counts
it, with its latency, by route name for ``/metrics``."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from hubnet.logs import request_id_var
from hubnet.metrics import request_observe

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is kept when it is short and plain (a proxy's or a peer's);
# anything else could forge log fields, so it is replaced.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,100}")


def request_id_choose(presented: str | None) -> str:
    """The caller's ``X-Request-ID`` when it is safe to log, else a new one."""
    if presented and REQUEST_ID_PATTERN.fullmatch(presented):
        return presented
    return uuid.uuid4().hex


class RequestObservationMiddleware:
    """Sets the request id (echoed in ``X-Request-ID``) for every log line of the
    request and records the request in the process's metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_choose(request.headers.get(REQUEST_ID_HEADER))
        # Cleared when the request finishes (``hubnet.logs.request_context_clear``),
        # not here: Django logs an error answer after the middleware returns.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # Route names, not paths: a bounded set of labels.
        route = match.view_name if match is not None else "unmatched"
        request_observe(
            route=route,
            method=request.method or "",
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        response[REQUEST_ID_HEADER] = request_id
        return response
