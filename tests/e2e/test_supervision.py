"""A supervised network survives a crash: a hub's worker killed with SIGKILL is
restarted, the hub is healthy again, and a record published afterwards still
reaches the parent (interval syncs are slow here: the restarted worker's poke
carries it)."""

import json
import os
import signal

import pytest

from hubnet.localnet import HubSpec, hub_health
from hubnet.processes import wait_until
from tests.e2e.conftest import start_test_network
from tests.federation.factories import body_for

pytestmark = pytest.mark.e2e

HUBS = [
    HubSpec("nl", "Nederland", "national", country="NL", nuts="NL"),
    HubSpec(
        "nl-nb", "Noord-Brabant", "regional", country="NL", nuts="NL41", parent="nl"
    ),
]


def test_a_killed_worker_is_restarted_and_its_hub_recovers(search_url, tmp_path):
    # given: two supervised hubs
    network = start_test_network(
        HUBS,
        var_dir=tmp_path,
        search_url=search_url,
        extra_env={"SYNC_INTERVAL": "3600"},
    )
    events: list[str] = []
    try:
        network.group.supervise(
            on_event=events.append,
            log_path=network.log_dir / "supervisor.log",
            initial=0.5,
            interval=0.2,
        )
        worker = network.group.get("nl-nb-worker")
        killed_pid = worker.pid
        assert killed_pid is not None

        # when: the child hub's worker (and all it forked) is killed with SIGKILL
        os.killpg(killed_pid, signal.SIGKILL)

        # then: it is restarted under a new pid, the death is on record
        assert wait_until(
            lambda: worker.restarts == 1 and worker.alive(), timeout=30, interval=0.2
        ), events
        assert worker.pid != killed_pid
        assert worker.last_exit == -signal.SIGKILL
        assert f"nl-nb-worker (pid {killed_pid}) died: signal SIGKILL" in events[0]
        # (the count moves just before the line is written: wait for the line)
        log_path = network.log_dir / "supervisor.log"
        assert wait_until(
            lambda: "nl-nb-worker restarted" in log_path.read_text(), timeout=10
        ), log_path.read_text()
        # and the hub is healthy again
        assert wait_until(
            lambda: (
                (hub_health(network.network.url("nl-nb")) or {}).get("status") == "ok"
            ),
            timeout=60,
            interval=1,
        ), hub_health(network.network.url("nl-nb"))

        # when: a record is published at the child after the restart
        body_file = tmp_path / "body.json"
        body_file.write_text(json.dumps(body_for("project")))
        published = network.command_json(
            "nl-nb",
            "catalogue_publish",
            "--kind",
            "project",
            "--body-file",
            str(body_file),
        )

        # then: it reaches the parent
        assert wait_until(
            lambda: (
                network.digest("nl", origin="nl-nb")["digest"]
                == network.digest("nl-nb", origin="nl-nb")["digest"]
            ),
            timeout=90,
            interval=2,
        )
        assert network.digest("nl", origin="nl-nb")["records"] == 1
        assert published["version"] == 1
        # and nothing else died meanwhile
        restarted = [p.name for p in network.group.processes if p.restarts]
        assert restarted == ["nl-nb-worker"]
    finally:
        network.stop()
