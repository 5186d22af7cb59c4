"""Hybrid ranking: the lexical query and approximate k-NN over sentence vectors,
fused by weighted reciprocal rank.

How a relevance search with text runs when vectors can serve
(``search.embeddings.query.query_vector`` gives a vector):

- The k-NN clause (``K`` nearest neighbours among the records that pass every
  filter of the search: scope, level, kind, facets, NUTS, radius; the filters sit
  inside the HNSW search, so filtered results still fill ``K``) joins the lexical
  query as a second ``should``. The engine's hits are the union: records that
  match the words, and the ``K`` nearest. Total and facet counts count that
  union.
- The joined clause is boosted by ``VECTOR_BOOST``: a neighbour's score is then
  above any lexical-only match, so the engine's first ``WINDOW`` hits hold all
  ``K`` neighbours and the best lexical matches.
- Those ``WINDOW`` hits are reordered by weighted reciprocal-rank fusion of their
  lexical rank and their vector rank (``fused_order``). The k-NN clause is named
  (``VECTOR_NAME``) and the engine returns each hit's score of it
  (``include_named_queries_score``): the vector scores, from which the lexical
  score is recovered, come with the window itself (a second k-NN search for
  them, side by side in an ``msearch``, cost a whole graph search more per
  query). The page's records and highlights are then read by id, with the
  window's scores: the k-NN search does not run again.
- Pages inside the window carry a window cursor (an offset into the fused
  order). Past the window the pager continues in the engine's order with
  ``search_after``: the engine's hits after its first ``WINDOW`` are exactly the
  records not shown yet, so every record appears once. A page that reaches the
  window's end may be shorter than asked (it still has a next cursor).

Without a vector (encoder off or failing, an index of another model, no text,
another sort order) the search is lexical only; a window cursor then becomes an
offset into the lexical order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from search.embeddings.vectors import VECTOR_FIELD
from search.types import SearchParamsInvalid, cursor_decode, cursor_encode

WINDOW = 100  # fused ranks; SearchParams.size is at most this
K = 50  # nearest neighbours joined into the results
VECTOR_BOOST = 100.0  # knn scores are in [0.5, 1]: boosted, they lead the engine order
RRF_K = 60
# Weights of the two ranks in the fusion. On the relevance set of
# tests/search/relevance, lexical:vector weights of 0.5:1, 1:1 and 2:1 (and
# RRF_K 20 or 60) differ by less than 0.01 nDCG@10 in every language: lexical
# ranks keep English precision, vector ranks bring the other languages.
LEXICAL_WEIGHT = 1.0
VECTOR_WEIGHT = 1.0
WINDOW_SORT = "window"
VECTOR_NAME = "vector"  # the joined k-NN clause's name: its score comes back per hit


def knn_joined(query: dict[str, Any] | None, knn: dict[str, Any]) -> dict[str, Any]:
    """``query`` or the boosted k-NN ``knn`` clause (a union of both)."""
    boosted = {"knn": dict(knn["knn"])}
    inner = boosted["knn"]
    named = {"boost": VECTOR_BOOST, "_name": VECTOR_NAME}
    if "field" in inner:  # Elasticsearch's form
        inner.update(named)
    else:
        inner[VECTOR_FIELD] = {**inner[VECTOR_FIELD], **named}
    if query is None:
        return boosted
    return {"bool": {"should": [query, boosted], "minimum_should_match": 1}}


def window_offset(after: str | None) -> int | None:
    """The offset of a window cursor; None for no cursor or an engine cursor
    (which ``search.types.cursor_decode`` checks)."""
    if not after:
        return None
    try:
        values = cursor_decode(after, sort=WINDOW_SORT)
    except SearchParamsInvalid:
        return None
    if not 0 < values[0] < WINDOW:
        raise SearchParamsInvalid("after: malformed cursor")
    return int(values[0])


def window_cursor(offset: int) -> str:
    """The cursor of the fused window's position ``offset``."""
    return cursor_encode(sort=WINDOW_SORT, values=[offset])


def vector_scores(hits: Sequence[dict[str, Any]]) -> dict[str, float]:
    """The unboosted k-NN scores of the hits the joined clause matched, by id,
    best first (from the engine's ``matched_queries`` scores)."""
    scores = {}
    for hit in hits:
        matched = hit.get("matched_queries")
        if isinstance(matched, dict) and VECTOR_NAME in matched:
            scores[hit["_id"]] = float(matched[VECTOR_NAME]) / VECTOR_BOOST
    return dict(sorted(scores.items(), key=lambda item: -item[1]))


def fused_order(
    hits: Sequence[dict[str, Any]], vector_scores: dict[str, float]
) -> list[dict[str, Any]]:
    """``hits`` (engine hits of the joined query, engine order) by weighted
    reciprocal-rank fusion; ``vector_scores`` are the unboosted k-NN scores by
    id, best first. A hit without lexical score has no lexical rank."""
    lexical = {
        hit["_id"]: (hit.get("_score") or 0.0)
        - VECTOR_BOOST * vector_scores.get(hit["_id"], 0.0)
        for hit in hits
    }
    lexical_ranks = {
        key: rank
        for rank, key in enumerate(
            sorted(
                (key for key, score in lexical.items() if score > 1e-4),
                key=lambda key: -lexical[key],
            ),
            start=1,
        )
    }
    vector_ranks = {key: rank for rank, key in enumerate(vector_scores, start=1)}

    def fused(position_hit: tuple[int, dict[str, Any]]) -> tuple[float, int]:
        position, hit = position_hit
        score = 0.0
        if hit["_id"] in lexical_ranks:
            score += LEXICAL_WEIGHT / (RRF_K + lexical_ranks[hit["_id"]])
        if hit["_id"] in vector_ranks:
            score += VECTOR_WEIGHT / (RRF_K + vector_ranks[hit["_id"]])
        return (-score, position)

    return [hit for _, hit in sorted(enumerate(hits), key=fused)]
