"""Federation sync benchmark: prints JSON.

Measures, on real hub processes over HTTP (embedded defaults, or PostgreSQL and
Redis when DATABASE_URL / CELERY_BROKER_URL name them):

- initial sync of N records from a live peer (records/s), with signature
  verification on, against two baselines in the same run: fetching the same
  feed over HTTP without applying it (what validation and storage cost on top
  of transport), and the raw bulk upsert of the same records into a table
  shaped like the store in the syncing hub's database (the physical limit of
  applying: COPY and INSERT ... ON CONFLICT DO UPDATE, nothing checked);
- what verification costs: the time each verified sync spends verifying
  (timed inside the syncing process) as a share of its sync time (median of
  three syncs), the CPU time the syncing process spends verifying as a share
  of the CPU time it spends syncing (steady however busy the machine), and the
  same initial sync repeated, alternately with FEDERATION_VERIFY_SIGNATURES=0
  and with verification on (the records removed from the syncing hub in
  between), as the ratio of the median sync times (noisy on a shared machine);
- peak memory of the syncing process for N and N/5 records (bounded: the ratio
  stays near 1 when memory does not grow with the number of records);
- a no-op incremental sync (requests made and duration);
- publish-to-EU propagation through a three-hop chain with the poke.

    python bench/federation_sync.py [--records 50000] [--small-records N]
        [--search-url URL] [--no-propagation]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.soak_checks import index_drop  # noqa: E402
from bench.sync_baselines import raw_fetch, raw_upsert  # noqa: E402
from hubnet.localnet import HubSpec  # noqa: E402
from hubnet.processes import wait_until  # noqa: E402
from tests.e2e.conftest import free_ports, start_test_network  # noqa: E402
from tests.e2e.driver import NetworkDriver  # noqa: E402

# The hubs' own alias on the engine, dropped at the end: on a shared node the
# bench's records never land in another user's catalogue (the default alias).
ALIAS = f"bench-sync-{uuid.uuid4().hex[:8]}"


def _start(hubs: list[HubSpec], var_dir: Path, search_url: str, hub_env=None):
    return start_test_network(
        hubs,
        var_dir=var_dir,
        search_url=search_url,
        extra_env={
            "SYNC_INTERVAL": "3600",
            "HEARTBEAT_INTERVAL": "5",
            "SEARCH_INDEX_ALIAS": ALIAS,
        },
        hub_env=hub_env,
    )


# Runs `hubnet sync` and reports its own peak RSS and the wall time spent in
# signature verification (loading the pinned keys of a page, building each
# record's canonical form and checking its Ed25519 signature), timed inside the
# same process, so the share holds however loaded the machine is.
_SYNC_AND_REPORT_RSS = (
    "import resource, sys, time\n"
    "from hubnet.cli import _setup_django, main\n"
    "_setup_django()\n"
    "from federation.services.verify import KeyRing\n"
    "spent = [0.0, 0, 0.0]\n"
    "def timed(method, count):\n"
    "    def wrapper(*args, **kwargs):\n"
    "        started, cpu = time.perf_counter(), time.thread_time()\n"
    "        try:\n"
    "            return method(*args, **kwargs)\n"
    "        finally:\n"
    "            spent[0] += time.perf_counter() - started\n"
    "            spent[1] += count\n"
    "            spent[2] += time.thread_time() - cpu\n"
    "    return wrapper\n"
    "KeyRing.__init__ = timed(KeyRing.__init__, 0)\n"
    "KeyRing.refusal = timed(KeyRing.refusal, 1)\n"
    "cpu = time.thread_time()\n"
    "status = main(['sync', '--neighbour', sys.argv[1]])\n"
    "cpu = time.thread_time() - cpu\n"
    "print('VERIFY', round(spent[0] * 1000, 1), spent[1],\n"
    "      round(spent[2] * 1000, 1), round(cpu * 1000, 1))\n"
    "print('MAXRSS_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    "sys.exit(status)\n"
)


# Forget what the syncing hub holds of one neighbour's origin, so the next
# sync applies every record again; print how many it held verified.
_FORGET = (
    "import sys\n"
    "from hubnet.cli import main\n"
    "main(['shell', '-c', 'from federation.models import StoredRecord, SyncState; "
    "held = StoredRecord.objects.filter(origin=%r); "
    'print("VERIFIED", held.filter(verified=True).count()); '
    "held.delete(); "
    'SyncState.objects.filter(neighbour__slug=%r).update(cursor="", '
    "local_position_seq=0)' % (sys.argv[1], sys.argv[1])])\n"
)


def _forget(network: NetworkDriver, slug: str, neighbour: str) -> int:
    """Drop the neighbour's records and cursor; how many of them were verified."""
    completed = subprocess.run(
        [sys.executable, "-c", _FORGET, neighbour],
        env=network.environments[slug],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(completed.stdout.split("VERIFIED", 1)[1].split()[0])


def _timed_sync(
    network: NetworkDriver, slug: str, neighbour: str, env: dict | None = None
) -> dict:
    """Run `hubnet sync` in a process of its own; wall time and its own peak RSS."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", _SYNC_AND_REPORT_RSS, neighbour],
        env={**network.environments[slug], **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    lines = completed.stdout.strip().splitlines()
    peak_kib = int(lines[-1].split()[1])
    _, verify_ms, verified, verify_cpu_ms, sync_cpu_ms = lines[-2].split()
    fields = dict(part.split("=", 1) for part in lines[-3].split() if "=" in part)
    return {
        "seconds": round(seconds, 3),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "verify_ms": float(verify_ms),
        "verify_cpu_ms": float(verify_cpu_ms),
        "sync_cpu_ms": float(sync_cpu_ms),
        "records_checked": int(verified),
        "fetched": int(fields["fetched"]),
        "applied": int(fields["applied"]),
        "pages": int(fields["pages"]),
        "duration_ms": int(fields["duration"].removesuffix("ms")),
    }


def bench_initial_sync(
    records: int,
    search_url: str,
    var_dir: Path,
    verification_rounds: int = 2,
    small: int | None = None,
) -> dict:
    hubs = [
        HubSpec("nl", "Nederland", "national", country="NL", nuts="NL"),
        HubSpec("nl-nb", "Noord-Brabant", "regional", country="NL", parent="nl"),
        HubSpec("nl-nh", "Noord-Holland", "regional", country="NL", parent="nl"),
    ]
    # Children do not poke: the syncs below are the only ones.
    quiet = {"SYNC_POKE_ROLES": "peer"}
    network = _start(hubs, var_dir, search_url, {"nl-nb": quiet, "nl-nh": quiet})
    try:
        small = small or max(records // 5, 1)
        network.command(
            "nl-nb", "catalogue_seed", "--count", str(records), timeout=1800
        )
        network.command("nl-nh", "catalogue_seed", "--count", str(small), timeout=1800)
        wires_file = var_dir / "wires.jsonl"
        baseline = raw_fetch(
            network, "nl-nb", network.tokens["nl>nl-nb"], wires_file=wires_file
        )
        upsert = raw_upsert(network, "nl", wires_file)
        wires_file.unlink()
        small_sync = _timed_sync(network, "nl", "nl-nh")
        full_sync = _timed_sync(network, "nl", "nl-nb")
        noop = _timed_sync(network, "nl", "nl-nb")
        converged = network.digest("nl", origin="nl-nb") == {
            **network.digest("nl-nb"),
            "latestSequence": network.digest("nl", origin="nl-nb")["latestSequence"],
        }
        # Verified and unverified syncs alternate, so a neighbour's load on
        # the shared machine does not fall on one side only.
        verified_runs = [full_sync]
        verified_ms, unverified_ms = [full_sync["duration_ms"]], []
        held_verified = {"verified": [], "unverified": []}
        held_verified["verified"].append(_forget(network, "nl", "nl-nb"))
        for _ in range(verification_rounds):
            unverified = _timed_sync(
                network, "nl", "nl-nb", env={"FEDERATION_VERIFY_SIGNATURES": "0"}
            )
            unverified_ms.append(unverified["duration_ms"])
            held_verified["unverified"].append(_forget(network, "nl", "nl-nb"))
            verified = _timed_sync(network, "nl", "nl-nb")
            verified_ms.append(verified["duration_ms"])
            verified_runs.append(verified)
            held_verified["verified"].append(_forget(network, "nl", "nl-nb"))
    finally:
        network.stop()
    rate = full_sync["fetched"] / (full_sync["duration_ms"] / 1000)
    # Wall time verifying over wall time syncing, per sync: both stretch alike
    # when other work on the machine takes the CPU away; the median damps a
    # sync that met a burst of it.
    shares = [round(run["verify_ms"] / run["duration_ms"], 3) for run in verified_runs]
    baseline_rate = baseline["records"] / baseline["seconds"]
    return {
        "records": records,
        "initial_sync": {
            **full_sync,
            "records_per_second": round(rate),
            "aim_records_per_second": 5000,
        },
        "baseline_http_fetch_only": {
            **baseline,
            "records_per_second": round(baseline_rate),
        },
        "baseline_raw_upsert": upsert,
        "ratio_sync_to_fetch_only": round(rate / baseline_rate, 3),
        "ratio_sync_to_raw_upsert": round(rate / upsert["records_per_second"], 3),
        "ratio_sync_to_slower_baseline": round(
            rate / min(baseline_rate, upsert["records_per_second"]), 3
        ),
        "aim_ratio_to_slower_baseline": 0.5,
        "verification": {
            "records_checked_per_sync": [
                run["records_checked"] for run in verified_runs
            ],
            "verify_ms_per_sync": [run["verify_ms"] for run in verified_runs],
            "verify_share_per_sync": shares,
            "verify_share_of_sync_time_median": round(statistics.median(shares), 3),
            "verify_cpu_us_per_record": round(
                1000
                * sum(run["verify_cpu_ms"] for run in verified_runs)
                / max(sum(run["records_checked"] for run in verified_runs), 1),
                1,
            ),
            "verify_cpu_share_of_sync_cpu": round(
                sum(run["verify_cpu_ms"] for run in verified_runs)
                / sum(run["sync_cpu_ms"] for run in verified_runs),
                3,
            ),
            "aim_share_below": 0.2,
            "sync_ms_verified": verified_ms,
            "sync_ms_unverified": unverified_ms,
            "records_held_verified": held_verified,
            "ratio_verified_to_unverified_median": round(
                statistics.median(verified_ms) / statistics.median(unverified_ms), 3
            ),
        },
        "memory": {
            "peak_rss_mib_small": small_sync["peak_rss_mib"],
            "small_records": small,
            "peak_rss_mib_full": full_sync["peak_rss_mib"],
            "ratio_full_to_small": round(
                full_sync["peak_rss_mib"] / small_sync["peak_rss_mib"], 3
            ),
        },
        "noop_incremental_sync": {
            "requests": noop["pages"],
            "sync_ms": noop["duration_ms"],
            "process_seconds": noop["seconds"],
            "aim_ms": 100,
        },
        "converged": converged,
    }


def bench_propagation(search_url: str, var_dir: Path, rounds: int = 5) -> dict:
    hubs = [
        HubSpec("eu", "EU", "eu"),
        HubSpec("nl", "Nederland", "national", country="NL", nuts="NL", parent="eu"),
        HubSpec("nl-nb", "Noord-Brabant", "regional", country="NL", parent="nl"),
        HubSpec("den-bosch", "'s-Hertogenbosch", "local", country="NL", parent="nl-nb"),
    ]
    network = _start(hubs, var_dir, search_url)
    body_file = var_dir / "body.json"
    body_file.write_text(
        json.dumps(
            {
                "name": "Parkeerscan",
                "shortDescription": "Scan cars to check parking permits.",
                "organisation": "Gemeente 's-Hertogenbosch",
                "status": "in-use",
            }
        )
    )
    query = "query($id: ID!) { record(id: $id) { version } }"
    timings = []
    try:
        for _ in range(rounds):
            started = time.perf_counter()
            published = network.command_json(
                "den-bosch",
                "catalogue_publish",
                "--kind",
                "project",
                "--body-file",
                str(body_file),
            )
            arrived = wait_until(
                lambda published=published: (
                    network.graphql("eu", query, {"id": published["id"]})["data"][
                        "record"
                    ]
                    is not None
                ),
                timeout=60,
                interval=0.05,
            )
            if not arrived:
                raise RuntimeError("record did not reach the EU hub in 60 s")
            timings.append(time.perf_counter() - started)
    finally:
        network.stop()
    return {
        "hops": 3,
        "rounds": rounds,
        "seconds_median": round(statistics.median(timings), 3),
        "seconds_max": round(max(timings), 3),
        "seconds_all": [round(t, 3) for t in timings],
        "note": "includes the publish command's own start-up (~1.5 s of Python/Django)",
        "aim_seconds": 5,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument(
        "--small-records",
        type=int,
        default=None,
        help="records of the smaller sync whose peak memory is compared (N/5)",
    )
    parser.add_argument(
        "--search-url", default=os.environ.get("HUBNET_TEST_SEARCH_URL")
    )
    parser.add_argument(
        "--no-propagation",
        action="store_true",
        help="skip the publish-to-EU propagation (the sync figures only)",
    )
    options = parser.parse_args()
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    from search import embedded_node

    node_dir = ROOT / "var" / "bench" / "search-node"
    started_node = options.search_url is None
    if started_node:
        options.search_url = embedded_node.node_start(
            port=free_ports(1)[0], data_dir=node_dir
        ).url
    try:
        with tempfile.TemporaryDirectory(prefix="hubnet-bench-") as tmp:
            sync = bench_initial_sync(
                options.records,
                options.search_url,
                Path(tmp) / "a",
                small=options.small_records,
            )
            propagation = (
                None
                if options.no_propagation
                else bench_propagation(options.search_url, Path(tmp) / "b")
            )
    finally:
        if started_node:
            embedded_node.node_stop(data_dir=node_dir)
        else:
            index_drop(options.search_url, ALIAS)
    result = {
        "benchmark": "federation_sync",
        "loadavg_before": load_before,
        "database": "postgresql"
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "sqlite",
        "broker": "redis"
        if os.environ.get("CELERY_BROKER_URL", "").startswith("redis")
        else "sqlite-broker",
        **sync,
        "propagation": propagation,
    }
    result["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
