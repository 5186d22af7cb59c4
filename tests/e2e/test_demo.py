"""``hubnet demo`` headless: the search node and eight hubs come up seeded from the
real data and synced; the counts per hub and level equal the seeded data; the EU
hub holds every record of every hub; the EU hub's search scoped to Noord-Brabant
finds exactly its subtree; a project published at 's-Hertogenbosch reaches the EU
hub and its search within seconds; Ctrl-C stops everything, and a re-run with
``--check`` reuses what is there.

The demo runs once for the module (``demo`` fixture, in the order of the tests
below).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from hubnet.demo.data import demo_plan, level_counts, plan_counts
from hubnet.demo.hubs import DEMO_HUBS, demo_network
from hubnet.demo.run import demo_hub_environment
from hubnet.network import Network, hub_health
from hubnet.processes import run_checked, wait_until
from tests.e2e.conftest import free_ports
from tests.federation.factories import body_for

pytestmark = pytest.mark.e2e

READY_TIMEOUT = 600  # seconds; the README promises five minutes on this machine
PROPAGATION_SECONDS = 30


def free_port_block(count: int) -> int:
    """A base port such that it and the next ``count - 1`` ports are free."""
    for _ in range(50):
        base = free_ports(1)[0]
        if base + count > 65535:
            continue
        probes = [socket.socket() for _ in range(count)]
        try:
            for offset, probe in enumerate(probes):
                probe.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for probe in probes:
                probe.close()
    raise RuntimeError(f"no block of {count} free ports")


def processes_mentioning(*needles: str) -> list[str]:
    listing = subprocess.run(
        ["ps", "-eo", "pid,args"], capture_output=True, text=True, check=True
    ).stdout
    return [
        line
        for line in listing.splitlines()
        if any(needle in line for needle in needles)
    ]


@dataclass
class Demo:
    """A running ``hubnet demo`` and the handles the tests drive it with."""

    var_dir: Path
    base_port: int
    search_port: int
    network: Network
    process: subprocess.Popen | None = None
    lines: list[str] = field(default_factory=list)
    ready_seconds: float = 0.0

    @property
    def argv(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "hubnet",
            "demo",
            "--var-dir",
            str(self.var_dir),
            "--base-port",
            str(self.base_port),
            "--search-port",
            str(self.search_port),
        ]

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process is not None
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_ready(self, timeout: float) -> bool:
        assert self.process is not None
        return wait_until(
            lambda: (
                any(line.startswith("ready in") for line in self.lines)
                or self.process.poll() is not None
            ),
            timeout=timeout,
            interval=1,
        ) and any(line.startswith("ready in") for line in self.lines)

    def interrupt(self, timeout: float = 120) -> int:
        """Ctrl-C, as a terminal sends it to the demo."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise

    def url(self, slug: str) -> str:
        return self.network.url(slug)

    def environment(self, slug: str) -> dict[str, str]:
        return demo_hub_environment(
            self.network,
            slug,
            var_dir=self.var_dir,
            search_url=f"http://127.0.0.1:{self.search_port}",
        )

    def command_json(self, slug: str, *args: str) -> Any:
        output = run_checked(
            [sys.executable, "-m", "hubnet", *args], env=self.environment(slug)
        )
        return json.loads(output.strip().splitlines()[-1])

    def graphql(self, slug: str, query: str, variables: dict | None = None) -> dict:
        response = requests.post(
            f"{self.url(slug)}/graphql",
            json={"query": query, "variables": variables or {}},
            timeout=30,
        )
        answer = response.json()
        assert "errors" not in answer, answer
        return answer["data"]

    def summary(self) -> dict[str, Any]:
        return json.loads((self.var_dir / "summary.json").read_text())

    def held(self, slug: str, origin: str) -> set[tuple[str, int, int]]:
        """(id, version, deleted) of the records of ``origin`` that ``slug`` holds,
        read from the hub's SQLite file."""
        database = self.var_dir / "hubs" / slug / "db.sqlite3"
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            return set(
                db.execute(
                    "SELECT record_id, version, deleted FROM federation_storedrecord"
                    " WHERE origin = ?",
                    (origin,),
                )
            )

    def leftovers(self) -> list[str]:
        return processes_mentioning(
            str(self.var_dir),
            *[f"127.0.0.1:{port}" for port in self.network.ports.values()],
            f"http.port={self.search_port}",
        )


@pytest.fixture(scope="module")
def plan():
    return demo_plan(DEMO_HUBS)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    base_port = free_port_block(len(DEMO_HUBS))
    search_port = free_ports(1)[0]
    running = Demo(
        var_dir=tmp_path_factory.mktemp("demo") / "var",
        base_port=base_port,
        search_port=search_port,
        network=demo_network(base_port=base_port),
    )
    started = time.monotonic()
    running.start()
    if not running.wait_ready(READY_TIMEOUT):
        running.interrupt()
        pytest.fail(f"the demo did not get ready:\n{running.output[-5000:]}")
    running.ready_seconds = time.monotonic() - started
    yield running
    if running.process is not None and running.process.poll() is None:
        running.interrupt()


def test_the_network_comes_up_seeded_and_synced_in_time(demo, plan):
    assert demo.ready_seconds < READY_TIMEOUT
    seeded = sum(len(items) for items in plan.values())
    assert f"{seeded:,} published, 0 already there" in demo.output
    assert "the EU hub holds every record of every hub" in demo.output
    assert demo.summary()["converged"] is True


def test_every_hub_is_healthy_with_its_own_database(demo):
    for hub in DEMO_HUBS:
        answer = hub_health(demo.url(hub.slug))
        assert answer is not None
        assert answer["status"] == "ok", answer
        assert answer["hub"]["slug"] == hub.slug
        assert (demo.var_dir / "hubs" / hub.slug / "db.sqlite3").exists()


