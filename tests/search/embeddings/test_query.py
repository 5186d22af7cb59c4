"""Query vectors: k-NN serves when it can, and otherwise says why and steps
aside so the search answers lexically."""

import logging

from django.test import override_settings

from search.embeddings import query as query_module
from search.embeddings.fill import embeddings_fill
from search.embeddings.query import query_vector
from search.embeddings.vectors import knn_clause
from tests.search.corpus import index_all, wire


def test_a_query_vector_finds_the_record_across_languages(
    db, fresh_alias, engine, switchable_encoder
):
    # given a Dutch record on facial recognition and one on waste, with vectors
    faces = wire(hub="nl", name="Gezichtsherkenning", shortDescription="Camera's.")
    waste = wire(hub="nl", name="Afvalinzameling", shortDescription="Containers.")
    index_all(engine, [faces, waste])
    embeddings_fill(engine=engine)
    engine.index_refresh(name=fresh_alias)
    # when searching in German with the query vector, on its model
    query = query_vector(text="Gesichtserkennung", engine=engine)
    clause = knn_clause(
        engine=engine.name, vector=query.vector, k=1, model_id=query.model_id
    )
    answer = engine.search(index=fresh_alias, body={"size": 1, "query": clause})
    # then
    assert [hit["_id"] for hit in answer["hits"]["hits"]] == [faces["id"]]


def test_a_failing_encoder_an_empty_query_or_no_encoder_give_no_query_vector(
    db, fresh_alias, engine, switchable_encoder, caplog
):
    # given an index of this model and an encoder that crashes
    index_all(engine, [wire(hub="nl")])
    switchable_encoder.failing = True
    original = switchable_encoder.encode_query

    def crash(self, text):
        raise RuntimeError("query encoder crashed")

    switchable_encoder.encode_query = crash
    try:
        with caplog.at_level(logging.WARNING, logger="search.embeddings.query"):
            assert query_vector(text="verkeer", engine=engine) is None
    finally:
        switchable_encoder.encode_query = original
    assert "k-NN off for this query: encoder failed: query encoder crashed" in (
        caplog.text
    )
    # and with the encoder off or an empty query, no vector either
    assert query_vector(text="   ", engine=engine) is None
    with override_settings(SEARCH_ENCODER="none"):
        assert query_vector(text="verkeer", engine=engine) is None


def test_a_repeated_query_is_encoded_once_and_a_failure_is_never_kept(
    db, fresh_alias, engine, switchable_encoder, monkeypatch
):
    # given an index of this model and an encoder that records its query texts
    index_all(engine, [wire(hub="nl")])
    encoded: list[str] = []
    real = switchable_encoder.encode_query

    def recording(self, text):
        encoded.append(text)
        if switchable_encoder.failing:
            raise RuntimeError("query encoder crashed")
        return real(self, text)

    monkeypatch.setattr(switchable_encoder, "encode_query", recording)
    # when one query is asked twice
    first = query_vector(text="verkeer", engine=engine)
    again = query_vector(text="verkeer", engine=engine)
    # then it is encoded once and the same vector comes back
    assert encoded == ["verkeer"]
    assert again == first
    # and a failure is not kept: the next ask encodes again
    switchable_encoder.failing = True
    assert query_vector(text="afval", engine=engine) is None
    switchable_encoder.failing = False
    assert query_vector(text="afval", engine=engine) is not None
    assert encoded == ["verkeer", "afval", "afval"]


def test_the_query_vector_cache_keeps_the_most_recent_queries_only(
    db, fresh_alias, engine, switchable_encoder, monkeypatch
):
    # given a cache of two vectors
    index_all(engine, [wire(hub="nl")])
    monkeypatch.setattr(query_module, "QUERY_VECTOR_CACHE", 2)
    encoded: list[str] = []
    real = switchable_encoder.encode_query

    def recording(self, text):
        encoded.append(text)
        return real(self, text)

    monkeypatch.setattr(switchable_encoder, "encode_query", recording)
    # when three queries are asked, "verkeer" again before "zorg" comes
    for text in ["verkeer", "afval", "verkeer", "zorg", "afval", "verkeer"]:
        query_vector(text=text, engine=engine)
    # then "zorg" pushed out the least recently asked ("afval", not the first
    # encoded), and "afval" coming back pushed out "verkeer"
    assert encoded == ["verkeer", "afval", "zorg", "afval", "verkeer"]
