"""Start and stop the processes of a hub network, leaving nothing behind.

Every child runs in its own session (process group), so stopping it also stops
whatever it forked (gunicorn workers, Celery pool processes, the beat). A group
can also be supervised (``ProcessGroup.supervise``, see ``hubnet.supervision``):
a child that dies is restarted with back-off.
"""

import atexit
import contextlib
import os
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hubnet.supervision import Supervisor


@dataclass
class ManagedProcess:
    """One child process with its log file."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str]
    log_path: Path
    popen: subprocess.Popen | None = field(default=None, repr=False)
    # What supervision saw: restarts done, the last exit code (negative: the
    # signal that ended it) and when (epoch seconds).
    restarts: int = 0
    last_exit: int | None = None
    last_exit_at: float | None = None
    last_restart_at: float | None = None
    started_at: float | None = None

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    @property
    def returncode(self) -> int | None:
        """The exit code once it ended (negative: killed by that signal)."""
        return self.popen.poll() if self.popen else None

    def start(self) -> None:
        self.started_at = time.time()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                list(self.argv),
                env=dict(self.env),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signum)

    def stop(self, *, timeout: float = 15.0, terminated: bool = False) -> None:
        """SIGTERM the whole group (unless ``terminated`` says that was done),
        SIGKILL what is left after ``timeout``."""
        if self.popen is None:
            return
        if not terminated:
            self.signal_group(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.popen.wait(timeout=5)
        # The leader may be gone while forked children linger: sweep the group.
        self.signal_group(signal.SIGKILL)

    def log_tail(self, *, lines: int = 20) -> str:
        try:
            return "\n".join(
                self.log_path.read_text(errors="replace").splitlines()[-lines:]
            )
        except FileNotFoundError:
            return ""


class ProcessGroup:
    """The processes one command started; stops them all, newest first."""

    def __init__(self) -> None:
        self.processes: list[ManagedProcess] = []
        # Held while a process starts: once ``stopping`` is set under it, the
        # supervisor starts nothing more, so stop_all leaves nothing behind.
        self.lock = threading.RLock()
        self.stopping = False
        self.supervisor: Supervisor | None = None
        atexit.register(self.stop_all)

    def start(
        self, name: str, argv: Sequence[str], *, env: Mapping[str, str], log_path: Path
    ) -> ManagedProcess:
        process = ManagedProcess(name=name, argv=argv, env=env, log_path=log_path)
        return self.add(process)

    def add(self, process: ManagedProcess) -> ManagedProcess:
        """Start ``process`` (any ``ManagedProcess``) as a member of the group."""
        with self.lock:
            process.start()
            self.processes.append(process)
        return process

    def supervise(self, **options: Any) -> "Supervisor":
        """Restart members that die, with back-off, until ``stop_all``; the
        options are those of ``hubnet.supervision.Supervisor``."""
        from hubnet.supervision import Supervisor

        if self.supervisor is None:
            self.supervisor = Supervisor(self, **options)
            self.supervisor.start()
        return self.supervisor

    def get(self, name: str) -> ManagedProcess:
        for process in self.processes:
            if process.name == name:
                return process
        raise KeyError(name)

    def dead(self) -> list[ManagedProcess]:
        return [process for process in self.processes if not process.alive()]

    def stop_all(self, *, timeout: float = 15.0) -> None:
        """SIGTERM every group at once, then wait for each (newest first) and
        SIGKILL whatever is left after ``timeout``: stopping many processes takes
        as long as the slowest, not the sum. A supervisor stops first: a
        process waiting for its restart is not started again."""
        with self.lock:
            self.stopping = True
        supervisor = self.supervisor
        if supervisor is not None:
            supervisor.stop()
        processes = [p for p in reversed(self.processes) if p.pid is not None]
        for process in processes:
            process.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in processes:
            process.stop(timeout=max(deadline - time.monotonic(), 0.1), terminated=True)
        if supervisor is not None:
            supervisor.status_write(stopped=True)
        with self.lock:
            self.processes.clear()
            self.supervisor = None
            self.stopping = False

    def __enter__(self) -> "ProcessGroup":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop_all()


def run_checked(
    argv: Sequence[str], *, env: Mapping[str, str], timeout: float = 600
) -> str:
    """Run a short command to completion; raise with its output when it fails."""
    completed = subprocess.run(
        list(argv),
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} failed ({completed.returncode}):\n"
            f"{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}"
        )
    return completed.stdout


def wait_until(predicate, *, timeout: float, interval: float = 0.25) -> bool:
    """Poll ``predicate`` until it returns truthy or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def run_lines(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    on_line: Callable[[str], None],
    timeout: float = 600,
) -> None:
    """Run a command to completion, handing each line it prints to ``on_line``
    as it comes; raise with the last lines of output when it fails or takes
    longer than ``timeout`` seconds."""
    tail: deque[str] = deque(maxlen=40)
    with subprocess.Popen(
        list(argv),
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    ) as process:
        watchdog = threading.Timer(timeout, process.kill)
        watchdog.start()
        try:
            assert process.stdout is not None
            for line in process.stdout:
                tail.append(line.rstrip("\n"))
                on_line(line.rstrip("\n"))
            returncode = process.wait()
        finally:
            timed_out = not watchdog.is_alive()
            watchdog.cancel()
    if returncode != 0:
        output = "\n".join(tail)
        why = f"timed out after {timeout}s" if timed_out else f"failed ({returncode})"
        raise RuntimeError(f"{' '.join(argv)} {why}:\n{output}")
