"""A cluster of embedded nodes on this machine, one JVM per node.

One JVM per node (rather than the runner's several nodes in one JVM) so that one
node can die alone - killed, out of memory - while the others go on serving, as
in a real cluster. Node ``i`` (1-based) listens for HTTP on ``port + i - 1`` and
for its peers on ``transport_port + i - 1``; every node lists every transport
port as a seed host. Layout under ``data_dir``::

    cluster.json        the plan: nodes, port, transport_port
    node-<i>/           one node's own data dir (see ``search.embedded_node``)
"""

from __future__ import annotations

import json
import time
import urllib.error
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from search.embedded_node.build import _file_lock
from search.embedded_node.config import (
    CLUSTER_NAME,
    CLUSTER_STATE_NAME,
    HOST,
    MAX_NODES,
    ClusterMember,
    NodeError,
    NodeStartError,
    NodeStatus,
)
from search.embedded_node.lifecycle import node_start, node_status, node_stop
from search.embedded_node.process import _http_json, _log_tail, _paths


@dataclass(frozen=True)
class ClusterPlan:
    """How many nodes a cluster has and where they listen."""

    nodes: int
    port: int
    transport_port: int

    def __post_init__(self) -> None:
        if not 2 <= self.nodes <= MAX_NODES:
            raise NodeError(f"a cluster has 2 to {MAX_NODES} nodes, not {self.nodes}")
        for base, what in ((self.port, "port"), (self.transport_port, "transport")):
            if base < 1024 or base + self.nodes - 1 > 65535:
                raise NodeError(f"{what} ports {base}+{self.nodes} out of 1024-65535")
        if abs(self.port - self.transport_port) < self.nodes:
            raise NodeError("HTTP and transport ports of the nodes overlap")

    @property
    def cluster_name(self) -> str:
        # Named by its port: two clusters on one machine never merge.
        return f"{CLUSTER_NAME}-{self.port}"

    def member(self, index: int) -> ClusterMember:
        """The settings of node ``index`` (1-based)."""
        ports = range(self.transport_port, self.transport_port + self.nodes)
        return ClusterMember(
            name=f"node-{index}",
            cluster_name=self.cluster_name,
            transport_port=self.transport_port + index - 1,
            seed_hosts=tuple(f"{HOST}:{port}" for port in ports),
            initial_managers=tuple(f"node-{i}" for i in range(1, self.nodes + 1)),
        )

    def http_port(self, index: int) -> int:
        return self.port + index - 1

    def urls(self) -> list[str]:
        """The HTTP URLs of all nodes (what ``SEARCH_URL`` lists, comma-separated)."""
        return [f"http://{HOST}:{self.http_port(i)}" for i in self.indices()]

    def indices(self) -> range:
        return range(1, self.nodes + 1)


@dataclass
class ClusterStatus:
    """State of every node of a cluster, and the cluster's own health."""

    nodes: list[NodeStatus]
    health: str | None
    joined: int

    @property
    def running(self) -> bool:
        """True when every node's JVM runs."""
        return all(node.running for node in self.nodes)

    @property
    def healthy(self) -> bool:
        """True when every node runs and has joined, and health is green or yellow."""
        return (
            self.running
            and self.joined == len(self.nodes)
            and self.health in ("green", "yellow")
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-serialisable) including ``healthy``."""
        return {
            "nodes": [node.as_dict() for node in self.nodes],
            "health": self.health,
            "joined": self.joined,
            "healthy": self.healthy,
        }


def member_dir(data_dir: Path, index: int) -> Path:
    """The data dir of node ``index`` of the cluster in ``data_dir``."""
    return Path(data_dir).resolve() / f"node-{index}"


def cluster_plan_read(*, data_dir: Path) -> ClusterPlan | None:
    """The plan recorded in ``data_dir``, or None (a single node, or nothing)."""
    try:
        data = json.loads((Path(data_dir) / CLUSTER_STATE_NAME).read_text())
        return ClusterPlan(
            nodes=int(data["nodes"]),
            port=int(data["port"]),
            transport_port=int(data["transport_port"]),
        )
    except (OSError, ValueError, KeyError, TypeError, NodeError):
        return None


def _health(url: str, *, nodes: int, timeout: float = 3.0) -> tuple[str | None, int]:
    """(status, nodes joined) as one node sees its cluster; (None, 0) if silent."""
    query = f"wait_for_nodes={nodes}&wait_for_status=yellow&timeout=2s"
    try:
        _, body = _http_json(f"{url}/_cluster/health?{query}", timeout)
    except (OSError, urllib.error.URLError):
        return None, 0
    if not isinstance(body, dict) or not isinstance(body.get("status"), str):
        return None, 0
    return body["status"], int(body.get("number_of_nodes", 0))


def cluster_status(*, data_dir: Path) -> ClusterStatus:
    """Every node's status and the health that the first answering node reports."""
    plan = cluster_plan_read(data_dir=data_dir)
    if plan is None:
        raise NodeError(f"no cluster in {data_dir} ({CLUSTER_STATE_NAME} missing)")
    members = [
        node_status(data_dir=member_dir(data_dir, i), port=plan.http_port(i))
        for i in plan.indices()
    ]
    for node in members:
        if node.running:
            health, joined = _health(node.url, nodes=plan.nodes)
            if health is not None:
                return ClusterStatus(members, health, joined)
    return ClusterStatus(members, None, 0)


