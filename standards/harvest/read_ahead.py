"""A source's pages in order, read one page ahead by a child process while the
run writes the page before (fetching and parsing cost about what writing does,
so on two cores the two overlap).

The child (``python -m standards.harvest.reader_process``: a plain subprocess, which
Celery's daemonic prefork workers may start where ``multiprocessing`` may not)
runs the very readers of ``READERS``, with their fetch checks and the settings
they read, sent by the run. It is started once the first page, read here, names
a next one; until it says it is ready the run goes on reading here. Then it
gets the URL to go on from and sends one frame per page (its items, refusals
and next URL) or the error that stopped the reading, which the run raises as if
it had read the page itself. A pipe carries the frames, so the child is at
most about a page ahead, and it ends when its stdin closes (the run ended or
died). A child that dies after taking over fails the read as transient: the
pages written stay and a retry resumes after the last one. One that cannot
start, or dies before it is ready, leaves the reading here (one log line).
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import IO, Any

from django.conf import settings

from standards.harvest.ckan import ckan_page_read
from standards.harvest.dcat import PageMalformed, dcat_page_read
from standards.harvest.fetch import HarvestFetchError, HarvestTransient
from standards.harvest.items import Item, SourcePage
from standards.harvest.models import HarvestKind
from standards.harvest.register import register_page_read

logger = logging.getLogger(__name__)
PageReader = Callable[..., SourcePage]
READERS: dict[str, PageReader] = {
    HarvestKind.DCAT: dcat_page_read,
    HarvestKind.HUBNET: dcat_page_read,
    HarvestKind.CKAN: ckan_page_read,
    HarvestKind.REGISTER: register_page_read,
}
# What the readers and their fetch read from the settings: sent to the child,
# so it fetches under the run's very settings (tests override them in process).
READER_SETTINGS = (
    "HARVEST_ALLOW_HOSTS",
    "HARVEST_MAX_PAGE_BYTES",
    "HARVEST_REQUEST_TIMEOUT",
    "NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES",
    "SYNC_CONNECT_TIMEOUT",
)
# The errors a reader raises, as the child names them in its frame.
ERRORS: dict[str, type[Exception]] = {
    "transient": HarvestTransient,
    "fetch": HarvestFetchError,
    "malformed": PageMalformed,
}
_HEADER = struct.Struct("!Q")
# Beyond the run's deadline, how long a silent child is waited for (its fetch
# ends by the deadline; this bounds a child stuck anywhere else).
_GRACE_SECONDS = 30.0
# How long the run waits for the child's "ready" before reading a page here:
# not at all (tests wait, to take the child's path for certain).
READY_WAIT_SECONDS = 0.0


class _ChildGone(Exception):
    """The child's pipe ended (or stayed silent too long)."""


@contextmanager
def source_pages(
    *, kind: str, url: str, deadline: float, publisher: str = ""
) -> Iterator[PageStream]:
    """The pages of a source from ``url`` (see the module docstring); the child,
    if one was started, ends with the block."""
    stream = PageStream(kind=kind, url=url, deadline=deadline, publisher=publisher)
    try:
        yield stream
    finally:
        stream.close()


class PageStream:
    """The pages of one source in order: ``read()`` the page at ``url``, until
    ``url`` is "" (the last page read)."""

    def __init__(self, *, kind: str, url: str, deadline: float, publisher: str):
        self.url = url
        self._kind = kind
        self._deadline = deadline
        self._publisher = publisher
        self._child: subprocess.Popen[bytes] | None = None
        self._handed = False
        self._started = False

    def read(self) -> SourcePage:
        """The page at ``url``; raises what the kind's reader raises."""
        if self._handed or self._child_takes_over():
            page = self._child_page()
        else:
            page = READERS[self._kind](
                url=self.url, deadline=self._deadline, publisher=self._publisher
            )
        self.url = page.next_url
        if self.url and not self._started and settings.HARVEST_READ_AHEAD:
            self._started = True
            self._child = _child_start()
        return page

    def close(self) -> None:
        """End the child (closing its stdin ends it; killed if it lingers)."""
        child, self._child = self._child, None
        if child is None:
            return
        for pipe in (child.stdin, child.stdout):
            if pipe is not None:
                pipe.close()
        try:
            child.wait(timeout=2)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()

    def _child_takes_over(self) -> bool:
        """Whether the child is ready (then it is sent where to go on from)."""
        child = self._child
        if child is None or child.stdout is None or child.stdin is None:
            return False
        fd = child.stdout.fileno()
        if not select.select([fd], [], [], READY_WAIT_SECONDS)[0]:
            return False
        start = {
            "kind": self._kind,
            "url": self.url,
            "publisher": self._publisher,
            "seconds": self._deadline - time.monotonic(),
            "settings": {name: getattr(settings, name) for name in READER_SETTINGS},
        }
        try:
            frame = _frame_receive(fd, until=None)
            assert frame == ("ready",), frame
            _frame_send(child.stdin, start)
        except (_ChildGone, BrokenPipeError):
            logger.warning(
                "harvest: the page reader process ended before it was ready (%s); "
                "pages are read in this process",
                _ending(child),
            )
            self.close()
            return False
        self._handed = True
        logger.info(
            "harvest: page reader process %s reads on from %s", child.pid, self.url
        )
        return True

    def _child_page(self) -> SourcePage:
        child = self._child
        assert child is not None
        assert child.stdout is not None
        try:
            frame = _frame_receive(
                child.stdout.fileno(), until=self._deadline + _GRACE_SECONDS
            )
        except _ChildGone as gone:
            ending = str(gone) or _ending(child)
            self.close()
            raise HarvestTransient(
                f"{self.url[:200]}: the page reader process stopped ({ending}) "
                "before sending this page"
            ) from None
        if frame[0] == "page":
            page: SourcePage = frame[1]
            return page
        _tag, name, message, retry_after = frame
        if name == "transient":
            raise HarvestTransient(message, retry_after=retry_after)
        raise ERRORS[name](message)


