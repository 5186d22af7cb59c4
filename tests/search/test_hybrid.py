"""Hybrid ranking on the real node with the k-NN plugin (search.hybrid through
search.queries.catalogue_search), the tuned text query, and similar records by
vector (search.similar)."""

import logging

import pytest
from django.test import override_settings

from search import queries
from search.embeddings import encoders
from search.embeddings.fill import embeddings_fill
from search.engine import search_engine
from search.hits import search_hit
from search.hybrid import WINDOW, K, vector_scores, window_cursor
from search.index import index_alias
from search.queries import catalogue_search, search_body
from search.similar import records_similar
from search.types import SearchParams
from tests.search.corpus import index_all, wire

pytestmark = pytest.mark.django_db


def _en(name: str, summary: str, **body) -> dict:
    return wire(hub="nl", language="en", name=name, shortDescription=summary, **body)


@pytest.fixture(scope="module")
def corpus(search_alias, django_db_setup, django_db_blocker):
    """English and Dutch projects with vectors (the fill step, live encoder)."""
    records = {
        "faces": _en(
            "Facial recognition at the airport",
            "Cameras match travellers' faces against their passport photos.",
        ),
        "faces_police": _en(
            "Police facial recognition",
            "Live face recognition finds wanted persons in crowds.",
            themes=["public-order"],
        ),
        "waste": _en(
            "Waste management with sensors",
            "Smart containers report when they are full; trucks plan routes.",
        ),
        "water": _en(
            "Water management of the polders",
            "Pumps and sluices keep the water level; management by forecasts.",
        ),
        "building": _en(
            "Smart building energy",
            "Sensors in the building save heating.",
        ),
        "enigma": _en(
            "DE-ENIGMA robots for autistic children",
            "A robot helps children with autism learn emotions.",
        ),
        "dutch": wire(
            hub="nl",
            language="nl",
            name="Afvalinzameling met slimme containers",
            shortDescription="Containers melden wanneer ze vol zijn.",
        ),
    }
    engine = search_engine()
    index_all(engine, list(records.values()))
    with override_settings(HUB_SLUG="nl"), django_db_blocker.unblock():
        while embeddings_fill(engine=engine, seconds=300).candidates:
            pass
    engine.index_refresh(name=search_alias)
    return records


def _names(corpus, hits) -> list[str]:
    names = {record["id"]: name for name, record in corpus.items()}
    return [names[hit.id] for hit in hits]


def _search(text: str, **params):
    return catalogue_search(
        params=SearchParams(text=text, facets=(), highlight=False, **params)
    )


@pytest.mark.parametrize(
    ("text", "never"),
    [
        ("Bildung", "building"),  # German "education", two edits from building
        ("gestion des déchets", "enigma"),  # "des" alone is not enough
    ],
)
def test_short_words_and_stop_words_never_fuzz_into_other_words(corpus, text, never):
    # given records titled "building" and "DE-ENIGMA", when searching lexically
    with override_settings(SEARCH_ENCODER="none"):
        results = _search(text)
    # then neither comes back by a fuzzy or stop-word match
    assert never not in _names(corpus, results.hits)


def test_a_typo_in_a_long_word_is_still_forgiven(corpus):
    with override_settings(SEARCH_ENCODER="none"):
        results = _search("facial recogniton")
    assert set(_names(corpus, results.hits)) == {"faces", "faces_police"}


def test_waste_management_needs_both_words(corpus):
    # when searching lexically for two words
    with override_settings(SEARCH_ENCODER="none"):
        results = _search("waste management")
    # then "management" alone (the water project) is not enough
    assert _names(corpus, results.hits) == ["waste"]


def test_a_dutch_query_finds_english_records_through_vectors(corpus):
    # given no Dutch record about faces, when searching in Dutch
    results = _search("gezichtsherkenning", size=2)
    # then the two English facial recognition projects come first
    assert set(_names(corpus, results.hits)) == {"faces", "faces_police"}
    # and lexically it finds nothing
    with override_settings(SEARCH_ENCODER="none"):
        assert _search("gezichtsherkenning").total == 0


def test_filters_apply_to_the_nearest_records_too(corpus):
    # when searching in German with a theme filter
    results = _search("Gesichtserkennung", themes=["public-order"])
    # then only the record with that theme is found, by vector or words
    assert _names(corpus, results.hits) == ["faces_police"]
    assert results.total == 1


