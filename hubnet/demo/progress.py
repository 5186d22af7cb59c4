"""Plain-text progress bars (no dependency): redrawn in place on a terminal,
printed at every quarter (and at the end) when the output is a file or a pipe."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

WIDTH = 30


def say(message: str = "") -> None:
    """One line of the demo's output, at once (the output may be a pipe)."""
    print(message, flush=True)


class ProgressBar:
    """``label [#########.........]  1,234/3,952  31%  12s``"""

    def __init__(self, label: str, total: int, *, stream: TextIO | None = None):
        self.label = label
        self.total = max(total, 0)
        self.done = 0
        self.note = ""
        self.stream = stream or sys.stdout
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._quarter = -1
        self._finished = False

    def update(self, done: int, *, note: str = "") -> None:
        with self._lock:
            self.done = min(max(done, 0), self.total) if self.total else done
            self.note = note
            if self.interactive:
                self._draw(end="")
                return
            quarter = (4 * self.done // self.total) if self.total else 0
            if quarter > self._quarter and self.done < self.total:
                self._quarter = quarter
                self._draw(end="\n")

    def advance(self, step: int = 1, *, note: str = "") -> None:
        self.update(self.done + step, note=note)

    def finish(self, *, note: str = "") -> None:
        with self._lock:
            if self._finished:
                return
            self._finished = True
            self.note = note or self.note
            self._draw(end="\n")

    def line(self) -> str:
        filled = WIDTH * self.done // self.total if self.total else WIDTH
        bar = "#" * filled + "." * (WIDTH - filled)
        percent = 100 * self.done // self.total if self.total else 100
        seconds = time.monotonic() - self.started
        text = (
            f"{self.label:<10} [{bar}] {self.done:>6,}/{self.total:<6,} "
            f"{percent:>3}% {seconds:>4.0f}s"
        )
        return f"{text}  {self.note}" if self.note else text

    def _draw(self, *, end: str) -> None:
        prefix = "\r\033[K" if self.interactive else ""
        self.stream.write(prefix + self.line() + end)
        self.stream.flush()
