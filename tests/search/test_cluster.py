"""The shared index on a real three-node cluster loses a node and nothing else.

Three embedded OpenSearch nodes, one JVM each, are started once for the module
with ``hubnet search-node start --nodes 3``. The index has one replica (the
``auto`` replica setting on three nodes). While this hub publishes and drains its
outbox (the real indexing path) and two threads search without pause, the node
holding the primary shard is killed with SIGKILL, then started again with the
same command. No search fails (none for longer than one call's retry window,
the bound the settings promise), every record is in the index at its last
version, and the cluster is green again.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from federation.models import StoredRecord
from federation.services.store import PublishItem, record_publish, records_publish
from search import embedded_node
from search import engine as engine_module
from search.engine import SearchError, search_engine
from search.indexing import index_drain
from search.queries import catalogue_search
from search.types import SearchParams
from tests.federation.factories import body_for
from tests.ports import free_port_block

NODES = 3
TIMEOUT = 10  # SEARCH_TIMEOUT of the test (the default): seconds per attempt
# A search call tries each of the three nodes at most once (SEARCH_RETRIES=auto).
RETRY_WINDOW = TIMEOUT * NODES
ROOT = Path(__file__).resolve().parent.parent.parent


def _search_node(*args: str) -> subprocess.CompletedProcess[str]:
    """``hubnet search-node ARGS`` as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "hubnet", "search-node", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@dataclass
