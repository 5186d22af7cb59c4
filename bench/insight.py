"""Dashboard benchmark: prints JSON.

On the search benchmark's synthetic corpus (``bench/search_corpus.py``: N
federated records applied to a temporary SQLite catalogue and drained into a
private alias on a real OpenSearch node, the embedded one or ``--search-url``):

- each panel of the dashboard (``search.insight.panels``): the latency p50/p95
  of its one aggregation request under a hub scope, interleaved with a plain
  search request (``catalogue_search``, 20 hits, no facets) in the same run, and
  the ratio of their p95s;
- the whole dashboard as the page asks for it (``insight_compute``: the filter
  facets and every panel in one multi-search), with the same ratio.

    python bench/insight.py [--records 20000] [--rounds 50] [--search-url URL]

With ``--hub-url URL`` (a running hub, e.g. the demo's EU hub) it measures over
HTTP instead, on that hub's own data: each panel of ``GET /api/v1/insight``
(``panel=<name>``) and the whole dashboard page, under each selection of
``SELECTIONS`` (everything, the Netherlands, the Netherlands at high risk),
interleaved with ``GET /api/v1/search`` (20 hits) as the baseline. Start the
hub with rates that let a benchmark through (e.g. ``API_THROTTLE_ANON=100000/minute
PAGES_THROTTLE=100000/minute make demo``): the defaults answer 429 after 120.
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

from bench.search_corpus import corpus_apply  # noqa: E402
from bench.search_query import _percentiles, _timed_pair, search_bench  # noqa: E402

SCOPES = ["eu", "nl", "be", "nl-nb", "de"]
SELECTIONS: dict[str, dict[str, str]] = {
    "all": {},
    "nl": {"countries": "NL"},
    "nl_high_risk": {"countries": "NL", "ai_act_classes": "high"},
}


def _pair(first: Any, second: Any, rounds: int) -> dict[str, Any]:
    """``first`` against ``second`` (the plain search), interleaved."""
    measured, plain = _timed_pair(first, second, rounds)
    mine, base = _percentiles(measured), _percentiles(plain)
    return {
        **mine,
        "plain_search": base,
        "ratio_p95_to_plain_search": round(mine["p95_ms"] / base["p95_ms"], 2),
    }


def bench_panels(rounds: int) -> dict[str, Any]:
    """Per-panel and whole-dashboard latency against a plain search."""
    from search.engine import search_engine
    from search.index import index_alias
    from search.insight.panels import panels_available
    from search.insight.queries import insight_compute, panel_body
    from search.labels import FACET_TITLES
    from search.queries import catalogue_search
    from search.types import SearchParams

    engine = search_engine()
    selections = [
        SearchParams(scope=scope, size=0, facets=tuple(FACET_TITLES), facet_size=50)
        for scope in SCOPES
    ]
    plain = [SearchParams(scope=scope, size=20, facets=()) for scope in SCOPES]

    def search(number: int) -> Any:
        return catalogue_search(params=plain[number % 5])

    results: dict[str, Any] = {}
    for panel in panels_available():
        bodies = [panel_body(panel, params=params) for params in selections]
        results[panel.name] = _pair(
            lambda n, b=bodies: engine.search(index=index_alias(), body=b[n % 5]),
            search,
            rounds,
        )
    results["dashboard_one_msearch"] = _pair(
        lambda n: insight_compute(params=selections[n % 5]), search, rounds
    )
    return results


def bench_hub(url: str, rounds: int) -> dict[str, Any]:
    """Per-panel and whole-page latency over HTTP at the hub at ``url``."""
    import requests

    session = requests.Session()

    def get(path: str, params: dict[str, str]) -> Any:
        response = session.get(f"{url}{path}", params=params, timeout=30)
        response.raise_for_status()
        return response

    names = [panel["name"] for panel in get("/api/v1/insight", {}).json()["panels"]]
    results: dict[str, Any] = {}
    for selection, params in SELECTIONS.items():

        def search(_: int, p: dict[str, str] = params) -> Any:
            return get("/api/v1/search", {**p, "size": "20"})

        measured: dict[str, Any] = {
            "total": get("/api/v1/insight", params).json()["total"]
        }
        for name in names:
            measured[name] = _pair(
                lambda _, q={**params, "panel": name}: get("/api/v1/insight", q),
                search,
                rounds,
            )
        measured["dashboard_page"] = _pair(
            lambda _, q=params: get("/insight/", q), search, rounds
        )
        results[selection] = measured
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument(
        "--search-url", default=os.environ.get("HUBNET_TEST_SEARCH_URL")
    )
    parser.add_argument("--hub-url", help="measure a running hub over HTTP")
    options = parser.parse_args()
    load_before = round(os.getloadavg()[0], 2)
    if options.hub_url:
        measured = bench_hub(options.hub_url.rstrip("/"), options.rounds)
        print(
            json.dumps(
                {
                    "benchmark": "insight_hub",
                    "hub": options.hub_url,
                    "load_average": [load_before, round(os.getloadavg()[0], 2)],
                    "cpus": os.cpu_count(),
                    "rounds": options.rounds,
                    "selections": measured,
                },
                indent=2,
            )
        )
        return 0
    with search_bench("insight", options.search_url) as version:
        corpus_apply(options.records)
        from search.engine import search_engine
        from search.index import index_alias
        from search.indexing import index_drain

        while index_drain().backlog:
            pass
        search_engine().index_refresh(name=index_alias())
        panels = bench_panels(options.rounds)
    print(
        json.dumps(
            {
                "benchmark": "insight",
                "load_average": [load_before, round(os.getloadavg()[0], 2)],
                "cpus": os.cpu_count(),
                "records": options.records,
                "rounds": options.rounds,
                "engine": f"opensearch {version}",
                "panels": panels,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
