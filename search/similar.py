"""Similar records: the nearest records to one record's stored vector.

``records_similar(*, record_id, size=10) -> list[SearchHit]`` asks k-NN with the
record's own ``embedding`` (when it has one of the index's model), so a record
finds its kin in any language; a record without a vector yet (just published,
encoder off) falls back to more-like-this over its texts. The record itself is
never among the answers, nor are deleted records.
"""

from __future__ import annotations

from typing import Any

from elasticsearch.dsl import Search

from search.embeddings.vectors import MODEL_FIELD, VECTOR_FIELD, knn_clause
from search.engine import SearchEngine, search_engine
from search.queries import SOURCE, alias_search, search_hit
from search.types import SearchHit

# More-like-this compares the language-neutral texts: the per-language copies
# hold the same words again, and would double its work.
SIMILAR_FIELDS = ["title", "summary", "description", "expertise"]
MAX_SIMILAR = 50


def records_similar(
    *, record_id: str, size: int = 10, engine: SearchEngine | None = None
) -> list[SearchHit]:
    """Records like ``record_id``, itself excluded; [] when the record is not
    in the index (module docstring)."""
    engine = engine or search_engine()
    size = max(1, min(size, MAX_SIMILAR))
    own = alias_search(
        engine,
        {
            "size": 1,
            "query": {"ids": {"values": [record_id]}},
            "_source": [VECTOR_FIELD, MODEL_FIELD],
        },
    )["hits"]["hits"]
    if not own:
        return []
    source = own[0].get("_source") or {}
    if source.get(VECTOR_FIELD):
        body = _nearest_body(engine, record_id, source, size)
    else:
        body = _more_like_this_body(record_id, size)
    answer = alias_search(engine, body)
    return [search_hit(raw, near=None) for raw in answer["hits"]["hits"]]


def _nearest_body(
    engine: SearchEngine, record_id: str, source: dict[str, Any], size: int
) -> dict[str, Any]:
    filters: list[dict[str, Any]] = [
        {"term": {"deleted": False}},
        {"bool": {"must_not": [{"ids": {"values": [record_id]}}]}},
    ]
    return {
        "size": size,
        "_source": [*SOURCE],
        "query": knn_clause(
            engine=engine.name,
            vector=source[VECTOR_FIELD],
            k=size,
            filters=filters,
            model_id=source.get(MODEL_FIELD),
        ),
    }


def _more_like_this_body(record_id: str, size: int) -> dict[str, Any]:
    search = (
        Search()
        .query(
            "more_like_this",
            fields=SIMILAR_FIELDS,
            like=[{"_id": record_id}],
            min_term_freq=1,
            min_doc_freq=1,
            max_query_terms=30,
            minimum_should_match="20%",
        )
        .filter("term", deleted=False)
        .source([*SOURCE])
        .extra(size=size)
    )
    return search.to_dict()
