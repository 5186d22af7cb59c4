"""The README's run command: the search node and two hubs with separate databases
and workers come up healthy, and stopping leaves no process behind."""

import subprocess
import sys

import pytest

from tests.e2e.conftest import free_ports

pytestmark = pytest.mark.e2e


def processes_mentioning(*needles: str) -> list[str]:
    listing = subprocess.run(
        ["ps", "-eo", "pid,args"], capture_output=True, text=True, check=True
    ).stdout
    return [
        line
        for line in listing.splitlines()
        if any(needle in line for needle in needles)
    ]


def test_demo_comes_up_healthy_and_leaves_nothing_running(tmp_path):
    # given
    base_port, search_port = free_ports(1)[0], free_ports(1)[0]
    var_dir = tmp_path / "demo"
    # when
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "hubnet",
            "demo",
            "--check",
            "--var-dir",
            str(var_dir),
            "--base-port",
            str(base_port),
            "--search-port",
            str(search_port),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # then
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "eu is healthy" in completed.stdout
    assert "nl is healthy" in completed.stdout
    assert f"http://127.0.0.1:{base_port + 1}/healthz" in completed.stdout
    # each hub has its own database
    assert (var_dir / "hubs" / "eu" / "db.sqlite3").exists()
    assert (var_dir / "hubs" / "nl" / "db.sqlite3").exists()
    leftovers = processes_mentioning(
        str(var_dir),
        f"127.0.0.1:{base_port}",
        f"127.0.0.1:{base_port + 1}",
        f"http.port={search_port}",
    )
    assert leftovers == []
