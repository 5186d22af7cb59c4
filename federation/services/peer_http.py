"""Talking to a neighbour over HTTP, with a deadline on the whole request.

requests' read timeout bounds each socket read, not the request: a peer that
sends one byte just within it could hold a request, and the worker that waits
for it, for hours. Here a watchdog shuts the connection's socket down at the
deadline, whatever the request is doing (reading the status line, the headers or
the body), and the body is read in small pieces with the clock checked between
them.

The endpoint is checked before every request (``hubs.endpoints``: its form, and
every address its host resolves to now), and the address each new connection
reached is checked again, so a DNS answer that changes between the two cannot
point the client inside the hub's network. Redirects are never followed.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from typing import Any

import orjson
import requests
import urllib3
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from federation.wire import PEER_TOKEN_HEADER, PEER_TOKEN_SCHEME
from hubs.endpoints import (
    ALLOW_HINT,
    EndpointRefused,
    endpoint_address_problem,
    endpoint_url_check,
)
from hubs.models import Neighbour
from hubs.retry_after import retry_after_seconds

READ_PIECE_BYTES = 64 * 1024
# Too many requests, and unavailable: answers that say "later", often with when.
THROTTLED_STATUSES = frozenset({429, 503})
# The watchdog of the request this thread is making (requests calls down into
# urllib3 in the caller's thread, so a thread-local reaches the connection).
_current = threading.local()


class SyncTransportError(Exception):
    """The neighbour could not give a usable page; retrying may succeed."""


class SyncDeadlinePassed(SyncTransportError):
    """A request or a sync ran out of time: the neighbour is too slow, so an
    immediate retry would hold a worker as long again (the schedule retries)."""


class SyncEndpointRefused(SyncTransportError):
    """The neighbour's endpoint is one this hub must not talk to (its form, or an
    address it resolves to): retrying at once would be refused again."""


class SyncThrottled(SyncTransportError):
    """The neighbour answered 429 or 503: busy, or throttling this hub. Its
    ``Retry-After`` (seconds, None when it gave none) says when to ask again."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class _DeadlinePassed(Exception):
    """The request's deadline came before its complete answer."""


class _Watchdog:
    """Shuts a socket down at a deadline (time.monotonic()), waking any read."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.fired = False
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            delay = max(self.deadline - time.monotonic(), 0.0)
            self._timer = threading.Timer(delay, self._fire, args=(sock,))
            self._timer.daemon = True
            self._timer.start()

    def _fire(self, sock: socket.socket) -> None:
        self.fired = True
        # shutdown (not close) is safe while another thread reads the socket:
        # the blocked read returns at once with end-of-file. The plain socket's
        # method, so a TLS socket's state is left to the reading thread.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None


class _WatchedResponseMixin:
    sock: socket.socket | None
    host: str

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        try:
            address = str(sock.getpeername()[0])
        except OSError:
            address = ""
        problem = endpoint_address_problem(address) if address else "an unknown address"
        if problem:
            sock.close()
            raise EndpointRefused(
                f"{self.host} connected to {address or '?'}, {problem} ({ALLOW_HINT})"
            )
        return sock

    def getresponse(self):
        watchdog = getattr(_current, "watchdog", None)
        if watchdog is not None and self.sock is not None:
            watchdog.watch(self.sock)
        return super().getresponse()


class _WatchedHTTPConnection(_WatchedResponseMixin, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedResponseMixin, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _DeadlineAdapter(HTTPAdapter):
    """An adapter whose connections put the current watchdog on their socket."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }


def peer_session() -> requests.Session:
    """A session for talking to neighbours: every request through it can be
    given a deadline (``graphql_post``)."""
    session = requests.Session()
    adapter = _DeadlineAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _body_read(response: requests.Response, *, deadline: float) -> bytes:
    limit = settings.SYNC_MAX_RESPONSE_BYTES
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise SyncTransportError(f"response of {declared} bytes exceeds {limit}")
    pieces: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() >= deadline:
            raise _DeadlinePassed
        # read1 returns what one socket read brought (a trickle comes back byte
        # by byte), where iter_content would wait for a whole chunk.
        piece = response.raw.read1(READ_PIECE_BYTES)
        if not piece:
            return b"".join(pieces)
        size += len(piece)
        if size > limit:
            raise SyncTransportError(f"response exceeds {limit} bytes")
        pieces.append(piece)


