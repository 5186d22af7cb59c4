"""Harvest benchmark: prints JSON.

In one process, in a private schema of DATABASE_URL's PostgreSQL database when
it names one (the production setting; the schema is dropped afterwards), else
on a temporary SQLite database (``database`` in the output says which): a local
portal serves a DCAT-AP catalogue of N synthetic datasets as Turtle pages with
Hydra ``next`` links (built on the fly, so the portal holds no catalogue in
memory); for each N (default 10,000 and 50,000):

1. the baseline: the same pages fetched and parsed into items, nothing
   written (``dcat_page_read``);
2. the harvest: a full run publishing every dataset as a page and a record
   (``harvest_run``), then a second, unchanged run (hash compare only).

The harvest reads the source's pages a page ahead in a child process
(``standards.harvest.read_ahead``, as a worker does by default) while it writes;
``--no-read-ahead`` reads them in this process. The baseline always reads them
here, one after the other, as it always did.

For each it reports items/s, the CPU seconds of this process and of the
child processes that ended meanwhile (``cpu_s``, ``children_cpu_s``), and the
process's peak resident memory after it (``peak_rss_mib``; the peak so far, so
flat memory shows as ``memory_growth``, the peak after the largest N over the
peak after the smallest, near 1; a child's is not told apart here: Linux keeps
the peak of the process it was forked from); with ``--tracemalloc`` also the
peak of Python allocations during each run (slower).
A small harvest runs first, unmeasured, so imports and caches filled once do
not count against the first size.

The harvest writes each source page's new datasets in bulk (``cms.page_bulk``:
pages, revisions, log entries, records; a few statements per source page).
Wagtail's own search and reference index updates are left to a worker task
per page of the source; with ``--indexing`` they are applied after the run and
timed apart (``deferred_wagtail_indexing``). An unchanged re-run only compares
hashes.

    python bench/harvest.py [--sizes 10000,50000] [--page-size 500] [--warmup 100]
        [--indexing] [--tracemalloc] [--no-read-ahead]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import search_query as core  # noqa: E402

DATASET = """<https://portal.example.org/dataset/{n}> a dcat:Dataset ;
  dct:title "Dataset {n}"@en ;
  dct:description "Measurements number {n}." ;
  dcat:keyword "traffic" ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/TRAN> ;
  dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ;
  dcat:distribution <https://portal.example.org/dataset/{n}/csv> .
<https://portal.example.org/dataset/{n}/csv> a dcat:Distribution ;
  dcat:accessURL <https://portal.example.org/files/{n}.csv> ;
  dcat:mediaType "text/csv" .
