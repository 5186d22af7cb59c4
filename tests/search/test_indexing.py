"""Indexing through the outbox (the change sequence) into the real OpenSearch node:
drains, external versions, tombstones, refused items, the Celery task."""

import logging
import time
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from federation.models import StoredRecord
from federation.services.store import (
    PublishItem,
    record_publish,
    record_tombstone,
    records_publish,
)
from search import documents
from search import engine as engine_module
from search.engine import SearchUnavailable, search_engine
from search.index import INDEX_VERSION
from search.indexing import (
    index_drain,
    index_drain_enqueue,
    index_ensure,
    records_index,
)
from search.models import IndexWatermark
from search.queries import catalogue_search
from search.tasks import index_drain_task
from search.types import SearchParams
from tests.conftest import free_port
from tests.federation.factories import body_for, stored_record
from tests.search.corpus import tombstone, wire


def _index_state(engine) -> dict[str, tuple[int, bool]]:
    """Every document of the alias: id → (version, deleted)."""
    engine.index_refresh(name=_alias())
    answer = engine.search(
        index=_alias(),
        body={"size": 1000, "version": True, "_source": ["deleted"]},
    )
    return {
        hit["_id"]: (hit["_version"], hit["_source"]["deleted"])
        for hit in answer["hits"]["hits"]
    }


def _store_state() -> dict[str, tuple[int, bool]]:
    return {
        record_id: (version, deleted)
        for record_id, version, deleted in StoredRecord.objects.values_list(
            "record_id", "version", "deleted"
        )
    }


def _alias() -> str:
    from django.conf import settings

    return settings.SEARCH_INDEX_ALIAS


def test_the_drain_writes_every_change_and_moves_the_watermark(db, fresh_alias, engine):
    # given own publishes, an update, a tombstone and an applied peer record
    first, second, third = records_publish(
        items=[PublishItem(kind="project", body=body_for("project")) for _ in range(3)]
    )
    record_publish(
        kind="project",
        record_id=first.record_id,
        body=body_for("project", name="Parkeerscan 2"),
    )
    record_tombstone(record_id=second.record_id)
    peer = stored_record(origin="nl", kind="organisation")
    # when
    result = index_drain()
    # then: the index holds exactly the store's state, the backlog is empty
    assert _index_state(engine) == _store_state()
    assert _store_state()[first.record_id] == (2, False)
    assert _store_state()[second.record_id] == (2, True)
    assert (result.written, result.stale, result.failed) == (4, 0, 0)
    assert (result.watermark, result.backlog) == (peer.seq, 0)
    assert IndexWatermark.objects.get().indexed_seq == peer.seq
    live = catalogue_search(params=SearchParams(size=10))
    assert sorted(hit.id for hit in live.hits) == sorted(
        [first.record_id, third.record_id, peer.record_id]
    )


def test_a_second_drain_has_nothing_to_do(db, fresh_alias, engine):
    # given a drained store
    records_publish(items=[PublishItem(kind="dataset", body=body_for("dataset"))])
    index_drain()
    # when draining again, and once more after the watermark was lost
    again = index_drain()
    IndexWatermark.objects.update(indexed_seq=0)
    replay = index_drain()
    # then: nothing new; a replay is harmless (the engine has these versions)
    assert (again.pages, again.written) == (0, 0)
    assert (replay.written, replay.stale, replay.failed) == (0, 1, 0)


def test_a_stale_version_is_ignored(fresh_alias, engine):
    # given version 2 of a record in the index
    v1 = wire(hub="nl", name="Oud")
    v2 = {**wire(hub="nl", name="Nieuw", record_id=v1["id"]), "version": 2}
    index_ensure(engine=engine)
    records_index(records=[v2], refresh=True)
    # when version 1 arrives late (another hub wrote slower)
    result = records_index(records=[v1], refresh=True)
    # then it is refused as stale and version 2 stays
    assert (result.written, result.stale, result.failed) == (0, 1, [])
    stored = engine.document_get(index=fresh_alias, doc_id=v1["id"])
    assert (stored["_version"], stored["_source"]["title"]) == (2, "Nieuw")


def test_a_deleted_record_stays_deleted_when_a_stale_write_arrives_late(
    fresh_alias, engine
):
    # given an index whose engine forgets deletes after one second
    index_ensure(engine=engine, extra_settings={"index.gc_deletes": "1s"})
    record = wire(hub="nl", name="Weg ermee")
    gone = tombstone(record)
    records_index(records=[record, gone], refresh=True)
    # when the old version arrives well after gc_deletes has passed
    time.sleep(2.5)
    engine.index_refresh(name=fresh_alias)
    result = records_index(records=[record], refresh=True)
    # then the tombstone's version still refuses it: the record stays deleted
    assert (result.written, result.stale) == (0, 1)
    stored = engine.document_get(index=fresh_alias, doc_id=record["id"])
    assert (stored["_version"], stored["_source"]["deleted"]) == (2, True)
    assert catalogue_search(params=SearchParams(text="ermee")).total == 0


def test_the_engine_forgets_real_deletes_which_is_why_tombstones_are_documents(
    fresh_alias, engine
):
    # given the same story with a real delete instead of a tombstone document
    physical = index_ensure(engine=engine, extra_settings={"index.gc_deletes": "1s"})
    record = wire(hub="nl", name="Weg ermee")
    records_index(records=[record], refresh=True)
    assert engine.document_delete(index=physical, doc_id=record["id"], version=2) == (
        "deleted"
    )
    # when the old version arrives after gc_deletes
    time.sleep(2.5)
    engine.index_refresh(name=physical)
    records_index(records=[record], refresh=True)
    # then the engine took it: a delete would have been undone
    assert engine.document_get(index=physical, doc_id=record["id"])["_version"] == 1