def graphql_post(
    *,
    session: requests.Session,
    neighbour: Neighbour,
    query: str,
    variables: dict[str, Any] | None = None,
    deadline: float | None = None,
) -> dict[str, Any]:
    """POST a GraphQL document to the neighbour; raise SyncTransportError on any
    transport failure (timeout, refused, 5xx, oversize, not JSON, GraphQL errors).

    The request ends by ``SYNC_REQUEST_DEADLINE`` seconds from now, or by
    ``deadline`` (a time.monotonic() value) when that comes first.
    """
    url = f"{neighbour.endpoint_url}/graphql"
    headers = {
        PEER_TOKEN_HEADER: f"{PEER_TOKEN_SCHEME} {neighbour.outbound_token}",
        "Accept": "application/json",
    }
    started = time.monotonic()
    ends = started + settings.SYNC_REQUEST_DEADLINE
    if deadline is not None:
        ends = min(ends, deadline)
    watchdog = _Watchdog(ends)
    _current.watchdog = watchdog
    try:
        endpoint_url_check(neighbour.endpoint_url)
        if time.monotonic() >= ends:
            raise _DeadlinePassed
        with session.post(
            url,
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=(
                settings.SYNC_CONNECT_TIMEOUT,
                min(settings.SYNC_READ_TIMEOUT, max(ends - time.monotonic(), 0.1)),
            ),
            stream=True,
            allow_redirects=False,
        ) as response:
            raw = _body_read(response, deadline=ends)
            status = response.status_code
            retry_after = response.headers.get("Retry-After")
    except EndpointRefused as refused:
        raise SyncEndpointRefused(f"refused to talk to {url}: {refused}") from None
    except (
        _DeadlinePassed,
        requests.RequestException,
        urllib3.exceptions.HTTPError,
        OSError,
    ) as error:
        if watchdog.fired or isinstance(error, _DeadlinePassed):
            raise SyncDeadlinePassed(
                f"timeout talking to {url}: no complete answer within "
                f"{max(ends - started, 0):.0f}s (the request deadline)"
            ) from None
        if isinstance(
            error, requests.Timeout | urllib3.exceptions.TimeoutError | TimeoutError
        ):
            raise SyncTransportError(f"timeout talking to {url}: {error}") from error
        raise SyncTransportError(f"cannot reach {url}: {error}") from error
    finally:
        watchdog.cancel()
        _current.watchdog = None
    return _payload_check(url=url, status=status, raw=raw, retry_after=retry_after)


# A run of digits that may be an integer beyond 64 bits, which the fast parser
# would turn into a float.
_LONG_NUMBER = re.compile(rb"[0-9]{19}")


def json_loads(raw: bytes) -> Any:
    """Parse JSON fast, with the standard parser's result: a text that may hold
    an integer beyond 64 bits, or that the fast parser refuses (NaN, lone
    surrogates), goes to the standard parser."""
    if _LONG_NUMBER.search(raw) is None:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(raw)


def _payload_check(
    *, url: str, status: int, raw: bytes, retry_after: str | None = None
) -> dict[str, Any]:
    if status in THROTTLED_STATUSES:
        # Whatever the body says (a hub's throttle answers with a GraphQL error).
        wait = retry_after_seconds(retry_after)
        asked = "" if wait is None else f", asking to wait {wait:.0f}s"
        raise SyncThrottled(f"{url} answered HTTP {status}{asked}", retry_after=wait)
    if status >= 500:
        raise SyncTransportError(f"{url} answered HTTP {status}")
    if 300 <= status < 400:
        # Never followed: a redirect could send the token anywhere.
        raise SyncTransportError(f"{url} answered HTTP {status}, a redirect")
    try:
        payload = json_loads(raw)
    except ValueError:
        raise SyncTransportError(
            f"{url} answered HTTP {status} with invalid JSON: {raw[:120]!r}"
        ) from None
    if not isinstance(payload, dict):
        raise SyncTransportError(f"{url} answered a JSON {type(payload).__name__}")
    if payload.get("errors"):
        messages = "; ".join(
            str(error.get("message", error)) if isinstance(error, dict) else str(error)
            for error in payload["errors"][:3]
        )
        raise SyncTransportError(f"{url} answered with errors: {messages}"[:500])
    if status >= 400:
        raise SyncTransportError(f"{url} answered HTTP {status}")
    return payload
