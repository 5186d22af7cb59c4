"""Search benchmark: prints JSON.

In one process, on a catalogue of its own (a private schema in the PostgreSQL
database of ``DATABASE_URL``, else a temporary SQLite file; see
``bench/search_setup.py``) and a real OpenSearch node (the embedded one on a free
port, or ``--search-url``):

1. applies N synthetic federated records (four kinds, four languages, a hub tree
   eu → countries → regions → municipalities, places around NUTS 3 label points)
   to the catalogue store, as a sync would;
2. **indexing**: drains them through the outbox (``search.indexing.index_drain``)
   and, as the baseline in the same run, bulk-loads the same documents into a
   second index directly (ratio = outbox throughput / raw bulk throughput);
3. **queries**: for several query shapes, the latency p50/p95 of the query API
   (``catalogue_search`` and friends, wall time in this process) next to the raw
   engine time for the same body sent straight through the adapter (overhead =
   API - raw), and each shape's p95 as a ratio to a baseline ``match_all`` with
   size 20 measured in the same run;
4. **hybrid**: every record gets a random unit vector, then text searches run
   hybrid (real query encoder, k-NN joined, fused window) and lexical-only,
   interleaved in the same run.

    python bench/search_query.py [--records 20000] [--rounds 100] [--search-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_corpus import (  # noqa: E402
    EINDHOVEN,
    TECHNOLOGIES,
    THEMES,
    corpus_apply,
)
from bench.search_setup import database_vendor, search_bench  # noqa: E402


def wire_pages(size: int, count: int | None = None) -> Iterator[list[dict]]:
    """The store's records in wire form, ``size`` at a time in sequence order,
    the first ``count`` or all (read through a server-side cursor on PostgreSQL,
    so memory stays flat whatever the size of the catalogue)."""
    from federation.models import StoredRecord
    from federation.selectors import record_wire

    records = StoredRecord.objects.order_by("seq")
    if count is not None:
        records = records[:count]
    for batch in _batches(records.iterator(chunk_size=size), size):
        yield [record_wire(stored) for stored in batch]


def bench_indexing(records: int) -> dict:
    """Outbox drain throughput next to a raw bulk load of the same documents."""
    from django.conf import settings

    from search.engine import search_engine
    from search.index import catalogue_index_body
    from search.indexing import _operations, index_drain

    engine = search_engine()
    size = settings.SEARCH_DRAIN_PAGE_SIZE

    building: list[float] = []

    def raw_load(index: str, count: int | None = None) -> float:
        # The raw bulk baseline: the very bulk lines the drain sends (its own
        # builder), in pages of its size, timing only the engine's answers; the
        # pages are read and built between them, one at a time (memory flat),
        # and that time is kept apart: what the drain adds to the engine's work.
        engine.index_create(name=index, body=catalogue_index_body(engine=engine.name))
        seconds = 0.0
        started = time.perf_counter()
        for page in wire_pages(size, count):
            operations = _operations(page, index=index)
            sent = time.perf_counter()
            engine.bulk(operations=operations)
            seconds += time.perf_counter() - sent
        building.append(time.perf_counter() - started - seconds)
        engine.index_delete(name=index)
        return seconds

    # It runs before and after the drain (engine warm-up and background merges
    # drift over a run; the mean of both is the baseline), and a few pages first
    # warm the engine up before anything is measured.
    alias = settings.SEARCH_INDEX_ALIAS
    raw_load(f"{alias}-warmup", count=4 * size)
    raw_before = raw_load(f"{alias}-raw-before")
    started = time.perf_counter()
    while index_drain().backlog:
        pass
    drain_seconds = time.perf_counter() - started
    raw_after = raw_load(f"{alias}-raw-after")
    engine.index_refresh(name=alias)
    outbox_rate = records / drain_seconds
    raw_rates = [records / raw_before, records / raw_after]
    raw_rate = statistics.mean(raw_rates)
    return {
        "outbox_docs_per_s": round(outbox_rate),
        "raw_bulk_docs_per_s": round(raw_rate),
        "raw_bulk_before_and_after_docs_per_s": [round(rate) for rate in raw_rates],
        "ratio_outbox_to_raw": round(outbox_rate / raw_rate, 3),
        "aim_ratio": 0.8,
        "outbox_seconds": round(drain_seconds, 1),
        # reading the store and building the bulk lines alone, no engine
        "read_and_build_docs_per_s": round(records / statistics.mean(building[1:])),
        "indexed": engine.count(index=alias),
    }


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)

    def rank(fraction: float) -> float:
        return round(ordered[round(fraction * (len(ordered) - 1))], 2)

    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
    }


def _timed(call: Callable[[int], Any], rounds: int) -> list[float]:
    for warm in range(10):
        call(warm)
    samples = []
    for number in range(rounds):
        started = time.perf_counter()
        call(number)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _timed_pair(
    first: Callable[[int], Any], second: Callable[[int], Any], rounds: int
) -> tuple[list[float], list[float]]:
    """Time two calls interleaved (alternating which goes first), so both see the
    same caches and the same load on a busy machine."""
    for warm in range(10):
        first(warm)
        second(warm)
    samples: tuple[list[float], list[float]] = ([], [])
    for number in range(rounds):
        order = ((0, first), (1, second)) if number % 2 else ((1, second), (0, first))
        for slot, call in order:
            started = time.perf_counter()
            call(number)
            samples[slot].append((time.perf_counter() - started) * 1000)
    return samples


def bench_queries(rounds: int) -> dict:
    """Latency of query shapes: API and raw engine, against a match_all baseline."""
    from django.conf import settings

    from federation.models import StoredRecord
    from search.engine import search_engine
    from search.partners import partners_find
    from search.queries import catalogue_search, catalogue_suggest, search_body
    from search.similar import records_similar
    from search.types import SearchParams

    engine = search_engine()
    alias = settings.SEARCH_INDEX_ALIAS
    texts = [
        "slimme verkeerslichten",
        "traffic prediction",
        "bild erkennung",
        "données énergie",
        "algoritmes gemeente",
    ]
    deep = SearchParams(sort="newest", size=20, facets=())
    for _ in range(50):  # a cursor 50 pages (1,000 records) deep
        deep = SearchParams(
            sort="newest",
            size=20,
            facets=(),
            after=catalogue_search(params=deep).next_cursor,
        )
    shapes: dict[str, Callable[[int], SearchParams]] = {
        "plain_text": lambda n: SearchParams(text=texts[n % 5], facets=()),
        "text_all_facets": lambda n: SearchParams(text=texts[n % 5]),
        "filters_all_facets": lambda n: SearchParams(
            scope=["nl", "be", "nl-nb", "eu", "de"][n % 5],
            kinds=["project"],
            ai_act_classes=["high", "limited"],
            themes=[THEMES[n % 6]],
            trl_min=3,
        ),
        "geo_radius_distance_sort": lambda n: SearchParams(
            near=EINDHOVEN,
            radius_km=20 + n % 5 * 10,
            sort="distance",
            facets=("kinds", "themes", "nuts3"),
        ),
        "deep_page_50": lambda n: deep,  # noqa: ARG005  every shape takes the round number
    }
    baseline_body = {"size": 20, "query": {"match_all": {}}}
    baseline = _percentiles(
        _timed(lambda n: engine.search(index=alias, body=baseline_body), rounds)  # noqa: ARG005  every shape takes the round number
    )
    results: dict[str, Any] = {"baseline_match_all_size_20": baseline}
    for name, make in shapes.items():
        variants = [make(n) for n in range(5)]
        bodies = [search_body(params=params) for params in variants]
        api_samples, raw_samples = _timed_pair(
            lambda n, v=variants: catalogue_search(params=v[n % 5]),
            lambda n, b=bodies: engine.search(index=alias, body=b[n % 5]),
            rounds,
        )
        api, raw = _percentiles(api_samples), _percentiles(raw_samples)
        results[name] = {
            "api": api,
            "raw_engine": raw,
            "overhead_p95_ms": round(api["p95_ms"] - raw["p95_ms"], 2),
            "ratio_p95_to_baseline": round(api["p95_ms"] / baseline["p95_ms"], 2),
        }
    some = list(
        StoredRecord.objects.filter(kind="project").values_list("record_id", flat=True)[
            :50
        ]
    )
    multi = {
        "suggest": lambda n: catalogue_suggest(prefix=["slim", "traf", "alg"][n % 3]),
        "similar": lambda n: records_similar(record_id=some[n % len(some)]),
        "partners_find": lambda n: partners_find(
            need=TECHNOLOGIES[n % 5], near=EINDHOVEN, minimum=10
        ),
    }
    for name, call in multi.items():
        api = _percentiles(_timed(call, rounds))
        results[name] = {
            "api": api,
            "ratio_p95_to_baseline": round(api["p95_ms"] / baseline["p95_ms"], 2),
        }
    return results


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def vectors_random(seed: int = 11, page: int = 500) -> int:
    """Give every indexed record a random unit vector of the configured model
    (encoding 10^5 texts takes hours on two cores; the graph and the query cost
    do not depend on what the vectors mean)."""
    import numpy as np

    from federation.models import StoredRecord
    from search.embeddings.encoders import encoder_dimensions, encoder_model_id
    from search.embeddings.vectors import MODEL_FIELD, VECTOR_FIELD
    from search.engine import search_engine
    from search.index import index_alias

    engine, model, dimensions = (
        search_engine(),
        encoder_model_id(),
        encoder_dimensions(),
    )
    if model is None or dimensions is None:
        raise SystemExit("SEARCH_ENCODER is none: no vectors to bench")
    rng = np.random.default_rng(seed)
    ids = StoredRecord.objects.order_by("seq").values_list("record_id", flat=True)
    total = 0
    for batch in _batches(ids.iterator(chunk_size=page), page):
        total += len(batch)
        rows = rng.standard_normal((len(batch), dimensions)).astype(np.float32)
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        operations: list[dict] = []
        for record_id, row in zip(batch, rows, strict=True):
            operations += [
                {"update": {"_index": index_alias(), "_id": record_id}},
                {"doc": {VECTOR_FIELD: row.round(5).tolist(), MODEL_FIELD: model}},
            ]
        engine.bulk(operations=operations)
    engine.index_refresh(name=index_alias())
    return total


def bench_hybrid(rounds: int) -> dict:
    """Relevance searches with text, hybrid (query vector, k-NN joined, fused
    window) next to lexical-only (encoder off), interleaved; and the query
    encoding alone."""
    from django.test import override_settings

    from search.embeddings.encoders import encoder_get
    from search.queries import catalogue_search
    from search.types import SearchParams

    texts = [
        "slimme verkeerslichten",
        "traffic prediction",
        "Gesichtserkennung",
        "reconnaissance faciale",
        "waste management",
    ]
    variants = [SearchParams(text=text) for text in texts]

    def lexical(n: int) -> Any:
        with override_settings(SEARCH_ENCODER="none"):
            return catalogue_search(params=variants[n % 5])

    encoder = encoder_get()
    if encoder is None:
        raise SystemExit("SEARCH_ENCODER is none: no hybrid search to bench")
    hybrid_samples, lexical_samples = _timed_pair(
        lambda n: catalogue_search(params=variants[n % 5]), lexical, rounds
    )
    hybrid, plain = _percentiles(hybrid_samples), _percentiles(lexical_samples)
    encode = _percentiles(_timed(lambda n: encoder.encode_query(texts[n % 5]), rounds))
    return {
        "text_all_facets_hybrid": hybrid,
        "text_all_facets_lexical_only": plain,
        "hybrid_minus_lexical_p95_ms": round(hybrid["p95_ms"] - plain["p95_ms"], 2),
        "query_encoding": encode,
        "aim_extra_p95_ms": 30,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument(
        "--search-url", default=os.environ.get("HUBNET_TEST_SEARCH_URL")
    )
    options = parser.parse_args()
    load_before = round(os.getloadavg()[0], 2)
    with search_bench("search-query", options.search_url) as version:
        apply_seconds = corpus_apply(options.records)
        indexing = bench_indexing(options.records)
        queries = bench_queries(options.rounds)
        vectors = vectors_random()
        hybrid = bench_hybrid(options.rounds)
    result = {
        "benchmark": "search_query",
        # Other work on the machine skews latencies: the 1-minute load averages
        # at the start and the end of the run, and the number of CPUs.
        "load_average": [load_before, round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
        "records": options.records,
        "rounds": options.rounds,
        "engine": f"opensearch {version}",
        "database": database_vendor(),
        "store_apply_records_per_s": round(options.records / apply_seconds),
        "indexing": indexing,
        "queries": queries,
        # random unit vectors on every record (see vectors_random)
        "hybrid": {"records_with_vectors": vectors, **hybrid},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
