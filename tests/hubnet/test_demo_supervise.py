"""``hubnet demo --status``: the table of the supervised processes, from the status
file a running demo's supervisor writes (real child processes here)."""

import json
import os
import signal
import sys
import time

from hubnet.demo import demo_main
from hubnet.processes import ProcessGroup, wait_until

SLEEPER = "import time; time.sleep(600)"


def test_status_prints_each_process_with_its_restarts(tmp_path, capsys):
    # given: a supervised group like the demo's, one of whose processes was killed
    with ProcessGroup() as group:
        web = group.start(
            "eu-web",
            [sys.executable, "-c", SLEEPER],
            env=os.environ,
            log_path=tmp_path / "logs" / "eu-web.log",
        )
        worker = group.start(
            "eu-worker",
            [sys.executable, "-c", SLEEPER],
            env=os.environ,
            log_path=tmp_path / "logs" / "eu-worker.log",
        )
        group.supervise(
            status_path=tmp_path / "status.json", initial=0.1, interval=0.05
        )
        os.kill(worker.pid, signal.SIGKILL)
        assert wait_until(lambda: worker.restarts == 1 and worker.alive(), timeout=10)
        assert wait_until(
            lambda: (
                json.loads((tmp_path / "status.json").read_text())["processes"][1][
                    "restarts"
                ]
                == 1
            ),
            timeout=10,
        )

        # when: the status is asked for while it runs
        code = demo_main(["--status", "--var-dir", str(tmp_path)])

        # then: one line per process, with its pid, liveness, restarts, last exit
        lines = capsys.readouterr().out.splitlines()
        assert code == 0
        assert lines[0].split() == [
            "process",
            "pid",
            "alive",
            "restarts",
            "last",
            "exit",
            "last",
            "restart",
        ]
        assert lines[1].split()[:5] == ["eu-web", str(web.pid), "yes", "0", "-"]
        assert lines[2].split()[:6] == [
            "eu-worker",
            str(worker.pid),
            "yes",
            "1",
            "signal",
            "SIGKILL,",
        ]

    # and: once the group stopped, the status says so
    assert demo_main(["--status", "--var-dir", str(tmp_path)]) == 1
    assert "The demo has stopped" in capsys.readouterr().out


def test_status_without_a_running_demo_says_so(tmp_path, capsys):
    assert demo_main(["--status", "--var-dir", str(tmp_path)]) == 1
    assert "is the demo running?" in capsys.readouterr().out
    # a status file nobody updates any more is not a running demo
    (tmp_path / "status.json").write_text(
        json.dumps({"updated_at": time.time() - 120, "processes": []})
    )
    assert demo_main(["--status", "--var-dir", str(tmp_path)]) == 1
    assert "Not updated for 120s" in capsys.readouterr().out
