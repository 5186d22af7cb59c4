"""Queries over the shared index: search and suggestions.

The faces (REST, GraphQL, HTML) call these selectors and nothing below them::

    catalogue_search(*, params: SearchParams) -> SearchResults
    catalogue_suggest(*, prefix: str, size: int = 8, kinds=(), scope=None)
        -> list[Suggestion]

(types in ``search.types``; similar records: ``search.similar``; hybrid ranking
with k-NN: ``search.hybrid``). Every query goes through the alias and filters
``deleted: false`` (tombstones are documents, see ``search.indexing``). Bodies are
built with ``elasticsearch.dsl`` and sent as dicts through the engine adapter, so
they run unchanged on OpenSearch and Elasticsearch. Engine errors surface as
``search.engine.SearchUnavailable`` (down: answer 503) or ``SearchError``.

Deep paging uses ``search_after`` with the id as tiebreaker: a cursor names the
sort values of the last hit, so every page costs the same and each record appears
once while the index does not change under the pager.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from elasticsearch.dsl import Q, Search
from elasticsearch.dsl.query import Query

from search.embeddings.query import query_vector
from search.embeddings.vectors import knn_clause
from search.engine import SearchEngine, SearchNotFound, search_engine
from search.facets import facet_aggregations, facets_read
from search.hits import search_hit
from search.hybrid import (
    WINDOW,
    K,
    fused_order,
    knn_joined,
    vector_scores,
    window_cursor,
    window_offset,
)
from search.index import index_alias
from search.types import (
    BOOLEAN_FILTERS,
    FLAT_FACETS,
    SearchParams,
    SearchResults,
    Suggestion,
    cursor_decode,
    cursor_encode,
)

# Full-text fields and their boosts; i18n.* are the per-language analysed copies.
TEXT_QUERY_FIELDS = [
    "title^3",
    "i18n.*.title^3",
    "summary^2",
    "i18n.*.summary^2",
    "expertise^2",
    "description",
    "i18n.*.description",
    "organisation",
]
FUZZY_FIELDS = ["title^3", "expertise^2"]
# No edits below 5 characters, one up to 7, two from 8 (see _text_query); the
# first two characters must match.
FUZZINESS = "AUTO:5,8"
FUZZY_PREFIX = 2
MINIMUM_MATCH = "2<75%"
HIGHLIGHT = {"pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html"}
_WHOLE = {"number_of_fragments": 0}
_FRAGMENTS = {"fragment_size": 160, "number_of_fragments": 2}
HIGHLIGHT_FIELDS = {
    "title": _WHOLE,
    "i18n.*.title": _WHOLE,
    "summary": _FRAGMENTS,
    "i18n.*.summary": _FRAGMENTS,
    "description": _FRAGMENTS,
    "i18n.*.description": _FRAGMENTS,
}
SOURCE = ["record", "level"]


def catalogue_search(
    *, params: SearchParams, engine: SearchEngine | None = None
) -> SearchResults:
    """One page of records matching ``params``, with facets (module docstring);
    hybrid with k-NN when vectors can serve (``search.hybrid``)."""
    engine = engine or search_engine()
    offset = window_offset(params.after)
    knn = _knn(params, engine)
    if knn is not None and (params.after is None or offset is not None):
        return _window_page(params, engine, knn, offset or 0)
    # Past the window the joined query keeps the engine order of the window.
    lexical = replace(params, after=None) if offset is not None else params
    body = search_body(params=lexical, knn=knn)
    if offset:  # a window cursor while vectors are off: lexical ranks instead
        body["from"] = offset
    return search_results(alias_search(engine, body), params)


def search_results(answer: dict[str, Any], params: SearchParams) -> SearchResults:
    """``SearchResults`` from the engine's answer to ``search_body(params)``."""
    raw_hits = answer["hits"]["hits"]
    cursor = None
    if len(raw_hits) > params.size > 0:
        last = raw_hits[params.size - 1]["sort"]
        cursor = cursor_encode(sort=params.sort, values=last)
    return _results(params, answer, raw_hits[: params.size], cursor)


def _knn(params: SearchParams, engine: SearchEngine) -> dict[str, Any] | None:
    """The k-NN clause under the search's filters, or None: lexical only."""
    if not params.text or params.sort != "relevance" or not params.size:
        return None
    vector = query_vector(text=params.text, engine=engine)
    if vector is None:
        return None
    filters = [*_drill_filters(params), *_flat_filters(params).values()]
    return knn_clause(
        engine=engine.name,
        vector=vector.vector,
        k=K,
        filters=[clause.to_dict() for clause in filters],
        model_id=vector.model_id,
    )


