"""Small real HTTP servers the attack suite puts around a real hub: a counting
proxy in front of the search engine, and a hostile neighbour serving a change
feed. Each runs in a thread on 127.0.0.1 and is stopped by the test."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import requests

# Paths of the engine's query APIs: what a search costs the engine.
SEARCH_ENDPOINTS = ("_search", "_msearch")
# Headers not forwarded either way (hop-by-hop, or recomputed here).
_SKIPPED = {"host", "connection", "content-length", "transfer-encoding", "keep-alive"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True


@contextmanager
def http_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free port of 127.0.0.1; yield its base URL."""
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args: Any) -> None:  # keep the test output quiet
        return

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class CountingProxy:
    """Forwards every request to ``upstream`` and counts the search requests
    (paths ending in ``_search`` or ``_msearch``) it saw."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.searches: list[str] = []
        self._lock = threading.Lock()

    def search_count(self) -> int:
        with self._lock:
            return len(self.searches)

    @contextmanager
    def serving(self) -> Iterator[str]:
        proxy = self

        class Handler(_Handler):
            def _forward(self) -> None:
                path = urlsplit(self.path).path
                if path.rstrip("/").rsplit("/", 1)[-1] in SEARCH_ENDPOINTS:
                    with proxy._lock:
                        proxy.searches.append(f"{self.command} {self.path}")
                headers = {
                    name: value
                    for name, value in self.headers.items()
                    if name.lower() not in _SKIPPED
                }
                answer = requests.request(
                    self.command,
                    proxy.upstream + self.path,
                    data=self._body(),
                    headers=headers,
                    timeout=30,
                )
                kept = {
                    name: value
                    for name, value in answer.headers.items()
                    if name.lower() not in _SKIPPED | {"content-encoding"}
                }
                self._answer(answer.status_code, answer.content, kept)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        with http_server(Handler) as url:
            yield url


class HostileNeighbour:
    """A neighbour's ``/graphql`` serving one page of the change feed with the
    given wires (any content: forged origins, tombstones, version jumps); a
    request after that page gets an empty one. It takes any token."""

    def __init__(self, wires: list[dict[str, Any]]) -> None:
        self.wires = wires

    def _page(self, after: str | None) -> dict[str, Any]:
        last = len(self.wires)
        edges = [
            {"cursor": f"c{number}", "sequence": number, "wire": wire}
            for number, wire in enumerate(self.wires, start=1)
        ]
        if after is not None:
            edges = []
        return {
            "data": {
                "changes": {
                    "latestSequence": last,
                    "pageInfo": {
                        "hasNextPage": False,
                        "endCursor": f"c{last}" if edges else None,
                    },
                    "edges": edges,
                }
            }
        }

    @contextmanager
    def serving(self) -> Iterator[str]:
        neighbour = self

        class Handler(_Handler):
            def do_POST(self) -> None:
                request = json.loads(self._body() or b"{}")
                if "changes" in request.get("query", ""):
                    answer = neighbour._page(request.get("variables", {}).get("after"))
                else:  # a poke or anything else: accepted, ignored
                    answer = {"data": {"poke": {"accepted": True}}}
                body = json.dumps(answer).encode()
                self._answer(200, body, {"Content-Type": "application/json"})

        with http_server(Handler) as url:
            yield url
