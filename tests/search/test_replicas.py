"""SEARCH_INDEX_REPLICAS at index creation and on the index that exists."""

from typing import Any

import requests
from django.core.management import call_command

from search.index import catalogue_index_body
from search.indexing import index_ensure
from search.replicas import index_replicas_apply


def _index_settings(search_url: str, index: str) -> dict[str, Any]:
    answer = requests.get(f"{search_url}/{index}/_settings", timeout=10)
    return answer.json()[index]["settings"]["index"]


def test_auto_expands_to_one_replica_and_a_number_is_fixed(settings):
    # given auto (the default), then a number
    settings.SEARCH_INDEX_REPLICAS = None
    auto = catalogue_index_body(engine="opensearch")["settings"]
    settings.SEARCH_INDEX_REPLICAS = 2
    fixed = catalogue_index_body(engine="elasticsearch")["settings"]
    # then
    assert auto["auto_expand_replicas"] == "0-1"
    assert "number_of_replicas" not in auto
    assert (fixed["auto_expand_replicas"], fixed["number_of_replicas"]) == ("false", 2)


def test_the_setting_is_applied_to_the_index_that_exists(
    fresh_alias, search_url, settings, capsys
):
    # given an index created with auto replicas on the single node: none
    settings.SEARCH_INDEX_REPLICAS = None
    index = index_ensure()
    before = _index_settings(search_url, index)
    assert (before["auto_expand_replicas"], before["number_of_replicas"]) == (
        "0-1",
        "0",
    )
    # when the setting becomes 1 and is applied
    settings.SEARCH_INDEX_REPLICAS = 1
    applied = index_replicas_apply()
    # then the index has one replica (unassigned on a single node) and no auto
    after = _index_settings(search_url, index)
    assert (after["auto_expand_replicas"], after["number_of_replicas"]) == (
        "false",
        "1",
    )
    assert (applied.index, applied.settings) == (
        index,
        {"auto_expand_replicas": "false", "number_of_replicas": 1},
    )
    # when auto is applied again through the command
    settings.SEARCH_INDEX_REPLICAS = None
    call_command("search", "replicas")
    # then it is back to none here, and the command says what it did
    again = _index_settings(search_url, index)
    assert (again["auto_expand_replicas"], again["number_of_replicas"]) == ("0-1", "0")
    assert capsys.readouterr().out.strip() == f"index={index} auto_expand_replicas=0-1"