def _window_page(
    params: SearchParams, engine: SearchEngine, knn: dict[str, Any], offset: int
) -> SearchResults:
    """A page of the fused window (``search.hybrid``): the window's ids, scores,
    total and facets, and the k-NN scores, in one request; then the page's
    records and highlights (reading and highlighting a whole window costs more
    than a round trip). The page's scores are the window's: the page request
    only reads records by id, without running the queries again."""
    window_params = replace(params, after=None, highlight=False)
    body = search_body(params=window_params, knn=knn, size=WINDOW)
    body["_source"] = False
    answer = alias_search(engine, body, named_scores=True)
    window = answer["hits"]["hits"]
    scores = vector_scores(window)
    end = offset + params.size
    page = fused_order(window, scores)[offset:end]
    cursor = None
    if end < len(window):
        cursor = window_cursor(end)
    elif answer["hits"]["total"]["value"] > len(window):
        cursor = cursor_encode(sort=params.sort, values=window[-1]["sort"])
    took = answer.get("took", 0)
    found: dict[str, dict[str, Any]] = {}
    if page:
        page_ids = [hit["_id"] for hit in page]
        page_body = search_body(
            params=replace(params, after=None, facets=()), size=len(page_ids)
        )
        # Highlights come from their own per-field queries (search_body), so a
        # lookup by id under the same filters highlights as the scoring query
        # would, without running the k-NN search again.
        filters = [clause.to_dict() for clause in _drill_filters(params)]
        page_body["query"] = {
            "bool": {"filter": [{"ids": {"values": page_ids}}, *filters]}
        }
        page_body.pop("sort", None)
        page_body["track_total_hits"] = False
        answer_page = alias_search(engine, page_body)
        found = {hit["_id"]: hit for hit in answer_page["hits"]["hits"]}
        took += answer_page.get("took", 0)
    answer["took"] = took
    hits = [
        {**found[hit["_id"]], "_score": hit["_score"]}
        for hit in page
        if hit["_id"] in found
    ]
    return _results(params, answer, hits, cursor)


def _results(
    params: SearchParams,
    answer: dict[str, Any],
    raw_hits: list[dict[str, Any]],
    cursor: str | None,
) -> SearchResults:
    return SearchResults(
        total=int(answer["hits"]["total"]["value"]),
        hits=[search_hit(raw, near=params.near) for raw in raw_hits],
        facets=facets_read(answer.get("aggregations", {}), params=params),
        next_cursor=cursor,
        took_ms=int(answer.get("took", 0)),
    )


def search_body(
    *,
    params: SearchParams,
    knn: dict[str, Any] | None = None,
    size: int | None = None,
) -> dict[str, Any]:
    """The request body of ``catalogue_search`` (exposed for benchmarks and
    debugging: the same body can be sent to the engine directly); ``knn`` joins
    a k-NN clause to the text query, ``size`` overrides the page size."""
    # One hit more than asked tells whether there is a next page.
    fetch = params.size + 1 if params.size else 0
    search = Search().extra(size=fetch if size is None else size)
    search = search.extra(track_total_hits=True).source([*SOURCE])
    if params.text:
        search = search.query(_text_query(params.text, fuzzy=params.fuzzy))
    for clause in _drill_filters(params):
        search = search.filter(clause)
    flat = _flat_filters(params)
    if flat:
        search = search.post_filter(Q("bool", filter=list(flat.values())))
    search = search.sort(*_sort(params))
    if params.after:
        search = search.extra(
            search_after=cursor_decode(params.after, sort=params.sort)
        )
    body = search.to_dict()
    aggregations = facet_aggregations(params=params, flat=flat)
    if aggregations:
        body["aggs"] = aggregations
    if params.highlight and params.text:
        # A plain match per field: highlighting with the scoring query (fuzzy
        # clauses, many fields) costs several times more. Written as a dict: a
        # builder call per field costs a copy of the whole search each.
        body["highlight"] = {
            **HIGHLIGHT,
            "fields": {
                field: {
                    "highlight_query": {
                        "multi_match": {"query": params.text, "fields": [field]}
                    },
                    **options,
                }
                for field, options in HIGHLIGHT_FIELDS.items()
            },
        }
    if knn is not None:
        body["query"] = knn_joined(body.get("query"), knn)
    return body


def catalogue_suggest(
    *,
    prefix: str,
    size: int = 8,
    kinds: tuple[str, ...] = (),
    scope: str | None = None,
    engine: SearchEngine | None = None,
) -> list[Suggestion]:
    """Titles that start like ``prefix`` (any word, typed so far), best first."""
    prefix = prefix.strip()[:100]
    if not prefix:
        return []
    engine = engine or search_engine()
    search = (
        Search()
        .query(
            "multi_match",
            query=prefix,
            type="bool_prefix",
            fields=["titleSuggest", "titleSuggest._2gram", "titleSuggest._3gram"],
        )
        .filter("term", deleted=False)
        .source(["id", "kind", "title", "origin"])
        .extra(size=max(1, min(size, 50)))
    )
    if kinds:
        search = search.filter("terms", kind=list(kinds))
    if scope:
        search = search.filter("term", originPath=scope)
    answer = alias_search(engine, search.to_dict())
    return [
        Suggestion(
            id=hit["_source"]["id"],
            kind=hit["_source"]["kind"],
            title=hit["_source"].get("title", ""),
            origin=hit["_source"]["origin"],
        )
        for hit in answer["hits"]["hits"]
    ]


