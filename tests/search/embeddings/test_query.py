"""Query vectors: k-NN serves when it can, and otherwise says why and steps
aside so the search answers lexically."""

import logging

from django.test import override_settings

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