def test_counts_per_hub_and_level_equal_the_seeded_data(demo, plan):
    # given: what the data files say, through the same assignment
    expected_hubs = plan_counts(plan)
    expected_levels = level_counts(plan, DEMO_HUBS)
    summary = demo.summary()
    # then: each hub holds its share as own records
    for hub in summary["hubs"]:
        own = {kind: count for kind, count in hub["own"].items() if count}
        assert own == expected_hubs[hub["slug"]], hub["slug"]
    # and the EU hub holds every level's records
    for level, counts in summary["levels"].items():
        assert {k: c for k, c in counts.items() if c} == expected_levels[level]
    # and the live EU hub says so too
    total = demo.graphql("eu", "query { records(first: 1) { totalCount } }")
    assert total["records"]["totalCount"] == sum(len(i) for i in plan.values())


def test_the_eu_hub_holds_every_record_of_every_hub(demo, plan):
    for hub in DEMO_HUBS:
        at_origin = demo.held(hub.slug, hub.slug)
        assert {record_id for record_id, _, _ in at_origin} >= {
            item.record_id for item in plan[hub.slug]
        }
        assert demo.held("eu", hub.slug) == at_origin, hub.slug
    # the regional hub holds its local hubs' records too, and the peers each other's
    assert demo.held("nl-nb", "den-bosch") == demo.held("den-bosch", "den-bosch")
    assert demo.held("eindhoven", "den-bosch") == demo.held("den-bosch", "den-bosch")
    assert demo.held("den-bosch", "eindhoven") == demo.held("eindhoven", "eindhoven")


def test_a_local_case_reaches_the_eu_hub_with_its_origin_path(demo, plan):
    (item,) = [i for i in plan["eindhoven"] if i.source == "jrc-ips:10348"]
    data = demo.graphql(
        "eu",
        "query One($id: ID!) { record(id: $id) { origin originPath originLevel"
        " ... on ProjectRecord { body { name organisation } } } }",
        {"id": item.record_id},
    )
    record = data["record"]
    assert record["origin"] == "eindhoven"
    assert record["originPath"] == ["eu", "nl", "nl-nb", "eindhoven"]
    assert record["originLevel"] == "local"
    assert record["body"]["organisation"] == "Municipality of Eindhoven"


def eu_search(demo, **params) -> dict:
    response = requests.get(
        f"{demo.url('eu')}/api/v1/search", params={"size": 100, **params}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_eu_search_scoped_to_noord_brabant_finds_its_local_hubs(demo, plan):
    # given: what Noord-Brabant and its two municipalities published
    subtree = ("nl-nb", "den-bosch", "eindhoven")
    expected = sum(len(plan[slug]) for slug in subtree)
    projects = sum(1 for slug in subtree for i in plan[slug] if i.kind == "project")

    # when: the EU hub's search is scoped to Noord-Brabant (indexing is async)
    answer: dict = {}

    def indexed() -> bool:
        answer.update(eu_search(demo, scope="nl-nb"))
        return answer["total"] == expected

    # then: exactly the subtree's records, cases and organisations alike
    assert wait_until(indexed, timeout=90, interval=1), (answer.get("total"), expected)
    kinds = {bucket["value"]: bucket["count"] for bucket in answer["facets"]["kinds"]}
    assert kinds["project"] == projects
    assert kinds["organisation"] > 0
    assert {hit["origin"] for hit in answer["hits"]} <= set(subtree)
    amsterdam = eu_search(demo, scope="nl-nb", text="Amsterdam", kinds="project")
    assert all(hit["origin"] != "amsterdam" for hit in amsterdam["hits"])


def test_a_project_published_at_den_bosch_reaches_the_eu_hub_within_seconds(
    demo, tmp_path
):
    # given
    body_file = tmp_path / "project.json"
    body_file.write_text(json.dumps(body_for("project", name="Parkeerscan Den Bosch")))
    # when
    published = demo.command_json(
        "den-bosch",
        "catalogue_publish",
        "--kind",
        "project",
        "--body-file",
        str(body_file),
    )
    started = time.monotonic()
    query = "query One($id: ID!) { record(id: $id) { origin version } }"

    def at_eu() -> bool:
        record = demo.graphql("eu", query, {"id": published["id"]})["record"]
        return record is not None and record["version"] == published["version"]

    def in_eu_search() -> bool:
        hits = eu_search(demo, text="Parkeerscan Den Bosch", kinds="project")["hits"]
        return published["id"] in {hit["id"] for hit in hits}

    # then: in the EU catalogue and in the EU-level search within seconds
    assert wait_until(at_eu, timeout=PROPAGATION_SECONDS, interval=0.5)
    assert wait_until(in_eu_search, timeout=PROPAGATION_SECONDS, interval=0.5)
    assert time.monotonic() - started < PROPAGATION_SECONDS


def test_ctrl_c_stops_every_process(demo):
    returncode = demo.interrupt()
    assert returncode == 0, demo.output[-3000:]
    assert "Stopped" in demo.lines[-1]
    assert demo.leftovers() == []


def test_a_rerun_reuses_what_is_there_and_checks_it(demo, plan):
    # when: the same var directory, with --check
    completed = subprocess.run(
        [*demo.argv, "--check"],
        capture_output=True,
        text=True,
        timeout=READY_TIMEOUT,
        check=False,
    )
    # then: nothing seeded again, everything still there and synced
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-5000:]
    seeded = sum(len(items) for items in plan.values())
    assert f"0 published, {seeded:,} already there" in output
    assert "check passed" in output
    assert "Collecting static files" not in output
    assert demo.leftovers() == []
