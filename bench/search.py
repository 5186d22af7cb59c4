"""Search benchmark of the REST face: prints JSON.

Reuses ``bench/search_corpus.py`` (the corpus) and ``bench/search_query.py``
(the outbox-vs-raw-bulk indexing measurement) and adds the latency of the REST
face: ``GET /api/v1/search`` through the whole Django stack (URL routing, DRF
view, parameter parsing, serializers, JSON rendering; Django's test client, in
process) next to the raw engine time for the same request bodies, interleaved,
for plain, faceted and geo queries.

    python bench/search.py [--records 100000] [--rounds 100] [--search-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import search_query as core  # noqa: E402

# Query shapes: name → query strings of /api/v1/search (five variants each).
SHAPES: dict[str, list[dict[str, str]]] = {
    "plain": [
        {"text": text}
        for text in [
            "slimme verkeerslichten",
            "traffic prediction",
            "bild erkennung",
            "données énergie",
            "algoritmes gemeente",
        ]
    ],
    "faceted": [
        {"text": text, "kinds": "project", "ai_act_class": "high,limited"}
        for text in ["verkeer", "traffic", "daten", "énergie", "zorg"]
    ],
    "geo": [
        {
            "near": f"{core.EINDHOVEN[0]},{core.EINDHOVEN[1]}",
            "radius_km": str(radius),
            "sort": "distance",
        }
        for radius in (20, 30, 40, 50, 60)
    ],
}


def bench_rest(rounds: int) -> dict[str, Any]:
    """p50/p95 of GET /api/v1/search next to the raw engine for the same body."""
    from django.conf import settings
    from django.test import Client

    from search.engine import search_engine
    from search.queries import search_body
    from search.query_string import search_params_parse

    engine = search_engine()
    alias = settings.SEARCH_INDEX_ALIAS
    client = Client()
    results: dict[str, Any] = {}
    for name, variants in SHAPES.items():
        queries = variants
        # The REST face computes every facet: the raw side sends the same body.
        bodies = [search_body(params=search_params_parse(q)) for q in queries]

        def rest(n: int, q: list = queries) -> None:
            response = client.get("/api/v1/search", q[n % 5])
            assert response.status_code == 200, response.content[:300]

        api_samples, raw_samples = core._timed_pair(
            rest,
            lambda n, b=bodies: engine.search(index=alias, body=b[n % 5]),
            rounds,
        )
        api, raw = core._percentiles(api_samples), core._percentiles(raw_samples)
        results[name] = {
            "rest_api": api,
            "raw_engine": raw,
            "overhead_p95_ms": round(api["p95_ms"] - raw["p95_ms"], 2),
            "aim_overhead_p95_ms": 15,
        }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument(
        "--search-url", default=os.environ.get("HUBNET_TEST_SEARCH_URL")
    )
    options = parser.parse_args()
    # The benchmark must not be throttled.
    os.environ["API_THROTTLE_ANON"] = "100000000/minute"
    load_before = round(os.getloadavg()[0], 2)
    with core.search_bench("search", options.search_url) as version:
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's host is allowed
        apply_seconds = core.corpus_apply(options.records)
        indexing = core.bench_indexing(options.records)
        rest = bench_rest(options.rounds)
    print(
        json.dumps(
            {
                "benchmark": "search",
                "load_average": [load_before, round(os.getloadavg()[0], 2)],
                "cpus": os.cpu_count(),
                "records": options.records,
                "rounds": options.rounds,
                "engine": f"opensearch {version}",
                "store_apply_records_per_s": round(options.records / apply_seconds),
                "indexing": indexing,
                "rest_search": rest,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
