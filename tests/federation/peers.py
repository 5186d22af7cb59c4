"""A scripted peer hub on loopback: serves canned feed pages, or misbehaves.

The peer is the outside world of the sync client, so a stand-in is fair here;
the end-to-end tests use real hub processes.
"""

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# An answer is (status, body) or (status, body, headers): the headers are added to
# the usual ones, and a header given as None is left out (no "Content-Length": the
# body ends where the connection closes).
Answer = tuple[int, bytes] | tuple[int, bytes, dict[str, str | None]]
Responder = Callable[[dict[str, Any]], Answer]


def feed_answer(
    wires: list[Any],
    *,
    end_cursor: str | None,
    has_next: bool = False,
    latest: int | None = None,
    first_sequence: int = 1,
) -> tuple[int, bytes]:
    """A well-formed answer to the CHANGES_QUERY."""
    edges = [
        {
            "cursor": f"c{first_sequence + i}",
            "sequence": first_sequence + i,
            "wire": wire,
        }
        for i, wire in enumerate(wires)
    ]
    body = {
        "data": {
            "changes": {
                "latestSequence": latest
                if latest is not None
                else first_sequence + len(wires) - 1,
                "pageInfo": {"hasNextPage": has_next, "endCursor": end_cursor},
                "edges": edges,
            }
        }
    }
    return 200, json.dumps(body).encode()


class ScriptedPeer:
    """Answers each POST with the next responder; records the requests."""

    def __init__(self, responders: list[Responder]) -> None:
        self.responders = list(responders)
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []

    def answer(self, request: dict[str, Any]) -> Answer:
        self.requests.append(request)
        responder = (
            self.responders.pop(0) if len(self.responders) > 1 else self.responders[0]
        )
        return responder(request)


@contextmanager
def scripted_peer(responders: list[Responder]) -> Iterator[tuple[str, ScriptedPeer]]:
    """Serve ``responders`` on a free loopback port; yields (base URL, peer)."""
    peer = ScriptedPeer(responders)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            request = json.loads(self.rfile.read(length) or b"{}")
            peer.headers.append(dict(self.headers))
            status, body, *more = peer.answer(request)
            headers = {
                "Content-Type": "application/json",
                "Content-Length": str(len(body)),
                **(more[0] if more else {}),
            }
            self.send_response(status)
            for name, value in headers.items():
                if value is not None:
                    self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", peer
    finally:
        server.shutdown()
        server.server_close()


def slow(seconds: float, then: Responder) -> Responder:
    def responder(request: dict[str, Any]) -> Answer:
        time.sleep(seconds)
        return then(request)

    return responder


def fixed(
    status: int, body: bytes, headers: dict[str, str | None] | None = None
) -> Responder:
    return lambda request: (status, body, headers or {})


@contextmanager
def trickling_peer(*, phase: str = "body", interval: float = 1.0) -> Iterator[str]:
    """A hostile peer: it reads the request, then sends its answer one byte every
    ``interval`` seconds, in the headers (``phase="headers"``) or the body, so
    each socket read succeeds well within any read timeout. Yields its base URL."""
    body = b'{"data": {"changes": null}}' + b" " * 10_000
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n".encode()
        + b"X-Padding: "
        + b"p" * 10_000
        + b"\r\n\r\n"
    )
    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)

    def serve(connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            with contextlib.suppress(OSError):
                received = b""
                while b"\r\n\r\n" not in received:
                    received += connection.recv(65536)
                length = re.search(rb"(?i)content-length: *(\d+)", received)
                needed = int(length.group(1)) if length else 0
                while len(received.split(b"\r\n\r\n", 1)[1]) < needed:
                    received += connection.recv(65536)
                if phase == "body":
                    connection.sendall(head + body[:1])
                    rest = body[1:]
                else:
                    rest = head + body
                for byte in rest:
                    if stop.wait(interval):
                        return
                    connection.sendall(bytes([byte]))

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
