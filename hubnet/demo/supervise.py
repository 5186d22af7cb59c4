"""The running demo under supervision: a process that dies is restarted (with
back-off) instead of stopping the network; its state goes to a status file that
``hubnet demo --status`` prints."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from hubnet.demo.progress import say
from hubnet.localnet import RunningNetwork
from hubnet.supervision import DaemonProcess, Supervisor, status_table

STATUS_FILE = "status.json"
SUPERVISOR_LOG = "supervisor.log"
# A status file older than this was not written by a running demo.
STALE_AFTER = 30.0


def search_node_process(*, data_dir: Path, port: int) -> DaemonProcess:
    """The embedded search node as a member of a process group: watched through
    its pidfile, started again with ``node_start`` when it stopped."""
    from search import embedded_node

    def launch() -> int | None:
        return embedded_node.node_start(port=port, data_dir=data_dir).pid

    def probe() -> int | None:
        status = embedded_node.node_status(data_dir=data_dir, port=port)
        return status.pid if status.running else None

    pid = probe()
    node = DaemonProcess(
        name="search-node",
        argv=(),
        env={},
        log_path=data_dir / "logs" / "node.log",
        launch=launch,
        probe=probe,
        halt=lambda: embedded_node.node_stop(data_dir=data_dir),
        _pid=pid,
        _alive=pid is not None,
        _probed_at=time.monotonic(),
        started_at=time.time(),
    )
    return node


def network_supervise(
    running: RunningNetwork,
    *,
    var_dir: Path,
    node: DaemonProcess | None = None,
    **options: float,
) -> Supervisor:
    """Supervise every process of ``running`` (and the search node, when given):
    events to the output and ``logs/supervisor.log``, state to ``status.json``."""
    if node is not None:
        with running.group.lock:
            running.group.processes.append(node)
    return running.group.supervise(
        on_event=lambda message: say(f"[supervisor] {message}"),
        log_path=running.log_dir / SUPERVISOR_LOG,
        status_path=var_dir / STATUS_FILE,
        **options,
    )


def supervised_wait(
    running: RunningNetwork, *, var_dir: Path, node: DaemonProcess | None = None
) -> int:
    """Keep the network up until Ctrl-C (or SIGTERM): restart what dies."""
    stop_requested = threading.Event()

    def request_stop(signum: int, frame: object) -> None:  # noqa: ARG001  signal handler signature
        stop_requested.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    network_supervise(running, var_dir=var_dir, node=node)
    say(
        "Supervising: a process that stops is restarted (hubnet demo --status shows "
        "them). Press Ctrl-C to stop every process of the demo."
    )
    while not stop_requested.wait(1.0):
        pass
    return 0


def status_print(var_dir: Path) -> int:
    """Print the running demo's processes (``hubnet demo --status``)."""
    path = var_dir / STATUS_FILE
    try:
        status = json.loads(path.read_text())
    except (OSError, ValueError):
        print(f"hubnet demo: no status in {path} (is the demo running?)")
        return 1
    print(status_table(status))
    age = time.time() - float(status.get("updated_at", 0))
    summary = var_dir / "summary.json"
    if summary.exists():
        print(f"Summary of the start: {summary}")
    if status.get("stopped"):
        print(f"The demo has stopped ({age:.0f}s ago).")
        return 1
    if age > STALE_AFTER:
        print(f"Not updated for {age:.0f}s: the demo is not running.")
        return 1
    down = [item["name"] for item in status["processes"] if not item.get("alive")]
    if down:
        print(f"Down (restart pending): {', '.join(down)}")
    return 0


def soak_run(minutes: float) -> int:
    """``hubnet demo --soak MINUTES``: the soak of ``bench/soak.py`` (a source
    checkout only), with this environment."""
    script = Path(__file__).resolve().parents[2] / "bench" / "soak.py"
    if not script.exists():
        print(f"hubnet demo: no {script} (the soak needs a source checkout)")
        return 2
    return subprocess.call([sys.executable, str(script), "--minutes", str(minutes)])