def test_paging_through_a_hybrid_search_shows_every_record_once(corpus, monkeypatch):
    # given a fused window of 5 and all 7 records among the nearest
    monkeypatch.setattr(queries, "WINDOW", 5)
    monkeypatch.setattr(queries, "K", 7)
    # when paging with 2 hits a page
    first = _search("containers voor afval", size=2)
    seen, cursors, page = list(first.hits), [first.next_cursor], first
    while page.next_cursor:
        page = _search("containers voor afval", size=2, after=page.next_cursor)
        seen += page.hits
        cursors.append(page.next_cursor)
    # then the window comes in pages of 2, 2 and 1 (to its end), then the rest
    # in the engine's order; every record once
    ids = [hit.id for hit in seen]
    assert len(ids) == len(set(ids)) == first.total == 7
    assert cursors[:2] == [window_cursor(2), window_cursor(4)]
    assert cursors[2] is not None
    assert cursors[2] not in {window_cursor(n) for n in range(1, 5)}
    assert cursors[3:] == [None]
    assert _names(corpus, first.hits)[0] in {"dutch", "waste"}


def test_a_failing_encoder_gives_lexical_results(corpus, monkeypatch, caplog):
    # given an encoder that raises on queries
    def crash(self, text):
        raise RuntimeError("encoder crashed")

    monkeypatch.setattr(encoders.NumpyE5Encoder, "encode_query", crash)
    # when searching, on a first page and with a window cursor
    with caplog.at_level(logging.ERROR, logger="search.embeddings.query"):
        results = _search("waste management")
        later = _search("waste management", after=window_cursor(1))
    # then the answers are lexical, and the log says why
    assert _names(corpus, results.hits) == ["waste"]
    assert later.hits == []
    assert "encoder failed: encoder crashed" in caplog.text


def test_similar_records_are_the_nearest_by_vector_without_the_record(corpus):
    similar = records_similar(record_id=corpus["waste"]["id"], size=2)
    names = _names(corpus, similar)
    # the Dutch waste record is a neighbour across languages; never itself
    assert "waste" not in names
    assert "dutch" in names
    assert len(names) == 2


def test_the_similar_page_and_its_fragment_list_the_neighbours(corpus, client):
    # when the record page's fragment and the no-JS page are asked
    url = f"/search/similar/{corpus['waste']['id']}/"
    fragment = client.get(url, {"fragment": "1"})
    page = client.get(url)
    # then both list the Dutch neighbour, the fragment without the page around
    dutch = f'data-id="{corpus["dutch"]["id"]}"'
    assert fragment.status_code == page.status_code == 200
    assert dutch in fragment.text
    assert "<html" not in fragment.text
    assert dutch in page.text
    assert "<html" in page.text


def test_a_hybrid_page_has_the_scores_and_highlights_of_the_joined_query(corpus):
    # given a hybrid search with highlights
    params = SearchParams(text="afval containers", facets=(), size=3)
    results = catalogue_search(params=params)
    ids = [hit.id for hit in results.hits]
    # when the joined query (words and k-NN) is sent for the same records
    engine = search_engine()
    body = search_body(params=params, knn=queries._knn(params, engine), size=len(ids))
    body["query"] = {
        "bool": {"must": [body["query"]], "filter": [{"ids": {"values": ids}}]}
    }
    answer = engine.search(index=index_alias(), body=body)
    # then every hit carries that query's score and highlights
    expected = {
        raw["_id"]: (raw["_score"], search_hit(raw, near=None).highlights)
        for raw in answer["hits"]["hits"]
    }
    assert {hit.id: (hit.score, hit.highlights) for hit in results.hits} == expected
    assert len(ids) == 3
    assert any(hit.highlights for hit in results.hits)


def test_the_window_carries_the_vector_scores_of_a_plain_knn_search(corpus):
    # given the k-NN clause of a query, as the window joins it
    engine = search_engine()
    params = SearchParams(text="recycling bins", facets=(), highlight=False)
    knn = queries._knn(params, engine)
    assert knn is not None
    # when the window's joined search runs with named scores, and the k-NN
    # clause alone as a plain search
    body = search_body(params=params, knn=knn, size=WINDOW)
    window = queries.alias_search(engine, body, named_scores=True)["hits"]["hits"]
    alone = queries.alias_search(engine, {"size": K, "query": knn})["hits"]["hits"]
    # then the window holds every neighbour with its plain score, in its order
    from_window = vector_scores(window)
    assert list(from_window) == [hit["_id"] for hit in alone]
    for hit in alone:
        assert from_window[hit["_id"]] == pytest.approx(hit["_score"], rel=1e-5)
    # and a words-only hit has no vector score
    assert vector_scores([{"_id": "x", "_score": 3.0, "matched_queries": {}}]) == {}