"""
PREFIXES = (
    "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
    "@prefix dct: <http://purl.org/dc/terms/> .\n"
    "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
    "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n"
)


def catalogue_page(base: str, items: int, page_size: int, number: int) -> bytes:
    """Turtle page ``number`` of a catalogue of ``items`` datasets."""
    start = (number - 1) * page_size
    parts = [
        PREFIXES,
        f'<{base}/catalog> a dcat:Catalog ; dct:publisher [ foaf:name "Bench" ] .\n',
    ]
    parts += [
        DATASET.format(n=n) for n in range(start + 1, min(start + page_size, items) + 1)
    ]
    if start + page_size < items:
        parts.append(
            f"<{base}/catalog?page={number}> hydra:next "
            f"<{base}/catalog?page={number + 1}> .\n"
        )
    return "".join(parts).encode()


def measured(run: Callable[[], int], *, traced: bool) -> dict[str, Any]:
    gc.collect()
    if traced:
        tracemalloc.start()
    own, children = cpu_seconds()
    started = time.perf_counter()
    items = run()
    seconds = time.perf_counter() - started
    own_after, children_after = cpu_seconds()
    result: dict[str, Any] = {
        "items": items,
        "seconds": round(seconds, 2),
        "items_per_s": round(items / seconds, 1),
        "cpu_s": round(own_after - own, 2),
        "children_cpu_s": round(children_after - children, 2),
    }
    if traced:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["tracemalloc_peak_kib"] = round(peak / 1024)
    result["peak_rss_mib"] = peak_rss_mib()
    return result


def cpu_seconds() -> tuple[float, float]:
    """User and system CPU seconds of this process, and of its ended children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def peak_rss_mib() -> float:
    """The process's peak resident memory so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def bench_size(
    portal: Any,
    items: int,
    page_size: int,
    name: str = "",
    *,
    indexing: bool = False,
    traced: bool = False,
) -> dict[str, Any]:
    from standards.harvest.dcat import dcat_page_read
    from standards.harvest.services import harvest_run, harvest_source_add

    def respond(query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        number = int(query.get("page", ["1"])[0])
        body = catalogue_page(portal.base, items, page_size, number)
        return 200, {"Content-Type": "text/turtle"}, body

    portal.raw["/catalog"] = respond

    def parse_only() -> int:
        count, url = 0, portal.url("/catalog")
        while url:
            page = dcat_page_read(url=url, deadline=time.monotonic() + 600)
            count += len(page.items)
            url = page.next_url
        return count

    source = harvest_source_add(
        name=name or f"bench-{items}",
        url=portal.url("/catalog"),
        kind="dcat",
        publish=True,
    )

    def harvest() -> int:
        run = harvest_run(source_id=source.pk, owner="bench")
        assert run.status == "done", run.reason
        return run.created + run.updated + run.unchanged

    def deferred_indexing() -> int:
        # What the worker's index task does after each page of the run: the
        # Wagtail search and reference index entries of the pages written.
        from cms.indexing import DEFERRABLE, index_updates_apply

        page_ids = source.items.values_list("page_id", flat=True)
        return index_updates_apply(
            updates=[
                (path, "cms", "datasetpage", str(pk))
                for pk in page_ids.iterator()
                for path in sorted(DEFERRABLE)
            ]
        ) // len(DEFERRABLE)

    baseline = measured(parse_only, traced=traced)
    full = measured(harvest, traced=traced)
    result = {
        "items": items,
        "parse_only_baseline": baseline,
        "harvest": full,
        "harvest_to_baseline_speed": round(
            full["items_per_s"] / baseline["items_per_s"], 4
        ),
    }
    if indexing:
        applied = measured(deferred_indexing, traced=False)
        result["deferred_wagtail_indexing"] = applied
        result["harvest_and_indexing_to_baseline_speed"] = round(
            items / (full["seconds"] + applied["seconds"]) / baseline["items_per_s"],
            4,
        )
    result["harvest_unchanged_rerun"] = measured(harvest, traced=False)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument(
        "--search-url", default=os.environ.get("HUBNET_TEST_SEARCH_URL")
    )
    parser.add_argument("--indexing", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--no-read-ahead", action="store_true")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    os.environ["HARVEST_ALLOW_HOSTS"] = "127.0.0.1"
    os.environ["HARVEST_RUN_DEADLINE"] = "86400"
    os.environ["HARVEST_READ_AHEAD"] = "0" if options.no_read_ahead else "1"
    load_before = round(os.getloadavg()[0], 2)
    with core.search_bench("harvest", options.search_url):
        database = core.database_vendor()
        from tests.cms.factories import hub_home
        from tests.standards.harvest.server import Portal, portal_serving

        hub_home()
        with portal_serving(Portal()) as portal:
            if options.warmup:
                bench_size(portal, options.warmup, options.page_size, "warm-up")
            results = []
            for size in sizes:
                results.append(
                    bench_size(
                        portal,
                        size,
                        options.page_size,
                        indexing=options.indexing,
                        traced=options.tracemalloc,
                    )
                )
                print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    peaks = [result["harvest"]["peak_rss_mib"] for result in results]
    print(
        json.dumps(
            {
                "benchmark": "harvest",
                "load_average": [load_before, round(os.getloadavg()[0], 2)],
                "cpus": os.cpu_count(),
                "database": database,
                "page_size": options.page_size,
                "read_ahead": not options.no_read_ahead,
                "sizes": results,
                "memory_growth": round(peaks[-1] / max(1, peaks[0]), 3),
                "aim": "harvest >= 0.5 x baseline items/s; memory_growth ~1",
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