def alias_search(
    engine: SearchEngine, body: dict[str, Any], *, named_scores: bool = False
) -> dict[str, Any]:
    """Send ``body`` to the alias; before the first hub wrote anything there is no
    alias yet, which is an empty catalogue, not an error."""
    try:
        return engine.search(index=index_alias(), body=body, named_scores=named_scores)
    except SearchNotFound:
        return {"took": 0, "hits": {"total": {"value": 0}, "hits": []}}


def _text_query(text: str, *, fuzzy: bool) -> Query:
    """The scoring query for ``text``.

    Every text field matches exactly (stemmed per language); most words must
    match (``MINIMUM_MATCH``: one or two words all, more 75%), so "waste
    management" is not any management. Typo tolerance applies to titles and
    expertise only, the short texts where typos in names and keywords matter
    most, and only to longer words (``FUZZINESS``, ``FUZZY_PREFIX``): a short
    word or a stop word ("des", "der") is never turned into another word, and
    "Bildung" never into "building". A phrase match on the title adds to the
    score.
    """
    matches = [
        Q(
            "multi_match",
            query=text,
            fields=TEXT_QUERY_FIELDS,
            type="best_fields",
            tie_breaker=0.3,
            minimum_should_match=MINIMUM_MATCH,
        )
    ]
    if fuzzy:
        matches.append(
            Q(
                "multi_match",
                query=text,
                fields=FUZZY_FIELDS,
                type="best_fields",
                fuzziness=FUZZINESS,
                prefix_length=FUZZY_PREFIX,
                max_expansions=20,
                minimum_should_match=MINIMUM_MATCH,
                boost=0.5,
            )
        )
    phrase = Q(
        "multi_match",
        query=text,
        fields=["title", "i18n.*.title"],
        type="phrase",
        boost=2,
    )
    return Q(
        "bool",
        must=[Q("bool", should=matches, minimum_should_match=1)],
        should=[phrase],
    )


def _drill_filters(params: SearchParams) -> list[Query]:
    """Filters that narrow results and facets alike."""
    clauses = [Q("term", deleted=False)]
    if params.scope:
        clauses.append(Q("term", originPath=params.scope))
    if params.nuts:
        clauses.append(Q("terms", nuts=list(params.nuts)))
    window = {
        bound: moment.isoformat()
        for bound, moment in (
            ("gt", params.indexed_after),
            ("lte", params.indexed_until),
        )
        if moment is not None
    }
    if window:
        clauses.append(Q("range", indexedAt=window))
    if params.near is not None and params.radius_km is not None:
        clauses.append(
            Q(
                "geo_distance",
                distance=f"{params.radius_km}km",
                location=params.near.as_dict(),
            )
        )
    return clauses


def params_filters(params: SearchParams) -> list[Query]:
    """Every filter ``params`` sets (text, scope, place and facet selections) as
    plain filter clauses: what a count over the same selection must apply."""
    clauses = [*_drill_filters(params), *_flat_filters(params).values()]
    if params.text:
        clauses.append(_text_query(params.text, fuzzy=params.fuzzy))
    return clauses


def _flat_filters(params: SearchParams) -> dict[str, Query]:
    """The multi-select facet filters that are set, by facet name."""
    clauses: dict[str, Query] = {}
    for name, field in FLAT_FACETS.items():
        if name == "trl":
            bounds = {
                key: value
                for key, value in (("gte", params.trl_min), ("lte", params.trl_max))
                if value is not None
            }
            if bounds:
                clauses[name] = Q("range", trl=bounds)
        elif name in BOOLEAN_FILTERS:
            if (value := getattr(params, name)) is not None:
                clauses[name] = Q("term", **{field: value})
        elif values := getattr(params, name):
            clauses[name] = Q("terms", **{field: list(values)})
    return clauses


def _sort(params: SearchParams) -> list[Any]:
    tiebreak = {"id": "asc"}
    if params.sort == "newest":
        return [{"updatedAt": "desc"}, tiebreak]
    if params.sort == "title":
        return [{"title.sort": {"order": "asc", "missing": "_last"}}, tiebreak]
    if params.sort == "distance":
        assert params.near is not None  # validated by SearchParams
        return [
            {
                "_geo_distance": {
                    "location": params.near.as_dict(),
                    "order": "asc",
                    "unit": "km",
                    "distance_type": "arc",
                }
            },
            tiebreak,
        ]
    return ["_score", {"updatedAt": "desc"}, tiebreak]
