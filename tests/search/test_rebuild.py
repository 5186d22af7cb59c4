"""`hubnet search reindex` builds a new physical index and swaps the
alias while searches keep answering, without a single error or a missing record."""

import threading
import time

import pytest
from django.core.management import call_command

from federation.services.store import PublishItem, records_publish
from search.engine import SearchError, search_engine
from search.index import INDEX_VERSION, index_name_bootstrap, index_pattern
from search.indexing import index_drain, index_ensure, records_index
from search.queries import catalogue_search
from search.rebuild import index_rebuild
from search.types import SearchParams
from tests.federation.factories import body_for
from tests.search.corpus import tombstone, wire


class Searcher(threading.Thread):
    """Searches without pause until stopped; keeps every total and error."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.totals: list[int] = []
        self.errors: list[Exception] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        params = SearchParams(size=5, facets=("kinds",))
        while not self._stop_event.is_set():
            try:
                self.totals.append(catalogue_search(params=params).total)
            except Exception as error:  # every failure counts
                self.errors.append(error)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=30)


@pytest.fixture
def filled(db, search_alias):
    """40 own records (drained) and 30 other hubs' records only the index holds,
    5 of them deleted; returns the number of live records."""
    engine = search_engine()
    index_ensure(engine=engine)
    records_publish(
        items=[PublishItem(kind="project", body=body_for("project")) for _ in range(40)]
    )
    index_drain()
    others = [wire(hub="be", name=f"Vlaams project {n}") for n in range(30)]
    records_index(records=others + [tombstone(r) for r in others[:5]], refresh=True)
    engine.index_refresh(name=search_alias)
    return 65


def test_searches_keep_answering_while_the_index_is_rebuilt(filled, search_alias):
    # given searches running without pause
    engine = search_engine()
    (old,) = engine.alias_targets(alias=search_alias)
    searcher = Searcher()
    searcher.start()
    time.sleep(0.5)
    late = wire(hub="be", name="Laat Vlaams project")

    def meanwhile(line: str) -> None:
        # another hub writes through the alias while the copy is under way
        if line.startswith("copied"):
            records_index(records=[late])

    # when the index is rebuilt
    try:
        result = index_rebuild(progress=meanwhile, swap_grace_seconds=0.5)
        time.sleep(0.5)
    finally:
        searcher.stop()
    # then no search failed and none missed a record, before, during and after
    assert searcher.errors == []
    assert len(searcher.totals) > 20
    assert set(searcher.totals) <= {filled, filled + 1}
    # the alias moved to the new index, the old one is gone
    assert engine.alias_targets(alias=search_alias) == [result.new_index]
    assert result.new_index != old
    assert engine.index_exists(name=old) is False
    assert list(engine.indices_docs(pattern=index_pattern(alias=search_alias))) == [
        result.new_index
    ]
    # other hubs' records (and their tombstones) came along; so did the late one
    assert (result.copied, result.own_written, result.documents) == (70, 0, 71)
    assert result.caught_up >= 1
    assert catalogue_search(params=SearchParams(size=1)).total == filled + 1
    assert catalogue_search(params=SearchParams(text="laat")).total == 1


def test_a_rebuild_writes_the_stores_records_into_the_new_index(db, search_alias):
    # given own records this hub never drained (say, the index was lost)
    engine = search_engine()
    for name in engine.indices_docs(pattern=index_pattern(alias=search_alias)):
        engine.index_delete(name=name)
    records_publish(
        items=[PublishItem(kind="dataset", body=body_for("dataset")) for _ in range(3)]
    )
    # when rebuilding through the management command
    call_command("search", "reindex", "--json")
    # then the store's records are in the new index behind the alias
    (physical,) = engine.alias_targets(alias=search_alias)
    assert physical.startswith(f"{search_alias}-v{INDEX_VERSION}-2")
    assert physical != index_name_bootstrap(alias=search_alias)
    assert catalogue_search(params=SearchParams(size=1)).total == 3


def test_a_broken_alias_is_reported_not_written_through(db, search_alias):
    # given an alias over two indices (a half-done manual repair)
    engine = search_engine()
    index_ensure(engine=engine)
    stray = f"{search_alias}-v1-stray"
    engine.index_create(name=stray, body={"aliases": {search_alias: {}}})
    try:
        # when / then
        with pytest.raises(SearchError, match="points at several indices"):
            index_rebuild()
        with pytest.raises(SearchError, match="points at several indices"):
            index_drain()
    finally:
        engine.index_delete(name=stray)
