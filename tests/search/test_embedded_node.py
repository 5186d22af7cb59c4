"""Starts a real embedded OpenSearch node (search/embedded_node/) and stops it.

Needs Java 17+ and, the first time, Maven (to fetch the jars into
search/node/target/lib). No Django involved.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from search.embedded_node import (
    NodeStartError,
    node_start,
    node_status,
    node_stop,
)
from search.embedded_node import process as node_process


def _java_available() -> bool:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return True
    return shutil.which("java") is not None


pytestmark = pytest.mark.skipif(not _java_available(), reason="no Java installed")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _jvms_for(data_dir: Path) -> list[int]:
    """Pids of live processes whose command line mentions ``data_dir``."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if str(data_dir.resolve()) in cmdline and _pid_exists(int(proc.name)):
                pids.append(int(proc.name))
    return pids


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy


def _request(
    method: str, url: str, body: dict[str, Any] | None = None
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    try:
        with _OPENER.open(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def _tokens(url: str, text: str, **analysis: Any) -> list[str]:
    code, body = _request("POST", f"{url}/_analyze", {"text": text, **analysis})
    assert code == 200, body
    return [t["token"] for t in body["tokens"]]


@dataclass
class RunningNode:
    url: str
    pid: int
    port: int
    data_dir: Path


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningNode]:
    data_dir = tmp_path_factory.mktemp("search-node")
    port = _free_port()
    status = node_start(port=port, data_dir=data_dir, wait_seconds=180)
    assert status.pid is not None
    try:
        yield RunningNode(status.url, status.pid, port, data_dir)
    finally:
        node_stop(data_dir=data_dir)


def test_node_is_healthy(node: RunningNode) -> None:
    code, body = _request("GET", f"{node.url}/_cluster/health")
    assert code == 200
    assert body["status"] in ("green", "yellow")
    assert body["number_of_nodes"] == 1

    code, info = _request("GET", node.url)
    assert code == 200
    assert info["version"]["number"].startswith("2.19.")

    status = node_status(data_dir=node.data_dir, port=node.port)
    assert status.running
    assert status.healthy
    assert status.pid == node.pid
    assert (node.data_dir / "node.pid").read_text().strip() == str(node.pid)
    assert (node.data_dir / "logs" / "node.log").stat().st_size > 0


def test_start_is_idempotent(node: RunningNode) -> None:
    status = node_start(port=node.port, data_dir=node.data_dir)
    assert status.healthy
    assert status.pid == node.pid


def test_binds_loopback_only(node: RunningNode) -> None:
    code, body = _request("GET", f"{node.url}/_nodes/_local/http")
    assert code == 200
    (info,) = body["nodes"].values()
    for address in info["http"]["bound_address"]:
        assert address.startswith(("127.0.0.1:", "[::1]:")), address


def test_dutch_analyzer_index_and_search(node: RunningNode) -> None:
    url = node.url
    code, body = _request(
        "PUT",
        f"{url}/articles",
        {
            "settings": {
                "number_of_shards": 1,
                "number_of_replicas": 0,
                "analysis": {
                    "filter": {
                        "dutch_kp_stem": {"type": "stemmer", "language": "dutch_kp"}
                    },
                    "analyzer": {
                        "dutch_kp": {
                            "tokenizer": "standard",
                            "filter": ["lowercase", "dutch_kp_stem"],
                        }
                    },
                },
            },
            "mappings": {
                "properties": {
                    "title": {"type": "text", "analyzer": "dutch"},
                    "body": {"type": "text", "analyzer": "dutch_kp"},
                }
            },
        },
    )
    assert code == 200, body
    code, body = _request(
        "PUT",
        f"{url}/articles/_doc/1?refresh=true",
        {"title": "Boeken over zoeken", "body": "Nieuwe algoritmes voor zoeken"},
    )
    assert code in (200, 201), body

    # Built-in `dutch` analyzer (Lucene's Snowball Dutch stemmer).
    assert _tokens(url, "boeken", analyzer="dutch") == _tokens(
        url, "boek", analyzer="dutch"
    )
    # NB: Snowball Dutch leaves "algoritmes" unstemmed ("algoritme" -> "algoritm");
    # the Kraaij-Pohlmann stemmer (dutch_kp) conflates the two.
    code, body = _request(
        "POST",
        f"{url}/articles/_analyze",
        {"analyzer": "dutch_kp", "text": "algoritmes algoritme"},
    )
    assert code == 200, body
    first, second = (t["token"] for t in body["tokens"])
    assert first == second

    code, body = _request(
        "POST", f"{url}/articles/_search", {"query": {"match": {"title": "boek"}}}
    )
    assert code == 200, body
    assert body["hits"]["total"]["value"] == 1
    code, body = _request(
        "POST", f"{url}/articles/_search", {"query": {"match": {"body": "algoritme"}}}
    )
    assert body["hits"]["total"]["value"] == 1


def test_analysis_common_and_painless(node: RunningNode) -> None:
    url = node.url
    assert _tokens(url, "running", analyzer="english") == ["run"]
    assert _tokens(url, "Häuser", analyzer="german") == ["haus"]
    assert _tokens(url, "maisons", analyzer="french") == ["maison"]
    edge = {"type": "edge_ngram", "min_gram": 2, "max_gram": 4}
    assert _tokens(url, "zoeken", tokenizer="standard", filter=[edge]) == [
        "zo",
        "zoe",
        "zoek",
    ]
    code, body = _request(
        "POST",
        f"{url}/_scripts/painless/_execute",
        {"script": {"source": "params.a * 2", "params": {"a": 21}}},
    )
    assert code == 200, body
    assert body["result"] == "42"


def test_the_knn_plugin_indexes_vectors_with_the_lucene_engine(
    node: RunningNode,
) -> None:
    # given an index with a knn_vector field (lucene HNSW, cosine)
    url = f"{node.url}/knn-probe"
    vector = {
        "type": "knn_vector",
        "dimension": 2,
        "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"},
    }
    mappings = {"properties": {"v": vector, "tag": {"type": "keyword"}}}
    body = {"settings": {"index.knn": True}, "mappings": mappings}
    code, answer = _request("PUT", url, body)
    assert code == 200, answer
    for number, (v, tag) in enumerate(
        [([1, 0], "a"), ([0.9, 0.1], "b"), ([0, 1], "b")]
    ):
        _request("PUT", f"{url}/_doc/{number}?refresh=true", {"v": v, "tag": tag})
    # when asking for the nearest vector to (1, 0) among tag b
    knn = {"v": {"vector": [1, 0], "k": 1, "filter": {"term": {"tag": "b"}}}}
    code, answer = _request(
        "POST", f"{url}/_search", {"size": 1, "query": {"knn": knn}}
    )
    # then the nearest filtered document
    assert code == 200, answer
    assert [hit["_id"] for hit in answer["hits"]["hits"]] == ["1"]
    _request("DELETE", url)


