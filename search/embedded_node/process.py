"""Pidfile/state helpers, process signals, HTTP health checks and log helpers."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from search.embedded_node.config import (
    HOST,
    LAUNCHER_CLASS,
    LOCK_NAME,
    LOG_NAME,
    PIDFILE_NAME,
    STATE_NAME,
    NodeError,
)


def _paths(data_dir: Path) -> dict[str, Path]:
    return {
        "pidfile": data_dir / PIDFILE_NAME,
        "state": data_dir / STATE_NAME,
        "lock": data_dir / LOCK_NAME,
        "config": data_dir / "config",
        "logs": data_dir / "logs",
        "log": data_dir / "logs" / LOG_NAME,
        "data": data_dir / "data",
        "tmp": data_dir / "tmp",
    }


def _url(port: int) -> str:
    return f"http://{HOST}:{port}"


def _read_pid(pidfile: Path) -> int | None:
    try:
        text = pidfile.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _read_state(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remove(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# Popen objects of JVMs started by this process: kept so they are reaped (no
# zombies, no ResourceWarning) when stopped from the same process.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def _pid_alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:  # our own child: poll() also reaps it
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) still "exists" for kill(0).
    # The JVM's leader thread may turn zombie while other threads still finish
    # the exit, so it only counts as dead once no other thread is left.
    with contextlib.suppress(OSError, IndexError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[-1].split()[0] == "Z":
            return len(os.listdir(f"/proc/{pid}/task")) > 1
    return True


def _pid_cmdline(pid: int) -> str | None:
    try:
        raw = b""
        # A process in the middle of exec (the java launcher may exec itself
        # again) reads as an empty cmdline for a moment; a kernel thread stays
        # empty, and is never ours.
        for _ in range(5):
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
            if raw:
                break
            time.sleep(0.05)
        return raw.replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        pass
    try:
        out = subprocess.run(
            ["ps", "-o", "command=", "-p", str(pid)],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    return out.stdout.strip() or None


def _is_our_node(pid: int, data_dir: Path) -> bool:
    """True when ``pid`` is alive and is the launcher JVM for ``data_dir``.

    Guards against killing an unrelated process that reused a stale pid.
    """
    if not _pid_alive(pid):
        return False
    cmdline = _pid_cmdline(pid)
    if cmdline is None:  # cannot tell: trust the pidfile
        return True
    return LAUNCHER_CLASS in cmdline and str(data_dir) in cmdline


# Talks to 127.0.0.1 only: never through an HTTP(S)_PROXY from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _http_json(url: str, timeout: float) -> tuple[int, Any]:
    """GET ``url``; returns (status code, parsed JSON or None). Raises OSError."""
    # Only ever called with http://127.0.0.1:<port>/... URLs built here.
    request = urllib.request.Request(  # noqa: S310
        url, headers={"Accept": "application/json"}
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            code, body = response.status, response.read()
    except urllib.error.HTTPError as exc:  # e.g. 408 from wait_for_status
        code, body = exc.code, exc.read()
    try:
        return code, json.loads(body)
    except ValueError:
        return code, None


def _cluster_health(
    base_url: str, *, wait_yellow: bool = False, timeout: float = 3.0
) -> tuple[str | None, str | None]:
    """Returns (health status, error message)."""
    url = f"{base_url}/_cluster/health"
    if wait_yellow:
        url += "?wait_for_status=yellow&timeout=2s"
    try:
        code, body = _http_json(url, timeout)
    except (OSError, urllib.error.URLError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"no answer from {base_url}: {reason}"
    if isinstance(body, dict) and isinstance(body.get("status"), str):
        return body["status"], None if code == 200 else f"HTTP {code}"
    return None, f"unexpected answer from {url}: HTTP {code}"


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((HOST, port)) == 0


def _tail_text(text: str, lines: int) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _log_tail(log: Path, lines: int = 40) -> str:
    try:
        with open(log, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 64 * 1024))
            text = handle.read().decode(errors="replace")
    except OSError:
        return f"(no log at {log})"
    return _tail_text(text, lines)


def _send(pid: int, sig: int, *, group: bool) -> None:
    """Send ``sig`` to the process group led by ``pid``, or to ``pid`` alone."""
    with contextlib.suppress(ProcessLookupError):
        if group:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)


def _wait_dead(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.1)
    return not _pid_alive(pid)


def _terminate(pid: int, timeout: float) -> None:
    """SIGTERM the group, then SIGKILL after ``timeout``; reaps our children."""
    try:
        # Started with start_new_session, so the JVM leads its own group.
        group = os.getpgid(pid) == pid
    except ProcessLookupError:
        group = False
    _send(pid, signal.SIGTERM, group=group)
    if not _wait_dead(pid, timeout):
        _send(pid, signal.SIGKILL, group=group)
        if not _wait_dead(pid, 10):
            raise NodeError(f"JVM pid {pid} survived SIGKILL")
    if group:  # members of the group that outlived the leader (none expected)
        with contextlib.suppress(PermissionError):
            _send(pid, signal.SIGKILL, group=True)
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=5)


def _rotate_log(log: Path) -> None:
    if log.exists():
        with contextlib.suppress(OSError):
            log.replace(log.with_name(log.name + ".1"))