def _child_start() -> subprocess.Popen[bytes] | None:
    """The child, started (with this process's environment, so the same
    settings module); None, and one log line, when it cannot be."""
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "standards.harvest.reader_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
    except OSError as error:
        logger.warning(
            "harvest: no page reader process (%s); pages are read in this process",
            error,
        )
        return None


def _ending(child: subprocess.Popen[bytes]) -> str:
    """How the child ended, in words."""
    try:
        code = child.wait(timeout=2)
    except subprocess.TimeoutExpired:
        return "still running, silent"
    if code < 0:
        return f"killed by signal {signal.Signals(-code).name}"
    return f"exit code {code}"


def _frame_send(pipe: IO[bytes], value: Any) -> None:
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_HEADER.pack(len(body)))
    pipe.write(body)
    pipe.flush()


def _frame_receive(fd: int, *, until: float | None) -> Any:
    """The next frame on ``fd``; ``_ChildGone`` at its end, or when nothing came
    by ``until`` (time.monotonic())."""
    (size,) = _HEADER.unpack(_exactly(fd, _HEADER.size, until))
    # Frames come from the child this process started, over its private pipe:
    # they are its own pickles of pages read (a source's bytes are only inside
    # the strings), never bytes from elsewhere.
    return pickle.loads(_exactly(fd, size, until))  # noqa: S301


def _exactly(fd: int, size: int, until: float | None) -> bytes:
    pieces: list[bytes] = []
    while size:
        if (
            until is not None
            and not select.select([fd], [], [], max(until - time.monotonic(), 0))[0]
        ):
            raise _ChildGone("silent past the run's deadline")
        piece = os.read(fd, min(size, 1 << 20))
        if not piece:
            raise _ChildGone("")
        pieces.append(piece)
        size -= len(piece)
    return b"".join(pieces)


def child_main(frames: IO[bytes]) -> int:
    """The child, Django set up: ready, then the pages from the URL it is sent,
    one frame each on ``frames``, until the last page or an error."""
    parent = os.getppid()
    try:
        _frame_send(frames, ("ready",))
        start = _frame_receive(0, until=None)
    except (_ChildGone, BrokenPipeError):
        return 0  # the run ended (or died) before it needed this process
    # Its stdin stays open while the run needs it: closed, this process ends.
    threading.Thread(target=_end_at_eof, daemon=True).start()
    for name, value in start["settings"].items():
        setattr(settings, name, value)
    # A closed pipe: the run stopped reading, it needs no more pages.
    with suppress(BrokenPipeError):
        _pages_send(frames, start, parent=parent)
    return 0


def _pages_send(frames: IO[bytes], start: dict[str, Any], *, parent: int) -> None:
    deadline = time.monotonic() + start["seconds"]
    read, url = READERS[start["kind"]], start["url"]
    while url and os.getppid() == parent:
        try:
            page = read(url=url, deadline=deadline, publisher=start["publisher"])
        except tuple(ERRORS.values()) as error:
            retry_after = getattr(error, "retry_after", None)
            _frame_send(frames, ("error", _error_name(error), str(error), retry_after))
            return
        except Exception as error:
            # A fault of this process, not of the source: said, then raised (its
            # traceback goes to stderr).
            reason = f"{url[:200]}: the page reader process failed: {error!r}"
            _frame_send(frames, ("error", "transient", reason[:500], None))
            raise
        for entry in page.items:
            if isinstance(entry, Item):
                entry.content_hash  # noqa: B018  hashed here, off the run's process
        _frame_send(frames, ("page", page))
        url = page.next_url


def _error_name(error: Exception) -> str:
    return next(name for name, kind in ERRORS.items() if isinstance(error, kind))


def _end_at_eof() -> None:
    while os.read(0, 4096):
        pass
    os._exit(0)
