"""The engine adapter against the real OpenSearch node."""

import uuid

import pytest
from elasticsearch.dsl import Search

from search.engine import SearchUnavailable, engine_connect


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
