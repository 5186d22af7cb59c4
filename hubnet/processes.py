"""Start and stop the processes of a hub network, leaving nothing behind.

Every child runs in its own session (process group), so stopping it also stops
whatever it forked (gunicorn workers, Celery pool processes, the beat).
"""

import atexit
import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ManagedProcess:
    """One child process with its log file."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str]
    log_path: Path
    popen: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    def start(self) -> None:
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

    def stop(self, *, timeout: float = 15.0) -> None:
        """SIGTERM the whole group, SIGKILL what is left after ``timeout``."""
        if self.popen is None:
            return
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
        atexit.register(self.stop_all)

    def start(
        self, name: str, argv: Sequence[str], *, env: Mapping[str, str], log_path: Path
    ) -> ManagedProcess:
        process = ManagedProcess(name=name, argv=argv, env=env, log_path=log_path)
        process.start()
        self.processes.append(process)
        return process

    def get(self, name: str) -> ManagedProcess:
        for process in self.processes:
            if process.name == name:
                return process
        raise KeyError(name)

    def dead(self) -> list[ManagedProcess]:
        return [process for process in self.processes if not process.alive()]

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.processes.clear()

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
