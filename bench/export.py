"""Export benchmark of the search exports (CSV, Excel): prints JSON.

In one process, on a real OpenSearch node (the embedded one on a free port, or
``--search-url``) and a private alias:

1. indexes N synthetic records (default 10,000; the corpus of
   ``bench/search_corpus.py``: four kinds, four languages, a hub tree), a tenth
   of them from the hub ``leuven``, so ``scope=leuven`` finds N/10 records with
   the same mix of kinds;
2. exports CSV (and Excel) through the real views (``GET /api/v1/search/
   export.csv``, Django's test client in process: routing, DRF view, parameter
   parsing, point in time, batches, streaming), for N and N/10 rows, reading the
   streamed body chunk by chunk and dropping it, as a server hands it to the
   socket;
3. measures the peak of Python memory allocated while the export runs
   (``tracemalloc``, from the request to the last chunk) and the growth of the
   process's peak RSS (VmHWM, reset through ``/proc/self/clear_refs`` where
   Linux allows it), and the rows per second (timed in a separate run, without
   tracemalloc);
4. the baseline, in the same run: the same CSV built fully in memory (every
   row read into a list, the lines joined into one string), as an export
   without streaming would.

Bounded memory shows as ``growth_ratio`` (peak for N rows / peak for N/10 rows)
near 1 for the streamed export, near 10 for the baseline; ``ratio_to_baseline``
is the streamed peak over the in-memory one for N rows.

    python bench/export.py [--records 10000] [--search-url URL]
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import os
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import search_corpus  # noqa: E402
from bench import search_query as core  # noqa: E402

SMALL_HUB = "leuven"
CSV_URL = "/api/v1/search/export.csv"
XLSX_URL = "/api/v1/search/export.xlsx"


def corpus_index(records: int, seed: int = 11) -> float:
    """Index ``records`` synthetic records straight into the alias; seconds.
    Every tenth is from ``SMALL_HUB``, so ``scope=SMALL_HUB`` finds a tenth."""
    from search.engine import search_engine
    from search.index import index_alias
    from search.indexing import index_ensure, records_index

    engine = search_engine()
    index_ensure(engine=engine)
    others = sorted(slug for slug in search_corpus.HUBS if slug != SMALL_HUB)

    def hub_of(number: int, rng: random.Random) -> str:
        return SMALL_HUB if number % 10 == 0 else rng.choice(others)

    started = time.perf_counter()
    batch: list[dict[str, Any]] = []
    corpus = search_corpus.corpus_records(
        records, seed=seed, hub_of=hub_of, english_share=0, with_url=True
    )
    for number, record in enumerate(corpus):
        batch.append(record.wire())
        if len(batch) == 1000 or number == records - 1:
            result = records_index(records=batch, engine=engine)
            assert not result.failed, result.failed[:3]
            batch = []
    engine.index_refresh(name=index_alias())
    return time.perf_counter() - started


def _rss_peak_reset() -> bool:
    """Reset the process's peak RSS (VmHWM); False where Linux does not allow it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def measured(run: Callable[[], int]) -> dict[str, Any]:
    """Run once under tracemalloc (peak of Python allocations during the run)
    and note the growth of peak RSS over the RSS before it."""
    gc.collect()
    can_reset = _rss_peak_reset()
    rss_before = _rss_kib("VmRSS")
    tracemalloc.start()
    baseline, _ = tracemalloc.get_traced_memory()
    rows = run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result: dict[str, Any] = {
        "rows": rows,
        "tracemalloc_peak_kib": round((peak - baseline) / 1024),
    }
    if can_reset:
        result["rss_peak_growth_kib"] = _rss_kib("VmHWM") - rss_before
    return result


def timed(run: Callable[[], int]) -> dict[str, Any]:
    started = time.perf_counter()
    rows = run()
    seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds),
    }


def streamed(client: Any, url: str, query: dict[str, str]) -> Callable[[], int]:
    """An export through the view, its body read chunk by chunk and dropped;
    returns the rows (X-Total-Count, checked against the lines for CSV)."""

    def run() -> int:
        response = client.get(url, query)
        assert response.status_code == 200, response.content[:300]
        lines = 0
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
        response.close()
        total = int(response["X-Total-Count"])
        if url == CSV_URL:
            assert lines - 1 == total, (lines, total)
        return total

    return run


def in_memory(query: dict[str, str]) -> Callable[[], int]:
    """The baseline: the same CSV built whole in memory (all rows in a list,
    the lines joined), as an export without streaming would build it."""
    from search.exports import COLUMN_NAMES, cell_text_safe, search_export_rows
    from search.query_string import search_params_parse

    def run() -> int:
        rows = list(search_export_rows(params=search_params_parse(query)))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMN_NAMES)
        for row in rows:
            writer.writerow([cell_text_safe(row[name]) for name in COLUMN_NAMES])
        body = ("\ufeff" + buffer.getvalue()).encode()
        assert body
        return len(rows)

    return run


def bench_exports() -> dict[str, Any]:
    from django.test import Client

    client = Client()
    sizes = {"large": {}, "small": {"scope": SMALL_HUB}}
    # Warm up: the first request loads code, compiles templates, opens pools.
    streamed(client, CSV_URL, sizes["small"])()
    in_memory(sizes["small"])()
    results: dict[str, Any] = {}
    for name, factory in (
        ("csv_streamed", lambda q: streamed(client, CSV_URL, q)),
        ("csv_in_memory_baseline", in_memory),
        ("xlsx_constant_memory", lambda q: streamed(client, XLSX_URL, q)),
    ):
        large = measured(factory(sizes["large"]))
        small = measured(factory(sizes["small"]))
        results[name] = {
            "large": large,
            "small": small,
            "growth_ratio": round(
                large["tracemalloc_peak_kib"] / max(1, small["tracemalloc_peak_kib"]),
                2,
            ),
            "speed": timed(factory(sizes["large"])),
        }
    results["ratio_to_baseline"] = round(
        results["csv_streamed"]["large"]["tracemalloc_peak_kib"]
        / results["csv_in_memory_baseline"]["large"]["tracemalloc_peak_kib"],
        3,
    )
    results["aim"] = "csv_streamed growth_ratio ~1 (bounded); baseline ~10"
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument(
        "--search-url", default=os.environ.get("HUBNET_TEST_SEARCH_URL")
    )
    options = parser.parse_args()
    # The benchmark must not be throttled; the cap must not refuse it.
    os.environ["API_THROTTLE_ANON"] = "100000000/minute"
    os.environ["EXPORT_THROTTLE"] = "100000000/minute"
    os.environ["SEARCH_EXPORT_MAX_ROWS"] = str(max(options.records, 1))
    load_before = round(os.getloadavg()[0], 2)
    with core.search_bench("export", options.search_url) as version:
        from django.conf import settings
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's host is allowed
        index_seconds = corpus_index(options.records)
        exports = bench_exports()
        batch = settings.SEARCH_EXPORT_BATCH_SIZE
    print(
        json.dumps(
            {
                "benchmark": "export",
                "load_average": [load_before, round(os.getloadavg()[0], 2)],
                "cpus": os.cpu_count(),
                "records": options.records,
                "batch_size": batch,
                "engine": f"opensearch {version}",
                "index_records_per_s": round(options.records / index_seconds),
                "exports": exports,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
