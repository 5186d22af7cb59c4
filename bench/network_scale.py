"""The network at scale, simulated: prints JSON.

Builds a tree of 1 EU, 27 national, regional (NUTS-2) and local (NUTS-3) hubs
from NUTS 2021, sampled to each size asked, and runs the real sync code on it
in memory (``bench/network_sim.py``: every hub a dict store, feed pages and
pokes exchanged as the real GraphQL bodies, records signed and verified with
real Ed25519 keys). For each size, in a fresh process:

- initial convergence: every hub publishes ``--records-per-hub`` records, then
  pokes and syncs run until the EU hub holds them all (simulated time with one
  sync worker per hub and ``--hop-latency`` per message; and the CPU time);
- publish to EU: one record published at ``--publishes`` random local hubs,
  one after the other: hops, messages (pokes and feed requests) and bytes per
  publish, and the time until the EU holds it, as processing alone (CPU time
  of every hop here) and with the per-hop latency added;
- peak memory (max RSS) of the process, and before the tree was built.

    python bench/network_scale.py [--sizes 100,300,1000,full]
        [--records-per-hub 20] [--publishes 20] [--hop-latency 0.25]
        [--plot docs/network-scale.png]

The default hop latency, 0.25 s, is the soak's measured publish-to-EU lag on
PostgreSQL and Redis (p50 0.74 s over three hops, README "Long runs"): a poke
through Celery, the worker picking it up, the feed request, the commit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubnet.settings.test")


def _django() -> None:
    import django

    django.setup()


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def converge(network: Any, tree: list[Any], *, records_per_hub: int) -> dict:
    """Every hub publishes its records at time 0; run until no poke is pending."""
    from bench.network_tree import project_body

    for number, hub in enumerate(tree):
        network.publish(
            hub, body=project_body(hub, number), count=records_per_hub, at=0.0
        )
    network.run()
    expected = len(tree) * records_per_hub
    if len(network.eu.rows) != expected:
        raise RuntimeError(f"the EU holds {len(network.eu.rows)} of {expected}")
    return {
        "eu_records": len(network.eu.rows),
        "seconds_simulated": round(network.now, 3),
        "cpu_seconds": round(network.cpu, 3),
        "cpu_seconds_by_level": {
            level: round(spent, 3) for level, spent in network.cpu_by_level.items()
        },
        "syncs": network.syncs,
        "messages": network.traffic.messages,
        "megabytes": round(network.traffic.bytes / 1e6, 2),
        "key_statement_megabytes": round(network.traffic.key_bytes / 1e6, 2),
    }


def publish_to_eu(network: Any, hub: Any) -> dict:
    """Publish one record at ``hub`` once the network is quiet; what it took."""
    from bench.network_tree import project_body

    before = (
        network.traffic.pokes,
        network.traffic.fetches,
        network.traffic.bytes,
        network.traffic.key_bytes,
        network.cpu,
        dict(network.cpu_by_level),
    )
    start = network.now
    (record_id,) = network.publish(hub, body=project_body(hub, 0), count=1, at=start)
    network.run()
    return {
        "hops": hub.depth,
        "pokes": network.traffic.pokes - before[0],
        "fetches": network.traffic.fetches - before[1],
        "bytes": network.traffic.bytes - before[2],
        "seconds": network.arrivals[record_id] - start,
        "key_bytes": network.traffic.key_bytes - before[3],
        "cpu_seconds": network.cpu - before[4],
        "eu_hop_seconds": network.cpu_by_level.get("eu", 0.0)
        - before[5].get("eu", 0.0),
    }


def scale_run(
    *,
    hubs: int | None,
    records_per_hub: int,
    publishes: int,
    latency: float,
    seed: int = 1,
) -> dict:
    """Build the tree of ``hubs`` hubs (None: all), converge it, then publish."""
    from bench.network_sim import Network
    from bench.network_tree import tree_build

    rss_before = _rss_mb()
    tree = tree_build(hubs=hubs, seed=seed)
    levels: dict[str, int] = {}
    for hub in tree:
        levels[hub.level] = levels.get(hub.level, 0) + 1
    network = Network(tree, latency=latency)
    convergence = converge(network, tree, records_per_hub=records_per_hub)
    # Publishes measured without latency: the processing alone; the latency
    # of a hop is then added once per hop.
    network.latency = 0.0
    locals_ = [hub for hub in tree if hub.level == "local"]
    chosen = random.Random(seed).sample(locals_, min(publishes, len(locals_)))
    runs = [publish_to_eu(network, hub) for hub in chosen]
    median = statistics.median
    hops = median(r["hops"] for r in runs)
    processing = median(r["seconds"] for r in runs)
    return {
        "hubs": len(tree),
        "levels": levels,
        "records_per_hub": records_per_hub,
        "convergence": convergence,
        "publish": {
            "publishes": len(runs),
            "hops": hops,
            "messages_per_publish": median(r["pokes"] + r["fetches"] for r in runs),
            "pokes_per_publish": median(r["pokes"] for r in runs),
            "fetches_per_publish": median(r["fetches"] for r in runs),
            "kilobytes_per_publish_median": round(
                median(r["bytes"] for r in runs) / 1e3, 1
            ),
            "kilobytes_per_publish_max": round(max(r["bytes"] for r in runs) / 1e3, 1),
            "key_statement_share_of_bytes": round(
                sum(r["key_bytes"] for r in runs) / sum(r["bytes"] for r in runs), 3
            ),
            "processing_ms_median": round(processing * 1e3, 2),
            "processing_ms_max": round(max(r["seconds"] for r in runs) * 1e3, 2),
            "eu_hop_ms_median": round(
                median(r["eu_hop_seconds"] for r in runs) * 1e3, 2
            ),
            "with_latency_seconds_median": round(processing + hops * latency, 3),
        },
        "memory": {"rss_mb_before": rss_before, "rss_mb_peak": _rss_mb()},
    }


def plot_write(results: list[dict], path: Path, *, latency: float) -> None:
    """Publish-to-EU time and messages (and kilobytes) per publish by hub count."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    hubs = [r["hubs"] for r in results]
    publish = [r["publish"] for r in results]
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(
        hubs,
        [p["processing_ms_median"] for p in publish],
        "o-",
        label="processing (CPU of every hop)",
    )
    left.plot(
        hubs,
        [p["with_latency_seconds_median"] * 1e3 for p in publish],
        "s--",
        label=f"with {latency} s latency per hop",
    )
    left.set(
        xlabel="hubs",
        ylabel="ms (median)",
        title="Publish at a local hub to the EU hub",
    )
    left.set_yscale("log")
    left.legend()
    right.plot(
        hubs,
        [p["messages_per_publish"] for p in publish],
        "o-",
        label="messages (pokes + feed requests)",
    )
    right.set(xlabel="hubs", ylabel="messages per publish", title="Traffic per publish")
    right.set_ylim(0, max(p["messages_per_publish"] for p in publish) * 1.5)
    twin = right.twinx()
    twin.plot(
        hubs,
        [p["kilobytes_per_publish_median"] for p in publish],
        "s--",
        color="tab:orange",
        label="kilobytes (median)",
    )
    twin.set_ylabel("kilobytes per publish")
    lines = right.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    right.legend(lines, [line.get_label() for line in lines], loc="upper left")
    for axis in (left, right):
        axis.grid(alpha=0.3)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,300,1000,full")
    parser.add_argument("--records-per-hub", type=int, default=20)
    parser.add_argument("--publishes", type=int, default=20)
    parser.add_argument("--hop-latency", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plot", type=Path)
    parser.add_argument("--single", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.single:
        _django()
        size = None if options.single == "full" else int(options.single)
        result = scale_run(
            hubs=size,
            records_per_hub=options.records_per_hub,
            publishes=options.publishes,
            latency=options.hop_latency,
            seed=options.seed,
        )
        print(json.dumps(result))
        return 0
    results = []
    started = time.perf_counter()
    for size in options.sizes.split(","):
        # One process per size: its peak memory is its own.
        output = subprocess.run(
            [
                sys.executable,
                __file__,
                "--single",
                size.strip(),
                "--records-per-hub",
                str(options.records_per_hub),
                "--publishes",
                str(options.publishes),
                "--hop-latency",
                str(options.hop_latency),
                "--seed",
                str(options.seed),
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=1800,
        ).stdout
        results.append(json.loads(output))
    report = {
        "hop_latency_seconds": options.hop_latency,
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "cpus": os.cpu_count(),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "sizes": results,
    }
    if options.plot:
        plot_write(results, options.plot, latency=options.hop_latency)
        report["plot"] = str(options.plot)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