def test_port_in_use_is_reported(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(NodeStartError, match="already in use"):
            node_start(port=port, data_dir=tmp_path, wait_seconds=5)
    assert not (tmp_path / "node.pid").exists()


def test_failed_start_kills_jvm_and_shows_log(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "opensearch.yml").write_text("no.such.setting: 1\n")
    children_before = set(node_process._CHILDREN)
    with pytest.raises(NodeStartError) as excinfo:
        node_start(port=_free_port(), data_dir=tmp_path, wait_seconds=120)
    assert "no.such.setting" in str(excinfo.value)  # tail of logs/node.log
    assert not (tmp_path / "node.pid").exists()
    assert set(node_process._CHILDREN) == children_before
    assert not _jvms_for(tmp_path)


def test_start_on_another_port_moves_the_node(tmp_path: Path) -> None:
    first = node_start(port=_free_port(), data_dir=tmp_path)
    assert first.pid is not None
    try:
        second = node_start(port=_free_port(), data_dir=tmp_path)
        assert second.healthy
        assert second.url != first.url
        assert second.pid != first.pid
        assert not _pid_exists(first.pid)
    finally:
        node_stop(data_dir=tmp_path)
    assert not _jvms_for(tmp_path)


def test_stop_leaves_no_jvm(node: RunningNode) -> None:
    assert _pid_exists(node.pid)
    assert node_stop(data_dir=node.data_dir) is True
    assert not _pid_exists(node.pid)
    assert not _jvms_for(node.data_dir)
    assert not (node.data_dir / "node.pid").exists()
    status = node_status(data_dir=node.data_dir, port=node.port)
    assert not status.running
    assert not status.healthy
    assert status.health is None
    # Stopping again is a no-op.
    assert node_stop(data_dir=node.data_dir) is False