def cluster_start(
    *,
    nodes: int,
    port: int,
    data_dir: Path,
    transport_port: int | None = None,
    wait_seconds: float = 180,
) -> ClusterStatus:
    """Start the nodes that do not run and wait until all have joined the cluster.

    Idempotent, and the way back after a node died: running nodes are left
    alone, the others start again on their data (a restarted node rejoins and
    its shard copies recover). A cluster of another plan in ``data_dir`` is
    stopped first. ``transport_port`` defaults to ``port + 100``.
    """
    data_dir = Path(data_dir).resolve()
    plan = ClusterPlan(
        nodes=nodes,
        port=port,
        transport_port=port + 100 if transport_port is None else transport_port,
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    with _file_lock(data_dir / "cluster.lock"):
        recorded = cluster_plan_read(data_dir=data_dir)
        if recorded is not None and recorded != plan:
            _members_stop(data_dir, recorded, timeout=30)
        (data_dir / CLUSTER_STATE_NAME).write_text(json.dumps(asdict(plan)) + "\n")
        started = []
        for i in plan.indices():
            if not node_status(data_dir=member_dir(data_dir, i)).running:
                started.append(i)
            node_start(
                port=plan.http_port(i),
                data_dir=member_dir(data_dir, i),
                member=plan.member(i),
                wait=False,
            )
        return _wait_joined(data_dir, plan, wait_seconds, started=started)


def _wait_joined(
    data_dir: Path, plan: ClusterPlan, wait_seconds: float, *, started: list[int]
) -> ClusterStatus:
    deadline = time.monotonic() + wait_seconds
    while True:
        # Each node answers HTTP only once it has joined: ask every one of them.
        joined = [_health(url, nodes=plan.nodes) for url in plan.urls()]
        if all(count == plan.nodes for _, count in joined):
            status = cluster_status(data_dir=data_dir)
            if status.healthy:
                return status
        running = [
            node_status(data_dir=member_dir(data_dir, i)) for i in plan.indices()
        ]
        dead = [
            i
            for i, node in zip(plan.indices(), running, strict=True)
            if not node.running
        ]
        if dead or time.monotonic() >= deadline:
            break
        time.sleep(0.5)
    for i in started:  # never leave stray JVMs; nodes that ran before stay
        node_stop(data_dir=member_dir(data_dir, i), timeout=10)
    why = f"node {dead[0]} exited" if dead else f"not joined after {wait_seconds:.0f}s"
    failed = member_dir(data_dir, dead[0] if dead else 1)
    raise NodeStartError(
        f"cluster of {plan.nodes} nodes on port {plan.port} failed to start: {why}\n"
        f"--- last lines of {_paths(failed)['log']} ---\n"
        f"{_log_tail(_paths(failed)['log'])}"
    )


def _members_stop(data_dir: Path, plan: ClusterPlan, *, timeout: float) -> int:
    return sum(
        node_stop(data_dir=member_dir(data_dir, i), timeout=timeout)
        for i in plan.indices()
    )


def cluster_stop(*, data_dir: Path, timeout: float = 30) -> int:
    """Stop every node of the cluster in ``data_dir``; returns how many ran."""
    data_dir = Path(data_dir).resolve()
    plan = cluster_plan_read(data_dir=data_dir)
    if plan is None:
        return 0
    with _file_lock(data_dir / "cluster.lock"):
        return _members_stop(data_dir, plan, timeout=timeout)
