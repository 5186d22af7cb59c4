"""A real SMTP server on a free local port (aiosmtpd) that keeps every message
it receives, for the tests that read delivered mail."""

from __future__ import annotations

import logging
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from hubnet.processes import wait_until
from tests.conftest import free_port

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Inbox:
    """The aiosmtpd handler: every message received, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ARG002  aiosmtpd handler signature
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 Message accepted"

    def wait_for(self, count: int, *, timeout: float = 30) -> list[EmailMessage]:
        """The messages once there are ``count`` (fails the test after
        ``timeout`` seconds)."""
        arrived = wait_until(lambda: len(self.messages) >= count, timeout=timeout)
        assert arrived, f"{len(self.messages)} of {count} messages arrived"
        return list(self.messages)


class SmtpServer:
    """A started server: ``port`` and its ``inbox``."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


def text_of(message: EmailMessage) -> str:
    """The plain-text body of ``message``."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def links_of(message: EmailMessage) -> list[str]:
    """The addresses on lines of their own in the plain-text body."""
    return [
        line.strip()
        for line in text_of(message).splitlines()
        if line.strip().startswith(("http://", "https://"))
    ]
