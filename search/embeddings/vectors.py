"""The vector field of the shared index and the k-NN query, per engine flavour.

OpenSearch (with the k-NN plugin) stores vectors in a ``knn_vector`` field of an
index created with ``index.knn: true``; only the ``lucene`` engine is used (the
embedded node has no native faiss/nmslib libraries). Elasticsearch 9 has
``dense_vector`` natively and no ``index.knn`` setting. Both index an HNSW graph
with cosine similarity and take a ``knn`` query clause that applies filters
inside the approximate search (so filtered results still fill ``k``).

A document holds ``embedding`` (the vector), ``embeddingModel`` (the model id
that made it) and ``embeddingHash`` (the hash of the embedded text). The index
records the model it is filled with in its mapping's ``_meta``
(``embeddingModel``); vectors of another model are never written into it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from elasticsearch.dsl import DenseVector, Field, Keyword

from search.embeddings.encoders import encoder_dimensions, encoder_model_id

VECTOR_FIELD = "embedding"
MODEL_FIELD = "embeddingModel"
HASH_FIELD = "embeddingHash"
META_MODEL_KEY = "embeddingModel"


class KnnVector(Field):
    """OpenSearch's ``knn_vector`` field type (the k-NN plugin's)."""

    name = "knn_vector"


def vector_fields(*, engine: str) -> dict[str, Any]:
    """The mapping fields for vectors of the configured encoder; {} when off."""
    dimensions = encoder_dimensions()
    if dimensions is None:
        return {}
    if engine == "elasticsearch":
        vector: Any = DenseVector(dims=dimensions, index=True, similarity="cosine")
    else:
        vector = KnnVector(
            dimension=dimensions,
            method={"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"},
        )
    return {VECTOR_FIELD: vector, MODEL_FIELD: Keyword(), HASH_FIELD: Keyword()}


def vector_index_settings(*, engine: str) -> dict[str, Any]:
    """Index settings the vector field needs on ``engine``."""
    if encoder_dimensions() is None or engine == "elasticsearch":
        return {}
    return {"knn": True}


def vector_meta() -> dict[str, Any]:
    """The index mapping's ``_meta`` entry naming the model that fills it."""
    return {META_MODEL_KEY: encoder_model_id()}


def knn_clause(
    *,
    engine: str,
    vector: Sequence[float],
    k: int,
    filters: Sequence[dict[str, Any]] = (),
    model_id: str | None = None,
) -> dict[str, Any]:
    """A query clause for the ``k`` nearest documents to ``vector`` among those
    matching every clause of ``filters`` (applied during the graph search);
    with ``model_id``, only vectors of that model (a rebuild may have copied
    another model's vectors that are not replaced yet)."""
    values = [float(value) for value in vector]
    if model_id is not None:
        filters = [*filters, {"term": {MODEL_FIELD: model_id}}]
    if engine == "elasticsearch":
        clause: dict[str, Any] = {
            "field": VECTOR_FIELD,
            "query_vector": values,
            "k": k,
            "num_candidates": max(2 * k, 100),
        }
        if filters:
            clause["filter"] = list(filters)
        return {"knn": clause}
    inner: dict[str, Any] = {"vector": values, "k": k}
    if filters:
        inner["filter"] = {"bool": {"filter": list(filters)}}
    return {"knn": {VECTOR_FIELD: inner}}


def index_embedding_model(*, engine: Any) -> str | None:
    """The model id the shared index is filled with (None: an index made without
    vectors). ``engine`` is a ``search.engine.SearchEngine``."""
    from search.index import index_alias

    return engine.mapping_meta(index=index_alias()).get(META_MODEL_KEY)
