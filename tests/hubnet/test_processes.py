"""Process groups under supervision, with real child processes: a child that dies
is restarted with back-off and counted; stopping the group leaves nothing."""

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from hubnet.processes import ProcessGroup, wait_until
from hubnet.supervision import DaemonProcess, exit_text, status_table

# Each start prints one line with its wall-clock time, then exits with code 3.
EXITS_AT_ONCE = (
    "import sys, time; print('started', time.time(), flush=True); sys.exit(3)"
)
# Prints a start line and sleeps, like a server.
RUNS = "import time; print('started', time.time(), flush=True); time.sleep(600)"


def _starts(log: Path) -> list[float]:
    if not log.exists():
        return []
    return [
        float(line.split()[1])
        for line in log.read_text().splitlines()
        if line.startswith("started ")
    ]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[-1].split()[0] == "Z")


def test_a_child_that_exits_is_restarted_with_back_off_and_counted(tmp_path):
    # given: a supervised child that exits with code 3 every time it starts
    events: list[str] = []
    with ProcessGroup() as group:
        child = group.start(
            "flaky",
            [sys.executable, "-c", EXITS_AT_ONCE],
            env=os.environ,
            log_path=tmp_path / "flaky.log",
        )
        group.supervise(
            on_event=events.append,
            log_path=tmp_path / "supervisor.log",
            status_path=tmp_path / "status.json",
            initial=0.2,
            maximum=0.8,
            interval=0.05,
            status_every=0.1,
        )

        # when: it has been restarted four times
        assert wait_until(lambda: child.restarts >= 4, timeout=20, interval=0.05)
        assert wait_until(lambda: len(_starts(tmp_path / "flaky.log")) >= 5, timeout=5)

        # then: the waits between starts doubled from 0.2 s up to the 0.8 s cap
        starts = _starts(tmp_path / "flaky.log")
        gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
        for gap, delay in zip(gaps, [0.2, 0.4, 0.8, 0.8], strict=False):
            assert delay <= gap < delay + 1.5, (gaps, delay)
        # every death was counted, logged with its exit code and the log tail
        assert child.last_exit == 3
        deaths = [event for event in events if " died: " in event]
        assert deaths[0].startswith("flaky (pid ")
        assert "exit code 3" in deaths[0]
        assert "restart #1 in 0.2s" in deaths[0]
        assert "restart #2 in 0.4s" in deaths[1]
        assert "restart #3 in 0.8s" in deaths[2]
        assert "    | started " in deaths[0]
        assert "flaky restarted" in (tmp_path / "supervisor.log").read_text()
        # and the status file shows the count
        assert wait_until(
            lambda: (
                json.loads((tmp_path / "status.json").read_text())["processes"][0][
                    "restarts"
                ]
                >= 4
            ),
            timeout=5,
        )
        line = json.loads((tmp_path / "status.json").read_text())["processes"][0]
        assert (line["name"], line["last_exit"]) == ("flaky", 3)


def test_a_killed_child_is_restarted_and_its_signal_reported(tmp_path):
    # given: a supervised long-running child
    events: list[str] = []
    with ProcessGroup() as group:
        child = group.start(
            "server",
            [sys.executable, "-c", RUNS],
            env=os.environ,
            log_path=tmp_path / "server.log",
        )
        group.supervise(on_event=events.append, initial=0.1, interval=0.05)
        first_pid = child.pid
        assert wait_until(
            lambda: len(_starts(tmp_path / "server.log")) == 1, timeout=10
        )

        # when: it is killed with SIGKILL
        os.kill(first_pid, signal.SIGKILL)

        # then: it runs again under a new pid, the signal is on record
        assert wait_until(lambda: child.restarts == 1 and child.alive(), timeout=10)
        assert child.pid != first_pid
        assert child.last_exit == -signal.SIGKILL
        assert "signal SIGKILL" in events[0]
        assert wait_until(
            lambda: len(_starts(tmp_path / "server.log")) == 2, timeout=10
        )
        pid = child.pid

    # and: leaving the group stops it
    assert not _pid_alive(pid)


def test_stop_all_during_back_off_starts_nothing_and_leaves_nothing(tmp_path):
    # given: a child that forks a grandchild into its group, then exits
    script = (
        "import subprocess, sys, time; print('started', time.time(), flush=True); "
        "p = subprocess.Popen(['sleep', '600']); "
        f"open({str(tmp_path / 'grandchild')!r}, 'w').write(str(p.pid)); sys.exit(1)"
    )
    group = ProcessGroup()
    child = group.start(
        "forker",
        [sys.executable, "-c", script],
        env=os.environ,
        log_path=tmp_path / "forker.log",
    )
    group.supervise(initial=1.5, interval=0.05, status_path=tmp_path / "status.json")
    assert wait_until(lambda: child.last_exit == 1, timeout=10, interval=0.05)
    grandchild = int((tmp_path / "grandchild").read_text())

    # when: the group stops while the restart is pending
    group.stop_all(timeout=5)
    time.sleep(2.5)

    # then: it was never started again and nothing it forked is left
    assert len(_starts(tmp_path / "forker.log")) == 1
    assert child.restarts == 0
    assert not _pid_alive(grandchild)
    assert group.processes == []
    status = json.loads((tmp_path / "status.json").read_text())
    assert status["stopped"] is True
    assert [item["alive"] for item in status["processes"]] == [False]


def test_a_daemon_that_stops_is_launched_again(tmp_path):
    # given: a detached daemon watched through its pid
    launched: list[subprocess.Popen] = []
    halted: list[bool] = []

    def launch() -> int:
        process = subprocess.Popen(["sleep", "600"])
        launched.append(process)
        return process.pid

    def probe() -> int | None:
        return None if launched[-1].poll() is not None else launched[-1].pid

    daemon = DaemonProcess(
        name="daemon",
        argv=(),
        env={},
        log_path=tmp_path / "daemon.log",
        launch=launch,
        probe=probe,
        halt=lambda: (halted.append(True), launched[-1].kill()),
        probe_every=0.05,
    )
    with ProcessGroup() as group:
        group.add(daemon)
        group.supervise(initial=0.1, interval=0.05)

        # when: it is killed
        launched[0].kill()

        # then: it is launched again, and counted
        assert wait_until(lambda: daemon.restarts == 1, timeout=10)
        assert daemon.pid == launched[1].pid != launched[0].pid
        assert daemon.last_exit is None
    # and: stopping the group halts it
    assert halted == [True]
    assert wait_until(lambda: probe() is None, timeout=5)


def test_status_table_names_each_process():
    status = {
        "processes": [
            {
                "name": "eu-web",
                "pid": 10,
                "alive": True,
                "restarts": 0,
                "last_exit": None,
                "last_exit_at": None,
                "last_restart_at": None,
            },
            {
                "name": "be-worker",
                "pid": 12,
                "alive": False,
                "restarts": 2,
                "last_exit": -9,
                "last_exit_at": 95.0,
                "last_restart_at": 90.0,
            },
        ]
    }
    assert status_table(status, now=100.0).splitlines() == [
        "process    pid  alive  restarts  last exit               last restart",
        "eu-web     10   yes    0         -                       -",
        "be-worker  12   NO     2         signal SIGKILL, 5s ago  10s ago",
    ]
    assert exit_text(None) == "exit unknown"
    assert exit_text(0) == "exit code 0"
