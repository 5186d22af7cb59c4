"""Search benchmark of the REST face: prints JSON.

Reuses ``bench/search_corpus.py`` (the corpus) and ``bench/search_query.py``
(the outbox-vs-raw-bulk indexing measurement, the random vectors) and adds, in
one run on one index:

1. **REST overhead** (lexical: ``SEARCH_ENCODER=none``): ``GET /api/v1/search``
   and ``/api/v1/partners`` through the whole Django stack (URL routing, DRF
   view, parameter parsing, serializers, JSON rendering; Django's test client, in
   process) next to the raw engine replaying the very requests the view sent
   (recorded once per query variant), interleaved, for plain, faceted, geo,
   scoped and partner queries: p50/p95/p99 and the p95 overhead;
2. **hybrid** (every record gets a random unit vector, the real query encoder):
   the text shapes through the REST face, hybrid next to lexical-only,
   interleaved, with the query vector cache warm (repeated texts) and cold
   (emptied before every hybrid request, so each one encodes); and hybrid next to
   the raw replay of its own requests. Then the index is force-merged to one
   segment, as a settled index is, and the warm hybrid is measured again.

The catalogue is generated, applied, indexed and read page by page (memory stays
flat with the size); on PostgreSQL when ``DATABASE_URL`` names it (a private
schema, see ``bench/search_setup.py``), else SQLite; ``database`` says which.

    python bench/search.py [--records 100000] [--rounds 100] [--search-url URL]
                           [--no-hybrid] [--no-force-merge]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import search_query as core  # noqa: E402

TEXTS = [
    "slimme verkeerslichten",
    "traffic prediction",
    "bild erkennung",
    "données énergie",
    "algoritmes gemeente",
]
NEAR = f"{core.EINDHOVEN[0]},{core.EINDHOVEN[1]}"
SEARCH, PARTNERS = "/api/v1/search", "/api/v1/partners"
# Query shapes: name → (path, query strings; five variants each).
SHAPES: dict[str, tuple[str, list[dict[str, str]]]] = {
    "plain": (SEARCH, [{"text": text} for text in TEXTS]),
    "faceted": (
        SEARCH,
        [
            {"text": text, "kinds": "project", "ai_act_class": "high,limited"}
            for text in ["verkeer", "traffic", "daten", "énergie", "zorg"]
        ],
    ),
    "geo": (
        SEARCH,
        [
            {"near": NEAR, "radius_km": str(radius), "sort": "distance"}
            for radius in (20, 30, 40, 50, 60)
        ],
    ),
    "scoped": (
        SEARCH,
        [
            {"text": text, "scope": scope}
            for text, scope in zip(
                TEXTS, ["nl", "nl-nb", "eindhoven", "de", "be-vl"], strict=True
            )
        ],
    ),
    "partner": (
        PARTNERS,
        [
            {"need": need, "near": NEAR, "minimum": "10"}
            for need in core.TECHNOLOGIES[:5]
        ],
    ),
}
TEXT_SHAPES = ("plain", "faceted", "scoped")


@contextmanager
def engine_recorded(engine: Any) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Record the searches sent through ``engine`` (method name, arguments)."""
    calls: list[tuple[str, dict[str, Any]]] = []
    names = ("search", "msearch")
    originals = {name: getattr(engine, name) for name in names}

    def recorder(name: str) -> Callable[..., Any]:
        def call(**kwargs: Any) -> Any:
            calls.append((name, kwargs))
            return originals[name](**kwargs)

        return call

    for name in names:
        setattr(engine, name, recorder(name))
    try:
        yield calls
    finally:
        for name in names:
            delattr(engine, name)  # the class's methods again


def _shape_calls(
    client: Any, path: str, variants: list[dict[str, str]]
) -> tuple[Callable[[int], None], Callable[[int], None]]:
    """The REST call of a shape and the raw replay of what it sent."""
    from search.engine import search_engine

    engine = search_engine()

    def rest(n: int) -> None:
        response = client.get(path, variants[n % len(variants)])
        assert response.status_code == 200, response.content[:300]

    recorded = []
    for number in range(len(variants)):
        with engine_recorded(engine) as calls:
            rest(number)
        recorded.append(calls)

    def raw(n: int) -> None:
        for name, kwargs in recorded[n % len(variants)]:
            getattr(engine, name)(**kwargs)

    return rest, raw


def _compare(
    first: Callable[[int], None], second: Callable[[int], None], rounds: int
) -> tuple[dict[str, float], dict[str, float]]:
    first_samples, second_samples = core._timed_pair(first, second, rounds)
    return core._percentiles(first_samples), core._percentiles(second_samples)


