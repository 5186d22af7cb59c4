"""The engine adapter against the real OpenSearch node."""

import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from elasticsearch.dsl import Search

from search.engine import SearchUnavailable, engine_connect
from tests.conftest import free_port


@pytest.fixture
def engine(search_url):
    adapter = engine_connect(engine="opensearch", url=search_url, timeout=30)
    yield adapter
    adapter.close()


@pytest.fixture
def index_name(engine):
    name = f"test-{uuid.uuid4().hex[:10]}"
    engine.index_create(
        name=name,
        body={
            "settings": {"number_of_shards": 1, "number_of_replicas": 0},
            "mappings": {
                "properties": {
                    "title": {"type": "text", "analyzer": "dutch"},
                    "kind": {"type": "keyword"},
                }
            },
        },
    )
    yield name
    engine.index_delete(name=name)


def test_write_and_find_a_document(engine, index_name):
    # given
    engine.document_put(
        index=index_name,
        doc_id="eu:project:1",
        document={"title": "Boeken over algoritmes", "kind": "project"},
        refresh=True,
    )
    # when: the body is built with elasticsearch.dsl and sent as a dict
    body = Search().query("match", title="boek").filter("term", kind="project")
    answer = engine.search(index=index_name, body=body.to_dict())
    # then
    hits = answer["hits"]["hits"]
    assert [hit["_id"] for hit in hits] == ["eu:project:1"]


def test_external_version_ignores_stale_writes(engine, index_name):
    assert (
        engine.document_put(
            index=index_name, doc_id="a", document={"title": "v2"}, version=2
        )
        == "created"
    )
    stale = engine.document_put(
        index=index_name, doc_id="a", document={"title": "v1"}, version=1
    )
    assert stale == "stale"
    assert engine.document_get(index=index_name, doc_id="a")["_source"] == {
        "title": "v2"
    }


def test_bulk_counts_stale_items(engine, index_name):
    engine.document_put(
        index=index_name, doc_id="a", document={"title": "x"}, version=5
    )
    result = engine.bulk(
        operations=[
            {
                "index": {
                    "_index": index_name,
                    "_id": "a",
                    "version": 3,
                    "version_type": "external",
                }
            },
            {"title": "old"},
            {
                "index": {
                    "_index": index_name,
                    "_id": "b",
                    "version": 1,
                    "version_type": "external",
                }
            },
            {"title": "new"},
        ],
        refresh=True,
    )
    assert (result.succeeded, result.stale, result.failed) == (1, 1, [])
    assert engine.count(index=index_name) == 2


def test_alias_swap_is_atomic(engine, index_name):
    alias = f"{index_name}-alias"
    engine.aliases_update(actions=[{"add": {"index": index_name, "alias": alias}}])
    assert engine.alias_targets(alias=alias) == [index_name]
    assert engine.alias_targets(alias="no-such-alias") == []


def test_health_of_the_real_node(engine):
    health = engine.health()
    assert health.ok is True
    assert health.engine == "opensearch"
    assert health.version.startswith("2.19")


def test_unreachable_engine_is_reported_not_raised():
    adapter = engine_connect(engine="opensearch", url="http://127.0.0.1:1", timeout=2)
    health = adapter.health()
    assert (health.ok, health.status) == (False, "unreachable")
    with pytest.raises(SearchUnavailable):
        adapter.search(index="x", body={})


def test_elasticsearch_adapter_builds_with_same_interface():
    adapter = engine_connect(
        engine="elasticsearch", url="http://127.0.0.1:1", timeout=2
    )
    assert adapter.name == "elasticsearch"
    assert adapter.health().ok is False
    with pytest.raises(ValueError, match="Unknown search engine 'solr'"):
        engine_connect(engine="solr", url="http://127.0.0.1:1")


class _Unavailable(BaseHTTPRequestHandler):
    """A node that answers every request with 503 (leaving or overloaded)."""

    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "unavailable", "status": 503}')

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def unavailable_node() -> Iterator[str]:
    _Unavailable.hits = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_request_goes_on_to_the_next_node(search_url, index_name, unavailable_node):
    # given three nodes: one refuses connections, one answers 503, one works
    closed = f"http://127.0.0.1:{free_port()}"
    adapter = engine_connect(
        engine="opensearch", url=f"{closed},{unavailable_node},{search_url}", timeout=5
    )
    # when searched ten times
    answers = [adapter.count(index=index_name) for _ in range(10)]
    # then every call is answered, and the failing nodes were each tried once and
    # then set aside
    assert answers == [0] * 10
    assert _Unavailable.hits == 1
    adapter.close()


def test_retries_are_bounded(unavailable_node):
    # given no retries: the one failing answer is the caller's error at once
    adapter = engine_connect(
        engine="opensearch", url=f"{unavailable_node},{unavailable_node}", retries=0
    )
    with pytest.raises(SearchUnavailable):
        adapter.count(index="x")
    assert _Unavailable.hits == 1
    # given three nodes that all refuse connections and auto retries
    dead = ",".join(f"http://127.0.0.1:{free_port()}" for _ in range(3))
    adapter = engine_connect(engine="opensearch", url=dead, timeout=2)
    started = time.monotonic()
    # then a call fails after trying each once, well within its timeouts
    with pytest.raises(SearchUnavailable):
        adapter.count(index="x")
    assert time.monotonic() - started < 2
