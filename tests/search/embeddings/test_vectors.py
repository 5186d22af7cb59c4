"""The vector field and the k-NN query on the real OpenSearch node (k-NN plugin,
lucene HNSW): filters apply inside the approximate search."""

import numpy as np
from django.conf import settings
from django.test import override_settings

from search.embeddings.encoders import encoder_get
from search.embeddings.fill import embeddings_fill
from search.embeddings.vectors import (
    META_MODEL_KEY,
    VECTOR_FIELD,
    index_embedding_model,
    knn_clause,
    vector_fields,
    vector_index_settings,
)
from search.index import catalogue_index_body
from tests.search.corpus import index_all, wire


def _texts() -> list[tuple[str, str, str]]:
    # (hub, title, summary): two facial recognition projects in two countries
    return [
        ("nl", "Gezichtsherkenning bij de politie", "Camera's herkennen gezichten."),
        ("be", "Reconnaissance faciale à la gare", "Des caméras reconnaissent."),
        ("nl", "Afvalinzameling met slimme containers", "Sensoren meten afval."),
        ("be", "Chatbot pour les impôts", "Un assistant répond aux citoyens."),
    ]


def test_a_knn_query_with_a_filter_returns_the_nearest_filtered_record(
    db, fresh_alias, engine, switchable_encoder
):
    # given four records with vectors (eu embeds them all after the grace)
    records = [
        wire(hub=hub, name=title, shortDescription=summary, language="nl")
        for hub, title, summary in _texts()
    ]
    index_all(engine, records)
    with override_settings(SEARCH_EMBED_GRACE=0, HUB_SLUG="eu"):
        assert embeddings_fill(engine=engine).written == 4
    engine.index_refresh(name=fresh_alias)
    query = encoder_get().encode_query("facial recognition")
    # when asking for the nearest record, unfiltered and only from the nl hub
    nearest = engine.search(
        index=fresh_alias,
        body={"size": 1, "query": knn_clause(engine="opensearch", vector=query, k=1)},
    )
    from_nl = engine.search(
        index=fresh_alias,
        body={
            "size": 2,
            "query": knn_clause(
                engine="opensearch",
                vector=query,
                k=2,
                filters=[{"term": {"origin": "nl"}}],
            ),
        },
    )
    # then: the French facial recognition record; from nl the Dutch one first
    assert nearest["hits"]["hits"][0]["_id"] == records[1]["id"]
    assert [hit["_id"] for hit in from_nl["hits"]["hits"]] == [
        records[0]["id"],
        records[2]["id"],
    ]
    assert index_embedding_model(engine=engine) == switchable_encoder.model_id_for(
        max_tokens=settings.SEARCH_EMBED_MAX_TOKENS
    )
    stored = engine.document_get(index=fresh_alias, doc_id=records[1]["id"])
    assert np.linalg.norm(stored["_source"][VECTOR_FIELD]) > 0.99


def test_elasticsearch_gets_a_dense_vector_and_its_own_knn_clause():
    # given the Elasticsearch flavour
    body = catalogue_index_body(engine="elasticsearch")
    clause = knn_clause(
        engine="elasticsearch", vector=[0.5, 0.5], k=3, filters=[{"term": {"a": 1}}]
    )
    # then: dense_vector (cosine, indexed), no index.knn, the knn query clause
    assert body["mappings"]["properties"][VECTOR_FIELD] == {
        "type": "dense_vector",
        "dims": 384,
        "index": True,
        "similarity": "cosine",
    }
    assert "knn" not in body["settings"]
    assert clause == {
        "knn": {
            "field": VECTOR_FIELD,
            "query_vector": [0.5, 0.5],
            "k": 3,
            "num_candidates": 100,
            "filter": [{"term": {"a": 1}}],
        }
    }


def test_without_an_encoder_the_index_has_no_vector_field():
    with override_settings(SEARCH_ENCODER="none"):
        body = catalogue_index_body(engine="opensearch")
        assert vector_fields(engine="opensearch") == {}
        assert vector_index_settings(engine="opensearch") == {}
    assert VECTOR_FIELD not in body["mappings"]["properties"]
    assert "knn" not in body["settings"]
    assert body["mappings"]["_meta"][META_MODEL_KEY] is None