def _cpu_ms(call: Callable[[int], None], rounds: int) -> float:
    """Median CPU time of this process per call: what the call costs here,
    whatever the engine and the machine's other work make it wait."""
    samples = []
    for number in range(rounds):
        started = time.process_time()
        call(number)
        samples.append((time.process_time() - started) * 1000)
    return round(sorted(samples)[len(samples) // 2], 2)


def bench_rest(rounds: int) -> dict[str, Any]:
    """Every shape through the REST face (lexical) next to the raw replay:
    wall time, and this process's CPU time (on a shared machine the wall time
    of both sides is mostly waiting for a core)."""
    from django.test import Client, override_settings

    client = Client()
    results: dict[str, Any] = {}
    with override_settings(SEARCH_ENCODER="none"):
        for name, (path, variants) in SHAPES.items():
            rest, raw = _shape_calls(client, path, variants)
            api, engine = _compare(rest, raw, rounds)
            cpu_api, cpu_raw = _cpu_ms(rest, rounds), _cpu_ms(raw, rounds)
            results[name] = {
                "rest_api": api,
                "raw_engine": engine,
                "overhead_p95_ms": round(api["p95_ms"] - engine["p95_ms"], 2),
                "cpu_p50_ms": {"rest_api": cpu_api, "raw_engine": cpu_raw},
                "cpu_overhead_p50_ms": round(cpu_api - cpu_raw, 2),
            }
    results["aim_overhead_p95_ms"] = 10
    return results


def bench_hybrid(rounds: int) -> dict[str, Any]:
    """Text shapes through the REST face: hybrid vs lexical-only (query vectors
    cached and not), and hybrid vs the raw replay of its requests."""
    from django.test import Client, override_settings

    from search.embeddings.query import query_vectors_forget

    client = Client()
    results: dict[str, Any] = {}
    for name in TEXT_SHAPES:
        path, variants = SHAPES[name]
        with override_settings(SEARCH_ENCODER="none"):
            lexical, _ = _shape_calls(client, path, variants)
        hybrid, raw = _shape_calls(client, path, variants)

        def lexical_only(n: int, call: Callable[[int], None] = lexical) -> None:
            with override_settings(SEARCH_ENCODER="none"):
                call(n)

        def cold(n: int, call: Callable[[int], None] = hybrid) -> None:
            query_vectors_forget()
            call(n)

        warm_api, warm_lexical = _compare(hybrid, lexical_only, rounds)
        cold_api, cold_lexical = _compare(cold, lexical_only, rounds)
        api, engine = _compare(hybrid, raw, rounds)
        results[name] = {
            "hybrid_vector_cached": warm_api,
            "lexical_only": warm_lexical,
            "hybrid_minus_lexical_p95_ms": round(
                warm_api["p95_ms"] - warm_lexical["p95_ms"], 2
            ),
            "hybrid_encoding_each_query": cold_api,
            "lexical_only_same_rounds": cold_lexical,
            "hybrid_encoding_minus_lexical_p95_ms": round(
                cold_api["p95_ms"] - cold_lexical["p95_ms"], 2
            ),
            "hybrid_raw_engine": engine,
            "hybrid_overhead_p95_ms": round(api["p95_ms"] - engine["p95_ms"], 2),
        }
    results["aim_hybrid_minus_lexical_p95_ms"] = 30
    return results


def index_segments_merge() -> dict[str, Any]:
    """Force-merge the index to one segment (a settled index); segments before
    and the seconds it took."""
    from django.conf import settings

    from search.engine import search_engine

    engine = search_engine()
    alias = settings.SEARCH_INDEX_ALIAS
    client = engine._client  # the bench reaches past the adapter here
    before = int(client.cat.count(index=alias, format="json")[0]["count"])
    segments = len(client.cat.segments(index=alias, format="json"))
    started = time.perf_counter()
    client.indices.forcemerge(index=alias, max_num_segments=1, request_timeout=3600)
    engine.index_refresh(name=alias)
    return {
        "documents": before,
        "segments_before": segments,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _peak_rss_mib() -> int:
    """This process's peak resident memory so far (Linux counts KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument(
        "--search-url", default=os.environ.get("HUBNET_TEST_SEARCH_URL")
    )
    parser.add_argument(
        "--force-merge",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure hybrid again on the index merged to one segment",
    )
    parser.add_argument(
        "--hybrid",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="give every record a vector and measure hybrid (--no-hybrid: the"
        " REST and indexing figures only, for sizes where the k-NN graph does"
        " not fit the time or the node's memory)",
    )
    options = parser.parse_args()
    # The benchmark must not be throttled (DRF's user throttle counts anonymous
    # clients by address too: 600/minute stopped a run of 100 rounds).
    os.environ["API_THROTTLE_ANON"] = "100000000/minute"
    os.environ["API_THROTTLE_USER"] = "100000000/minute"
    loads = [os.getloadavg()[0]]
    result: dict[str, Any] = {
        "benchmark": "search",
        "cpus": os.cpu_count(),
        "records": options.records,
        "rounds": options.rounds,
    }

    started = time.perf_counter()

    def phase(name: str, value: Any) -> None:
        # Each phase on stderr as it ends: a long run that is stopped keeps them.
        result[name] = value
        loads.append(os.getloadavg()[0])
        mark = {
            "load": loads[-1],
            "elapsed_s": round(time.perf_counter() - started),
            "peak_rss_mib": _peak_rss_mib(),
        }
        result.setdefault("phases", {})[name] = mark
        print(json.dumps({name: value, **mark}), file=sys.stderr, flush=True)

    with core.search_bench("search", options.search_url) as version:
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's host is allowed
        result["engine"] = f"opensearch {version}"
        result["database"] = core.database_vendor()
        apply_seconds = core.corpus_apply(options.records)
        phase("store_apply_records_per_s", round(options.records / apply_seconds))
        phase("indexing", core.bench_indexing(options.records))
        phase("rest_search", bench_rest(options.rounds))
        if options.hybrid:
            vectors = core.vectors_random()
            phase(
                "hybrid",
                {"records_with_vectors": vectors, **bench_hybrid(options.rounds)},
            )
            if options.force_merge:
                phase("force_merge", index_segments_merge())
                phase("hybrid_one_segment", bench_hybrid(options.rounds))
    # 1-minute load averages: at the start and after each phase
    result["load_average"] = [round(load, 2) for load in loads]
    result["seconds"] = round(time.perf_counter() - started)
    result["peak_rss_mib"] = _peak_rss_mib()  # this process (not the node)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
