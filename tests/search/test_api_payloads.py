"""The search API's answers built directly (search.api.payloads) are the
serializers' answers, key for key and value for value, on real engine answers:
text with highlights and facets, distances, an empty page, and partners."""

import json

import pytest

from search.api.payloads import partner_results_data, search_results_data
from search.api.serializers import PartnerResultsSerializer, SearchResultsSerializer
from search.partners import partners_find
from search.queries import catalogue_search
from search.types import SearchParams
from tests.search.faces import face_corpus_index

EINDHOVEN = (51.4416, 5.4697)


@pytest.fixture(scope="module")
def corpus(search_alias):
    return face_corpus_index()


def _same(built, serialized) -> None:
    # equal as data and rendered to the same JSON text (key order included)
    assert built == serialized
    assert json.dumps(built) == json.dumps(serialized)


@pytest.mark.parametrize(
    "params",
    [
        SearchParams(text="parkeerscan"),
        SearchParams(kinds=["project"], ai_act_classes=["high"], size=50),
        SearchParams(near=EINDHOVEN, radius_km=80, sort="distance", size=3),
        SearchParams(text="geen enkel resultaat xyzzy"),
    ],
    ids=["text", "facets", "distance", "empty"],
)
def test_a_search_page_is_the_serializers_page(corpus, params):
    # given a real answer of the engine
    results = catalogue_search(params=params)
    # when built directly and through the serializer
    built = search_results_data(results)
    serialized = SearchResultsSerializer(results).data
    # then both are the same
    _same(built, serialized)


def test_the_pages_tested_hold_what_could_differ(corpus):
    # highlights, a distance, a location, a cursor and selected buckets occur
    text = search_results_data(
        catalogue_search(params=SearchParams(text="parkeerscan"))
    )
    near = search_results_data(
        catalogue_search(
            params=SearchParams(near=EINDHOVEN, radius_km=80, sort="distance", size=3)
        )
    )
    assert text["hits"][0]["highlights"]["title"]
    assert text["hits"][0]["location"] is not None
    assert near["hits"][0]["distance_km"] is not None
    assert near["next_cursor"] is not None
    facets = search_results_data(
        catalogue_search(params=SearchParams(kinds=["project"]))
    )["facets"]
    assert any(bucket["selected"] for bucket in facets["kinds"])


def test_partners_are_the_serializers_partners(corpus):
    # given partners found near Eindhoven
    results = partners_find(need="vision", near=EINDHOVEN, minimum=2)
    assert results.matches
    # when built directly and through the serializer, then both are the same
    _same(partner_results_data(results), PartnerResultsSerializer(results).data)