def test_a_refused_change_keeps_the_watermark_below_it(
    db, fresh_alias, engine, monkeypatch
):
    # given five changes of which the engine refuses the third
    stored = records_publish(
        items=[PublishItem(kind="course", body=body_for("course")) for _ in range(5)]
    )
    refused = stored[2].record_id
    build = documents.document_build

    def broken(wire_record):
        document = build(wire_record)
        if wire_record["id"] == refused:
            document["trl"] = "not a number"  # the engine's mapper refuses it
        return document

    monkeypatch.setattr("search.indexing.document_build", broken)
    # when draining
    result = index_drain()
    # then the watermark stops just below the refused change, which is recorded
    mark = IndexWatermark.objects.get()
    assert (result.failed, result.watermark) == (1, stored[2].seq - 1)
    assert (mark.indexed_seq, mark.failing_seq) == (stored[2].seq - 1, stored[2].seq)
    assert mark.last_error.startswith(f"{refused} 400 mapper_parsing_exception")
    # when the cause is gone, the next drain sends it (and the rest again)
    monkeypatch.setattr("search.indexing.document_build", build)
    retry = index_drain()
    assert (retry.written, retry.stale, retry.failed) == (1, 2, 0)
    assert (retry.watermark, IndexWatermark.objects.get().failing_seq) == (
        stored[4].seq,
        None,
    )
    assert _index_state(engine) == _store_state()


def test_only_one_drain_runs_at_a_time(db, fresh_alias):
    # given a drain holding the lease
    from search.indexing import _lease_take

    assert _lease_take(owner="another-worker") is True
    records_publish(items=[PublishItem(kind="dataset", body=body_for("dataset"))])
    # when another drain starts
    result = index_drain()
    # then it steps aside and leaves the change for later
    assert (result.busy, result.pages, result.backlog) == (True, 0, 1)


def test_the_drain_task_retries_while_the_engine_is_down(db, settings, monkeypatch):
    # given an engine nobody answers on
    settings.SEARCH_URL = "http://127.0.0.1:1"
    engine_module.search_engine.cache_clear()
    calls = []

    def drain():
        calls.append(1)
        return index_drain()

    monkeypatch.setattr("search.tasks.index_drain", drain)
    records_publish(items=[PublishItem(kind="dataset", body=body_for("dataset"))])
    try:
        # when the task runs (eagerly, retries included)
        outcome = index_drain_task.apply()
    finally:
        engine_module.search_engine.cache_clear()
    # then it retried up to its limit and failed with SearchUnavailable,
    # leaving the change in the outbox
    assert outcome.failed()
    assert isinstance(outcome.result, SearchUnavailable)
    assert len(calls) == index_drain_task.max_retries + 1
    mark = IndexWatermark.objects.get()
    assert (mark.indexed_seq, mark.lease_owner) == (0, "")
    assert mark.last_error.startswith("SearchUnavailable: ConnectionError")
    assert index_drain_task.autoretry_for == (SearchUnavailable,)


def test_enqueue_runs_the_drain_after_commit(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    # given
    sent = []
    monkeypatch.setattr(index_drain_task, "delay", lambda: sent.append(1))
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        index_drain_enqueue()
        assert sent == []  # not before the commit
    # then
    assert (len(callbacks), sent) == (1, [1])


def test_status_and_drain_commands(db, fresh_alias, capsys):
    # given two changes not yet indexed
    records_publish(
        items=[PublishItem(kind="dataset", body=body_for("dataset")) for _ in range(2)]
    )
    # when
    call_command("search", "drain", "--json")
    drained = capsys.readouterr().out
    search_engine().index_refresh(name=fresh_alias)
    call_command("search", "status")
    status = capsys.readouterr().out
    # then
    assert '"written": 2' in drained
    assert (
        f"alias:      {fresh_alias} -> {fresh_alias}-v{INDEX_VERSION}-initial" in status
    )
    assert "backlog:    0 (indexed up to seq 2 of 2)" in status
    assert "records:    2 live, 0 deleted" in status
    assert f"index:      {fresh_alias}-v{INDEX_VERSION}-initial 2 docs" in status


@pytest.fixture
def broker_unreachable() -> Iterator[str]:
    """Point this process's Celery producer at a Redis port nobody listens on."""
    from hubnet.celery import app

    previous = app.conf.broker_write_url
    url = f"redis://127.0.0.1:{free_port()}/0"

    def reconnect(write_url: str | None) -> None:
        app.conf.broker_write_url = write_url
        app._pool = None
        app.amqp._producer_pool = None

    reconnect(url)
    try:
        yield url
    finally:
        reconnect(previous)


def test_a_catalogue_change_commits_when_the_broker_is_down(
    transactional_db, broker_unreachable, caplog
):
    # given a broker that cannot be reached
    caplog.set_level(logging.WARNING, logger="search.indexing")
    started = time.monotonic()
    # when publishing a record (its commit asks for a drain)
    (stored,) = records_publish(
        items=[PublishItem(kind="dataset", body=body_for("dataset"))]
    )
    elapsed = time.monotonic() - started
    # then the change is committed, the failed enqueue is a warning, and the
    # publish did not hang on the broker
    assert StoredRecord.objects.filter(record_id=stored.record_id).exists()
    warnings = [
        record
        for record in caplog.records
        if record.getMessage() == "could not enqueue an index drain"
    ]
    assert [record.levelno for record in warnings] == [logging.WARNING]
    assert warnings[0].exc_info is not None
    assert elapsed < 5, elapsed
    assert IndexWatermark.objects.filter(indexed_seq__gt=0).count() == 0
