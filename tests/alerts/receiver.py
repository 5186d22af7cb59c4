"""A webhook receiver on loopback, as an outside system would run it: it checks
the HMAC-SHA256 signature and the timestamp of every delivery (its own
implementation, not the hub's) and answers with scripted statuses."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_AGE = 300


@dataclass
class Received:
    """One request: whether its signature held, its body and when it came."""

    verified: bool
    body: dict[str, Any]
    headers: dict[str, str]
    at: float


@dataclass
class Receiver:
    """What the receiver got; ``statuses`` are answered in turn (then 204)."""

    secret: str
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def verify(self, header: str, body: bytes) -> bool:
        parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
        try:
            timestamp = int(parts["t"])
        except (KeyError, ValueError):
            return False
        expected = hmac.new(
            self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        fresh = abs(time.time() - timestamp) <= MAX_AGE
        return fresh and hmac.compare_digest(expected, parts.get("v1", ""))


@contextmanager
def webhook_receiver(
    secret: str, statuses: list[int] | None = None
) -> Iterator[Receiver]:
    """A started receiver; ``url`` is where to deliver."""
    receiver = Receiver(secret=secret, statuses=list(statuses or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            verified = receiver.verify(self.headers.get("X-Hubnet-Signature", ""), body)
            receiver.received.append(
                Received(
                    verified, json.loads(body), dict(self.headers), time.monotonic()
                )
            )
            status = receiver.statuses.pop(0) if receiver.statuses else 204
            self.send_response(status if verified else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/hubnet"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
