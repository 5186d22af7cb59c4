"""A mapping change reaches the whole shared index through a rebuild: with
``INDEX_VERSION`` raised, ``index_rebuild`` writes a ``-v<N>-`` index with the
new mapping, and the engine analyses the copied documents anew, so the records
of other hubs (which this hub's store does not hold) are found by the new
analysis too."""

import pytest

from search import index as index_module
from search.engine import search_engine
from search.index import catalogue_index_body, index_name_bootstrap
from search.indexing import records_index
from search.queries import catalogue_search
from search.rebuild import index_rebuild
from search.types import SearchParams
from tests.search.corpus import wire


def _found(text: str) -> int:
    return catalogue_search(params=SearchParams(text=text, fuzzy=False)).total


def test_a_rebuild_applies_a_new_mapping_to_other_hubs_records(
    db, search_alias, monkeypatch
):
    # given a shared index built by an older mapping without the per-language
    # fields, holding a Dutch record of another hub
    engine = search_engine()
    old = index_name_bootstrap(alias=search_alias)
    body = catalogue_index_body(engine=engine.name)
    del body["mappings"]["properties"]["i18n"]
    body["aliases"] = {search_alias: {}}
    engine.index_create(name=old, body=body)
    other = wire(hub="be", language="nl", name="Wachttijden in ziekenhuizen")
    records_index(records=[other], refresh=True)
    assert _found("ziekenhuizen") == 1
    assert _found("ziekenhuis") == 0
    # when the mapping version is raised and the index rebuilt
    monkeypatch.setattr(index_module, "INDEX_VERSION", 2)
    result = index_rebuild(engine=engine, swap_grace_seconds=0)
    # then the alias points at a version-2 index, the old one is gone, and the
    # copied record is found by its Dutch stem
    (physical,) = engine.alias_targets(alias=search_alias)
    assert physical == result.new_index
    assert physical.startswith(f"{search_alias}-v2-")
    assert not engine.index_exists(name=old)
    assert _found("ziekenhuis") == 1


@pytest.fixture(autouse=True)
def _no_leftovers(search_alias):
    """Each test starts without an index behind this module's alias."""
    engine = search_engine()
    for name in engine.alias_targets(alias=search_alias):
        engine.index_delete(name=name)