class Cluster:
    data_dir: Path
    plan: embedded_node.ClusterPlan
    started_in: float

    def urls(self) -> list[str]:
        return self.plan.urls()

    def health(self, *, wait_for: str, timeout: float) -> dict[str, Any]:
        """The cluster health, waiting for ``wait_for`` (green, yellow) at most
        ``timeout`` seconds; asked of any node that answers."""
        for url in self.urls():
            try:
                answer = requests.get(
                    f"{url}/_cluster/health",
                    params={"wait_for_status": wait_for, "timeout": f"{timeout:.0f}s"},
                    timeout=timeout + 5,
                )
            except requests.RequestException:
                continue
            return answer.json()
        raise AssertionError("no node answers")

    def node_of_primary(self, index: str) -> int:
        answer = requests.get(
            f"{self.urls()[0]}/_cat/shards/{index}",
            params={"format": "json"},
            timeout=10,
        ).json()
        (primary,) = [row for row in answer if row["prirep"] == "p"]
        return int(primary["node"].removeprefix("node-"))

    def manager(self) -> int:
        answer = requests.get(
            f"{self.urls()[0]}/_cat/cluster_manager",
            params={"format": "json"},
            timeout=10,
        ).json()
        return int(answer[0]["node"].removeprefix("node-"))

    def pid(self, node: int) -> int:
        return int(
            (embedded_node.member_dir(self.data_dir, node) / "node.pid").read_text()
        )

    def rss_mib(self) -> list[int]:
        sizes = []
        for node in self.plan.indices():
            status = Path(f"/proc/{self.pid(node)}/status").read_text()
            (line,) = [row for row in status.splitlines() if row.startswith("VmRSS:")]
            sizes.append(int(line.split()[1]) // 1024)
        return sizes


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    data_dir = tmp_path_factory.mktemp("cluster")
    port = free_port_block(NODES)
    transport = free_port_block(NODES, avoid=range(port - NODES, port + NODES))
    started = time.monotonic()
    answer = _search_node(
        "start",
        f"--nodes={NODES}",
        f"--port={port}",
        f"--transport-port={transport}",
        f"--data-dir={data_dir}",
    )
    started_in = time.monotonic() - started
    assert answer.returncode == 0, answer.stderr
    plan = embedded_node.cluster_plan_read(data_dir=data_dir)
    assert plan == embedded_node.ClusterPlan(NODES, port, transport)
    try:
        yield Cluster(data_dir, plan, started_in)
    finally:
        stopped = _search_node("stop", f"--data-dir={data_dir}")
        shutil.rmtree(data_dir, ignore_errors=True)
        assert stopped.stdout.strip() == "stopped", stopped.stderr


@dataclass
class Searches:
    """Searches run without pause from threads; each call's start, end and outcome."""

    threads: int = 2
    calls: list[tuple[float, float, str | None]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def _run(self, seed: int) -> None:
        texts = ["Parkeerscan", "data", "algoritme", ""]
        n = seed
        while not self.stop.is_set():
            n += 1
            params = SearchParams(text=texts[n % len(texts)], size=5, facets=("kinds",))
            began = time.monotonic()
            try:
                catalogue_search(params=params)
                error = None
            except SearchError as failure:
                error = f"{type(failure).__name__}: {failure}"[:200]
            self.calls.append((began, time.monotonic(), error))
            time.sleep(0.05)  # leave the nodes' JVMs the CPU to restart with

    def __enter__(self) -> Searches:
        self._workers = [
            threading.Thread(target=self._run, args=(n,), daemon=True)
            for n in range(self.threads)
        ]
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        for worker in self._workers:
            worker.join(timeout=RETRY_WINDOW + 5)

    def failed(self) -> list[tuple[float, float, str | None]]:
        return [call for call in self.calls if call[2] is not None]

    def longest_outage(self) -> float:
        """Longest time from the start of a failed search to the end of the next
        search that succeeded (0 when none failed)."""
        calls = sorted(self.calls)
        longest, since = 0.0, None
        for began, ended, error in calls:
            if error is not None and since is None:
                since = began
            elif error is None and since is not None:
                longest, since = max(longest, ended - since), None
        return longest


def _index_versions(alias: str) -> dict[str, int]:
    engine = search_engine()
    engine.index_refresh(name=alias)
    answer = engine.search(
        index=alias, body={"size": 10000, "version": True, "_source": False}
    )
    return {hit["_id"]: hit["_version"] for hit in answer["hits"]["hits"]}


def _round(known: list[str], rnd: random.Random) -> None:
    """One round of editing: three new records and two updates of known ones."""
    made = records_publish(
        items=[PublishItem(kind="dataset", body=body_for("dataset")) for _ in range(3)]
    )
    known += [stored.record_id for stored in made]
    for record_id in rnd.sample(known, 2):
        record_publish(
            kind="dataset",
            record_id=record_id,
            body=body_for("dataset", title=f"Set bijgewerkt {rnd.random():.6f}"),
        )


def test_every_node_joined_and_loads_the_knn_plugin(cluster) -> None:
    # when the status of the cluster is asked for
    status = _search_node("status", f"--data-dir={cluster.data_dir}")
    # then it reports the three nodes, joined, healthy
    assert status.returncode == 0, status.stderr
    assert status.stdout.count("running=True") == NODES
    assert "joined=3" in status.stdout
    # and each node runs the k-NN plugin (the vectors' field type)
    plugins = requests.get(
        f"{cluster.urls()[0]}/_cat/plugins", params={"format": "json"}, timeout=10
    ).json()
    knn = {row["name"] for row in plugins if row["component"].endswith("KNNPlugin")}
    assert knn == {f"node-{i}" for i in cluster.plan.indices()}


@pytest.fixture
def on_cluster(cluster, settings) -> Iterator[Cluster]:
    """This hub's settings point at every node of the cluster, replicas auto."""
    settings.SEARCH_URL = ",".join(cluster.urls())
    settings.SEARCH_INDEX_ALIAS = f"cluster-{uuid.uuid4().hex[:8]}"
    settings.SEARCH_INDEX_REPLICAS = None
    settings.SEARCH_RETRIES = None
    settings.SEARCH_TIMEOUT = TIMEOUT
    engine_module.search_engine.cache_clear()
    yield cluster
    engine_module.search_engine.cache_clear()


def test_a_killed_node_loses_no_update_and_searches_fail_over(
    db, on_cluster, settings
) -> None:
    cluster = on_cluster
    rnd = random.Random(18)
    # given an index on the three nodes with the records of a few rounds: one
    # primary and one replica, the cluster green
    known: list[str] = []
    for _ in range(5):
        _round(known, rnd)
    index = index_drain()
    assert index.backlog == 0
    health = cluster.health(wait_for="green", timeout=60)
    assert (health["status"], health["number_of_nodes"]) == ("green", NODES)
    assert (health["active_primary_shards"], health["active_shards"]) == (1, 2)
    (physical,) = search_engine().alias_targets(alias=settings.SEARCH_INDEX_ALIAS)
    victim = cluster.node_of_primary(physical)
    manager = cluster.manager()
    drains_failed = 0
    timings: dict[str, float] = {"cluster_start_s": round(cluster.started_in, 1)}
    with Searches() as searches:
        # when the node with the primary is killed while records are published
        # and drained and searches run
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            _round(known, rnd)
            index_drain()
        killed_at = time.monotonic()
        os.kill(cluster.pid(victim), signal.SIGKILL)
        restart: dict[str, Any] = {}

        def _restart() -> None:
            time.sleep(5)  # the cluster serves on two nodes meanwhile
            restart["began"] = time.monotonic()
            restart["answer"] = _search_node("start", f"--data-dir={cluster.data_dir}")
            restart["ended"] = time.monotonic()

        restarter = threading.Thread(target=_restart, daemon=True)
        restarter.start()
        # and editing goes on until the node is back
        while restarter.is_alive():
            _round(known, rnd)
            try:
                index_drain()
            except SearchError:
                drains_failed += 1
            time.sleep(0.25)
        restarter.join()
        green = cluster.health(wait_for="green", timeout=90)
        timings["green_after_kill_s"] = round(time.monotonic() - killed_at, 1)
    # then the restart worked and the cluster is whole and green again
    assert restart["answer"].returncode == 0, restart["answer"].stderr
    timings["restart_s"] = round(restart["ended"] - restart["began"], 1)
    assert (green["status"], green["number_of_nodes"]) == ("green", NODES)
    # and searches ran while the node was down, and none failed for longer than
    # one call's retry window
    while_down = [c for c in searches.calls if killed_at <= c[0] <= restart["ended"]]
    assert len(while_down) >= 10
    outage = searches.longest_outage()
    assert outage <= RETRY_WINDOW, searches.failed()[:5]
    # (none failed at all: a copy of the shard lived on, and a call that met
    # the dead node went on to a live one)
    assert searches.failed() == []
    # and after the outbox is drained, every record is in the index at its last
    # version: no update was lost
    while index_drain().backlog:
        pass
    store = dict(StoredRecord.objects.values_list("record_id", "version"))
    assert _index_versions(settings.SEARCH_INDEX_ALIAS) == store
    assert len(store) == len(set(known)) > 30
    report = {
        **timings,
        "victim": f"node-{victim}",
        "victim_was_manager": victim == manager,
        "searches": len(searches.calls),
        "searches_while_down": len(while_down),
        "slowest_search_s": round(max(end - began for began, end, _ in while_down), 2),
        "searches_failed": len(searches.failed()),
        "longest_outage_s": round(outage, 2),
        "drains_failed": drains_failed,
        "records": len(store),
        "rss_mib": cluster.rss_mib(),
    }
    print(json.dumps(report))
