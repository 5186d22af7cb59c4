"""The demo's mail server: a real SMTP server on loopback (aiosmtpd) that keeps
every message the hubs send (saved-search confirmations, digests) in a Maildir
under the demo's directory, so alerts can be tried without a mail provider."""

from __future__ import annotations

import mailbox
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

from hubnet.demo.progress import say

HOST = "127.0.0.1"


class DemoMailServer:
    """An SMTP server on ``HOST``:``port`` writing what it receives to ``maildir``."""

    def __init__(self, *, maildir: Path, port: int) -> None:
        self.maildir = maildir
        self.port = port
        self._controller: Controller | None = None

    def start(self) -> None:
        """Listen (and say where the mail goes)."""
        self.maildir.parent.mkdir(parents=True, exist_ok=True)
        controller = Controller(Mailbox(self.maildir), hostname=HOST, port=self.port)
        controller.start()
        self._controller = controller
        say(f"Mail of the hubs goes to {HOST}:{self.port}, kept in {self.maildir}")

    def stop(self) -> None:
        """Stop listening, if started; the Maildir stays for reading."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def hub_env(self, env: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        """``env`` (per hub) with every hub sending its mail here."""
        mail = {"EMAIL_HOST": HOST, "EMAIL_PORT": str(self.port)}
        return {slug: {**values, **mail} for slug, values in env.items()}

    def messages(self) -> list[mailbox.MaildirMessage]:
        """Every message received so far, oldest first."""
        return sorted(mailbox.Maildir(self.maildir), key=lambda m: m.get_date())
