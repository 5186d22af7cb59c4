"""Supervision of a process group: a member that dies is started again.

Restarts back off exponentially (``initial`` seconds, doubling up to ``maximum``)
so a process that cannot start does not spin; a process that stayed up for
``stable_after`` seconds before dying starts again after ``initial`` seconds.
Every death and restart is reported (``on_event`` and a log file) with the exit
code and the last lines of the process's log, counted on the process, and the
state of every member is written to a JSON status file every few seconds.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubnet.processes import ManagedProcess, ProcessGroup

TAIL_LINES = 15


@dataclass
class DaemonProcess(ManagedProcess):
    """A detached daemon managed through callables (the embedded search node):
    ``launch`` starts it and returns its pid, ``probe`` returns the pid while it
    runs (else None), ``halt`` stops it."""

    launch: Callable[[], int | None] = field(default=lambda: None, repr=False)
    probe: Callable[[], int | None] = field(default=lambda: None, repr=False)
    halt: Callable[[], object] = field(default=lambda: None, repr=False)
    probe_every: float = 2.0
    _pid: int | None = field(default=None, repr=False)
    _probed_at: float = field(default=0.0, repr=False)
    _alive: bool = field(default=False, repr=False)

    @property
    def pid(self) -> int | None:
        return self._pid

    @property
    def returncode(self) -> int | None:
        return None  # not our child: its exit code is not ours to read

    def start(self) -> None:
        self.started_at = time.time()
        self._pid = self.launch()
        self._alive, self._probed_at = self._pid is not None, time.monotonic()

    def alive(self) -> bool:
        # Probing may cost a request: at most every ``probe_every`` seconds.
        if time.monotonic() - self._probed_at >= self.probe_every:
            self._alive, self._probed_at = self.probe() is not None, time.monotonic()
        return self._alive

    def signal_group(self, signum: int) -> None:  # noqa: ARG002  ManagedProcess interface
        return None  # stopped through ``halt`` only

    def stop(self, *, timeout: float = 15.0, terminated: bool = False) -> None:  # noqa: ARG002  ManagedProcess interface
        self.halt()
        self._alive = False


@dataclass
class _Watch:
    """The supervisor's view of one member: its back-off and pending restart."""

    delay: float
    up_since: float
    restart_due: float | None = None


