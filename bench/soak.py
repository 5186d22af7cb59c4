"""Soak test: the demo's eight hubs under supervision for MINUTES while records are
created, edited and withdrawn at several hubs and a random process is killed
every few minutes; at the end every hub must be healthy, the EU hub must hold
exactly what every origin holds, the shared index exactly what the EU hub holds.
Prints a JSON report; exits 1 when anything is lost or unhealthy.

Runs on the embedded defaults (SQLite, embedded broker), or on PostgreSQL and
Redis when DATABASE_URL / CELERY_BROKER_URL name them (as the end-to-end tests);
starts its own embedded search node (which the chaos also kills now and then)
unless --search-url (or SEARCH_URL) names one.

    python bench/soak.py --minutes 60 [--kill-every 180] [--ops-per-minute 40]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.soak_checks import (  # noqa: E402
    differences,
    digests_compare,
    index_drop,
    index_state,
    log_tracebacks,
    report_write,
    snapshots_read,
    unhealthy_hubs,
)
from bench.soak_traffic import LagTracker, Publishers  # noqa: E402
from hubnet.demo.hubs import DEMO_HUBS  # noqa: E402
from hubnet.localnet import (  # noqa: E402
    Network,
    NetworkOptions,
    RunningNetwork,
    network_launch,
    network_prepare,
)
from hubnet.processes import wait_until  # noqa: E402
from hubnet.supervision import DaemonProcess  # noqa: E402
from tests.e2e.conftest import free_ports  # noqa: E402

EU = "eu"
# Local, local, regional and national hubs publish.
PUBLISHING_HUBS = ("den-bosch", "eindhoven", "nl-nb", "be")
NODE = "search-node"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/soak.py", description=__doc__)
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument(
        "--kill-every", type=float, default=180, help="seconds between kills (±25%%)"
    )
    parser.add_argument(
        "--node-kill-every",
        type=int,
        default=5,
        help="every Nth kill hits the search node the soak started (0: never)",
    )
    parser.add_argument("--ops-per-minute", type=float, default=40)
    parser.add_argument("--seed", type=int, default=20, help="records per publisher")
    parser.add_argument("--search-url", default=os.environ.get("SEARCH_URL"))
    parser.add_argument("--var-dir", type=Path, default=None)
    parser.add_argument("--converge-timeout", type=float, default=300)
    parser.add_argument("--sync-interval", type=int, default=30)
    parser.add_argument("--random-seed", type=int, default=None)
    return parser.parse_args(argv)


def _log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


class Chaos(threading.Thread):
    """Kills a random running process of the group (SIGKILL to its whole process
    group) every ``every`` seconds (±25%); every ``node_every``-th kill hits the
    search node when it is a member. Victims are chosen by name at run time."""

    def __init__(
        self, running: RunningNetwork, *, every: float, node_every: int, rng
    ) -> None:
        super().__init__(name="soak-chaos", daemon=True)
        self.running = running
        self.every = every
        self.node_every = node_every
        self.rng = rng
        self.kills: Counter[str] = Counter()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every * self.rng.uniform(0.75, 1.25)):
            members = [p for p in list(self.running.group.processes) if p.alive()]
            node = [p for p in members if p.name == NODE]
            hubs = [p for p in members if p.name != NODE]
            total = sum(self.kills.values()) + 1
            pool = (
                node
                if node and self.node_every and total % self.node_every == 0
                else hubs
            )
            if not pool:
                continue
            victim = self.rng.choice(pool)
            pid = victim.pid
            if pid is None:
                continue
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
                self.kills[victim.name] += 1
                _log(f"chaos: killed {victim.name} (pid {pid})")


def _percentiles(samples: list[float]) -> dict[str, float | int | None]:
    if not samples:
        return {"samples": 0, "p50": None, "p95": None, "max": None}
    ordered = sorted(samples)
    cuts = statistics.quantiles(ordered, n=100) if len(ordered) > 1 else ordered * 99
    return {
        "samples": len(ordered),
        "p50": round(statistics.median(ordered), 2),
        "p95": round(cuts[94], 2),
        "max": round(ordered[-1], 2),
    }


def _search_node(var_dir: Path) -> tuple[str, DaemonProcess]:
    from hubnet.demo.supervise import search_node_process
    from search import embedded_node

    port = free_ports(1)[0]
    data_dir = var_dir / "search-node"
    status = embedded_node.node_start(port=port, data_dir=data_dir)
    return status.url, search_node_process(data_dir=data_dir, port=port)


def _network_start(
    var_dir: Path, search_url: str, extra_env: dict[str, str]
) -> RunningNetwork:
    """The demo's hubs on free ports, each database a copy of one migrated
    template; PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL name
    them (as ``tests/e2e/conftest.py`` chooses)."""
    slugs = [hub.slug for hub in DEMO_HUBS]
    ports = dict(zip(slugs, free_ports(len(slugs)), strict=True))
    running = network_prepare(
        Network(hubs=list(DEMO_HUBS), ports=ports),
        NetworkOptions.from_environ(
            var_dir=var_dir,
            search_url=search_url,
            extra_env=extra_env,
            template=True,
        ),
    )
    return network_launch(running)


def soak(options: argparse.Namespace) -> dict:
    rng = random.Random(options.random_seed)
    run_id = uuid.uuid4().hex[:8]
    stamp = time.strftime("%Y%m%d-%H%M%S")
    var_dir = (options.var_dir or ROOT / "var" / "soak" / f"{stamp}-{run_id}").resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    alias = f"soak-{run_id}"
    report: dict = {
        "minutes": options.minutes,
        "database": "postgresql"
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "sqlite",
        "broker": "redis"
        if os.environ.get("CELERY_BROKER_URL", "").startswith("redis")
        else "embedded",
        "var_dir": str(var_dir),
    }
    node: DaemonProcess | None = None
    running: RunningNetwork | None = None
    publishers: Publishers | None = None
    chaos: Chaos | None = None
    tracker: LagTracker | None = None
    search_url = options.search_url
    try:
        if not search_url:
            _log("starting an embedded search node ...")
            search_url, node = _search_node(var_dir)
        report["search"] = "embedded node (killed too)" if node else search_url
        _log(f"starting {len(DEMO_HUBS)} hubs in {var_dir} ...")
        started = time.monotonic()
        running = _network_start(
            var_dir,
            search_url,
            {
                "SEARCH_INDEX_ALIAS": alias,
                "SYNC_INTERVAL": str(options.sync_interval),
                "HEARTBEAT_INTERVAL": "2",
                # The soak measures federation and indexing under chaos; eight
                # hubs encoding vectors on two cores would measure the CPU.
                "SEARCH_ENCODER": "none",
            },
        )
        report["start_seconds"] = round(time.monotonic() - started, 1)
        if node is not None:
            with running.group.lock:
                running.group.processes.append(node)
        running.group.supervise(
            on_event=lambda message: _log(f"supervisor: {message.splitlines()[0]}"),
            log_path=running.log_dir / "supervisor.log",
            status_path=var_dir / "status.json",
        )
        publishers = Publishers(running, PUBLISHING_HUBS, log_dir=running.log_dir)
        tracker = LagTracker(running.network.url(EU))
        tracker.start()
        seeded = publishers.seed(options.seed, tracker)
        _log(
            f"seeded {seeded} records; publishing and killing for {options.minutes} min"
        )
        chaos = Chaos(
            running,
            every=options.kill_every,
            node_every=options.node_kill_every,
            rng=rng,
        )
        chaos.start()
        publishers.run(
            seconds=options.minutes * 60,
            per_minute=options.ops_per_minute,
            tracker=tracker,
            rng=rng,
            on_progress=_log,
        )
        chaos.stopped.set()
        chaos.join()
        publishers.stop()
        report.update(publishers.counts())
        report["seeded"] = seeded
        report["kills"] = dict(chaos.kills)
        report["kills_total"] = sum(chaos.kills.values())

        _log(f"converging ({tracker.pending()} versions not yet at the EU hub) ...")
        converge_started = time.monotonic()
        converged = wait_until(
            lambda: tracker.pending() == 0,
            timeout=options.converge_timeout,
            interval=1,
        )
        report["converged"] = converged
        report["converge_seconds"] = round(time.monotonic() - converge_started, 1)
        tracker.stop()
        report["lag_seconds"] = _percentiles(tracker.samples)
        report["unresolved_versions"] = tracker.pending()
        report.update(_final_checks(running, search_url, alias, publishers))
    finally:
        if chaos is not None:
            chaos.stopped.set()
        if tracker is not None:
            tracker.stop()
        if publishers is not None:
            publishers.stop()
        if running is not None:
            report["restarts"] = {
                p.name: p.restarts for p in running.group.processes if p.restarts
            }
            report["restarts_total"] = sum(report["restarts"].values())
            running.stop()
            report["tracebacks"] = log_tracebacks(running.log_dir)
        if node is not None:
            node.stop()
        elif search_url:
            index_drop(search_url, alias)
    report["ok"] = bool(
        report.get("converged")
        and report.get("lost") == 0
        and not report.get("unhealthy")
        and report.get("digests_equal")
    )
    report_write(var_dir / "soak-report.json", report)
    return report


def _final_checks(
    running: RunningNetwork, search_url: str, alias: str, publishers: Publishers
) -> dict:
    """Health, digests, the EU hub's state against each origin's and the index."""
    found: dict = {}
    _log("checking health ...")
    wait_until(lambda: not unhealthy_hubs(running), timeout=120, interval=2)
    found["unhealthy"] = unhealthy_hubs(running)
    origins = [hub.slug for hub in DEMO_HUBS if hub.slug != EU]
    _log("comparing digests and record states (origins, EU hub) ...")
    snapshots: dict = {}
    digests: dict = {}

    def digests_equal() -> bool:
        snapshots.update(snapshots_read(running, EU, origins))
        digests.update(digests_compare(snapshots, EU))
        return all(item["equal"] for item in digests.values())

    wait_until(digests_equal, timeout=120, interval=5)
    found["digests"] = digests
    found["digests_equal"] = all(item["equal"] for item in digests.values())
    states = {slug: snapshot["state"] for slug, snapshot in snapshots.items()}
    eu_state = states[EU]
    lost_at_eu: list[str] = []
    for slug in origins:
        own = {k: v for k, v in states[slug].items() if k.split(":", 1)[0] == slug}
        held = {k: v for k, v in eu_state.items() if k.split(":", 1)[0] == slug}
        lost_at_eu += differences(own, held)
    # A commit the publisher saw must still be at its origin (nothing rolled back).
    lost_at_origin = [
        record_id
        for record_id, (version, _) in publishers.committed().items()
        if states[record_id.split(":", 1)[0]].get(record_id, (0, False))[0] < version
    ]
    _log("comparing the index with the EU hub ...")
    lost_in_index: list[str] = []

    def index_matches() -> bool:
        lost_in_index[:] = differences(eu_state, index_state(search_url, alias))
        return not lost_in_index

    wait_until(index_matches, timeout=120, interval=5)
    found["records_at_eu"] = len(eu_state)
    found["deleted_at_eu"] = sum(deleted for _, deleted in eu_state.values())
    lost = sorted(set(lost_at_eu) | set(lost_in_index) | set(lost_at_origin))
    found.update(
        {
            "lost": len(lost),
            "lost_at_origin": lost_at_origin[:20],
            "lost_at_eu": sorted(set(lost_at_eu))[:20],
            "lost_in_index": lost_in_index[:20],
        }
    )
    return found


def _interrupt(signum: int, frame: object) -> None:  # noqa: ARG001  signal handler signature
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    options = _parse(sys.argv[1:] if argv is None else argv)
    # SIGTERM unwinds like Ctrl-C: everything started is stopped.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        report = soak(options)
    except KeyboardInterrupt:
        _log("interrupted; everything stopped")
        return 130
    print(json.dumps(report, indent=1))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
