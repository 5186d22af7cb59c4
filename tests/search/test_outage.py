"""With the engine stopped, changes wait in the outbox; when it is
back, one drain brings the index to exactly the published state.

Runs a second embedded OpenSearch node of its own, so stopping it disturbs no
other test.
"""

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from federation.models import StoredRecord
from federation.services.store import (
    PublishItem,
    record_publish,
    record_tombstone,
    records_publish,
)
from search import embedded_node
from search import engine as engine_module
from search.engine import SearchUnavailable, search_engine
from search.indexing import index_drain
from search.models import IndexWatermark
from search.queries import catalogue_search
from search.types import SearchParams
from tests.conftest import free_port
from tests.federation.factories import body_for


class Node:
    """A private embedded node that the test can stop and start again."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()

    def start(self) -> str:
        status = embedded_node.node_start(port=self.port, data_dir=self.data_dir)
        engine_module.search_engine.cache_clear()
        return status.url

    def stop(self) -> None:
        embedded_node.node_stop(data_dir=self.data_dir)


@pytest.fixture
def node(tmp_path) -> Iterator[Node]:
    node = Node(tmp_path / "node")
    url = node.start()
    alias = f"outage-{uuid.uuid4().hex[:8]}"
    with override_settings(SEARCH_URL=url, SEARCH_INDEX_ALIAS=alias):
        try:
            yield node
        finally:
            node.stop()
            engine_module.search_engine.cache_clear()


def _index_state(alias: str) -> dict[str, tuple[int, bool]]:
    engine = search_engine()
    engine.index_refresh(name=alias)
    answer = engine.search(
        index=alias, body={"size": 1000, "version": True, "_source": ["deleted"]}
    )
    return {
        hit["_id"]: (hit["_version"], hit["_source"]["deleted"])
        for hit in answer["hits"]["hits"]
    }


def test_changes_wait_in_the_outbox_while_the_engine_is_down(db, node, settings):
    # given 20 records in the index
    before = records_publish(
        items=[PublishItem(kind="project", body=body_for("project")) for _ in range(20)]
    )
    assert index_drain().watermark == before[-1].seq
    indexed_seq = before[-1].seq
    # when the engine stops and 100 publishes happen meanwhile: 90 new records,
    # 6 updates and 4 tombstones of indexed ones
    node.stop()
    records_publish(
        items=[
            PublishItem(kind="dataset", body=body_for("dataset", title=f"Set {n}"))
            for n in range(90)
        ]
    )
    for stored in before[:6]:
        record_publish(
            kind="project",
            record_id=stored.record_id,
            body=body_for("project", name="Parkeerscan, bijgewerkt"),
        )
    for stored in before[6:10]:
        record_tombstone(record_id=stored.record_id)
    # then a drain fails and keeps everything: the watermark does not move
    with pytest.raises(SearchUnavailable):
        index_drain()
    mark = IndexWatermark.objects.get()
    assert (mark.indexed_seq, mark.lease_owner) == (indexed_seq, "")
    assert mark.last_error.startswith("SearchUnavailable")
    assert StoredRecord.objects.filter(seq__gt=indexed_seq).count() == 100
    # when the engine is back (same data) and the drain runs again
    node.start()
    result = index_drain()
    # then the index holds exactly the published state
    store = {
        record_id: (version, deleted)
        for record_id, version, deleted in StoredRecord.objects.values_list(
            "record_id", "version", "deleted"
        )
    }
    assert _index_state(settings.SEARCH_INDEX_ALIAS) == store
    assert len(store) == 110
    assert (result.written, result.stale, result.failed, result.backlog) == (
        100,
        0,
        0,
        0,
    )
    live = catalogue_search(params=SearchParams(size=1, facets=("kinds",)))
    assert live.total == 106
    assert {b.value: b.count for b in live.facets["kinds"]} == {
        "dataset": 90,
        "project": 16,
    }
    updated = catalogue_search(params=SearchParams(text="bijgewerkt", size=10))
    assert sorted(hit.id for hit in updated.hits) == sorted(
        stored.record_id for stored in before[:6]
    )