class Supervisor:
    """Watches a ``ProcessGroup`` from a thread and restarts members that die."""

    def __init__(
        self,
        group: ProcessGroup,
        *,
        on_event: Callable[[str], None] | None = None,
        log_path: Path | None = None,
        status_path: Path | None = None,
        initial: float = 1.0,
        maximum: float = 60.0,
        stable_after: float = 60.0,
        interval: float = 0.5,
        status_every: float = 5.0,
    ) -> None:
        self.group = group
        self.on_event = on_event
        self.log_path = log_path
        self.status_path = status_path
        self.initial = initial
        self.maximum = maximum
        self.stable_after = stable_after
        self.interval = interval
        self.status_every = status_every
        self._watches: dict[int, _Watch] = {}
        self._starters: list[threading.Thread] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="hubnet-supervisor", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (a restart under way finishes first)."""
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join()
        for starter in self._starters:
            starter.join()

    def _run(self) -> None:
        written_at = 0.0
        while not self._stop.wait(self.interval):
            try:
                changed = self.check()
                if changed or time.monotonic() - written_at >= self.status_every:
                    self.status_write()
                    written_at = time.monotonic()
            except Exception as error:
                self._event(f"supervisor: {error!r}")

    def check(self) -> bool:
        """One round: record deaths, restart what is due. True when anything
        changed."""
        changed = False
        now = time.monotonic()
        for process in list(self.group.processes):
            watch = self._watches.setdefault(
                id(process), _Watch(delay=self.initial, up_since=now)
            )
            if watch.restart_due is None:
                if process.alive():
                    continue
                self._died(process, watch, now)
                changed = True
            elif now >= watch.restart_due:
                if self._stop.is_set() or not self._restart(process, watch):
                    return changed
                changed = True
        return changed

    def _died(self, process: ManagedProcess, watch: _Watch, now: float) -> None:
        code = process.returncode
        # Whatever the dead leader forked (pool processes, gunicorn workers) goes
        # too: it may hold the port or the queue the new process needs.
        process.signal_group(signal.SIGKILL)
        if now - watch.up_since >= self.stable_after:
            watch.delay = self.initial
        process.last_exit, process.last_exit_at = code, time.time()
        watch.restart_due = now + watch.delay
        self._event(
            f"{process.name} (pid {process.pid}) died: {exit_text(code)} after "
            f"{now - watch.up_since:.0f}s up; restart #{process.restarts + 1} in "
            f"{watch.delay:g}s",
            tail=process.log_tail(lines=TAIL_LINES),
        )
        watch.delay = min(watch.delay * 2, self.maximum)

    def _restart(self, process: ManagedProcess, watch: _Watch) -> bool:
        with self.group.lock:
            members = self.group.processes
            if self.group.stopping or not any(p is process for p in members):
                return False
            if isinstance(process, DaemonProcess):
                # A daemon may take a minute to start: in a thread of its own, so
                # the other members are still watched meanwhile.
                watch.restart_due = math.inf
                starter = threading.Thread(
                    target=self._start, args=(process, watch), daemon=True
                )
                self._starters.append(starter)
                starter.start()
                return True
            self._start(process, watch)
        return True

    def _start(self, process: ManagedProcess, watch: _Watch) -> None:
        try:
            process.start()
        except Exception as error:
            watch.restart_due = time.monotonic() + watch.delay
            self._event(
                f"{process.name} did not start: {error}; next try in {watch.delay:g}s"
            )
            watch.delay = min(watch.delay * 2, self.maximum)
            return
        process.restarts += 1
        process.last_restart_at = time.time()
        watch.restart_due, watch.up_since = None, time.monotonic()
        self._event(
            f"{process.name} restarted (pid {process.pid}, restart #{process.restarts})"
        )

    def _event(self, message: str, *, tail: str = "") -> None:
        if self.on_event is not None:
            with contextlib.suppress(Exception):
                self.on_event(message + (f"\n{_indent(tail)}" if tail else ""))
        if self.log_path is not None:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with self.log_path.open("a") as log:
                log.write(f"{stamp} {message}\n")
                if tail:
                    log.write(_indent(tail) + "\n")

    def status(self, *, stopped: bool = False) -> dict[str, Any]:
        """The state of every member, as the status file holds it."""
        return {
            "supervisor_pid": os.getpid(),
            "updated_at": time.time(),
            "stopped": stopped,
            "processes": [process_status(p) for p in list(self.group.processes)],
        }

    def status_write(self, *, stopped: bool = False) -> None:
        if self.status_path is None:
            return
        self.status_path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.status_path.with_suffix(".partial")
        partial.write_text(json.dumps(self.status(stopped=stopped), indent=1))
        partial.replace(self.status_path)


def process_status(process: ManagedProcess) -> dict[str, Any]:
    """One member's line of the status: name, pid, alive, restarts, last exit."""
    return {
        "name": process.name,
        "pid": process.pid,
        "alive": process.alive(),
        "restarts": process.restarts,
        "last_exit": process.last_exit,
        "last_exit_at": process.last_exit_at,
        "last_restart_at": process.last_restart_at,
        "started_at": process.started_at,
    }


def exit_text(code: int | None) -> str:
    """``exit code 1``, ``signal SIGKILL`` or ``exit unknown``."""
    if code is None:
        return "exit unknown"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"signal {signal.Signals(-code).name}"
        return f"signal {-code}"
    return f"exit code {code}"


def status_table(status: dict[str, Any], *, now: float | None = None) -> str:
    """The status file as a table, one process a line."""
    now = time.time() if now is None else now

    def ago(moment: float | None) -> str:
        return "-" if moment is None else f"{now - moment:.0f}s ago"

    rows = [("process", "pid", "alive", "restarts", "last exit", "last restart")]
    for item in status.get("processes", []):
        last_exit = (
            "-"
            if item.get("last_exit_at") is None
            else f"{exit_text(item.get('last_exit'))}, {ago(item['last_exit_at'])}"
        )
        rows.append(
            (
                item["name"],
                str(item.get("pid") or "-"),
                "yes" if item.get("alive") else "NO",
                str(item.get("restarts", 0)),
                last_exit,
                ago(item.get("last_restart_at")),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    )


def _indent(text: str) -> str:
    return "\n".join(f"    | {line}" for line in text.splitlines())
