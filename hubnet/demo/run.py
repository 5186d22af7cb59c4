"""``hubnet demo``: a real European hub network on one machine, on embedded defaults.

Starts the embedded search node, prepares the eight hubs of ``hubnet.demo.hubs``
(one migrated template database copied per hub, neighbours and tokens), seeds
each hub with its share of the real data (``hubnet.demo.data``) and a coordinator
account, starts every hub (web, worker with beat, sync worker; each hub with its
own SQLite database and SQLite broker file), waits until the EU hub holds every
record of every hub, prints where to look and supervises every process (and the
search node) until Ctrl-C, which stops everything: a process that dies is
restarted with back-off, see ``hubnet.demo.supervise``.

A re-run reuses the databases, tokens and credentials under the var directory and
seeds nothing that is already there; ``--reset`` starts clean.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import secrets
import shlex
import shutil
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from hubnet.demo.data import demo_plan
from hubnet.demo.hubs import demo_network
from hubnet.demo.mail import DemoMailServer
from hubnet.demo.ports import port_free, ports_in_use
from hubnet.demo.progress import ProgressBar, say
from hubnet.demo.register import register_plan
from hubnet.demo.static import collect_static
from hubnet.demo.status import (
    converged_wait,
    federation_kick,
    network_check,
    network_summary,
    summary_print,
)
from hubnet.demo.supervise import (
    search_node_process,
    soak_run,
    status_print,
    supervised_wait,
)
from hubnet.env import Env
from hubnet.localnet import (
    HUB_VARIABLES,
    Network,
    NetworkOptions,
    RunningNetwork,
    hub_environment,
    network_launch,
    network_prepare,
)
from hubnet.processes import run_lines

COORDINATOR = "coordinator"


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    environ = Env()
    parser = argparse.ArgumentParser(
        prog="hubnet demo",
        description="Run the demo hub network until Ctrl-C.",
    )
    parser.add_argument("--reset", action="store_true", help="start from empty hubs")
    parser.add_argument(
        "--check",
        action="store_true",
        help="bring the network up, seeded and synced, check it, then stop",
    )
    parser.add_argument(
        "--status",
        action="store_true",
        help="print the running demo's processes (pid, alive, restarts, last exit)",
    )
    parser.add_argument(
        "--soak",
        type=float,
        metavar="MINUTES",
        help="run bench/soak.py for MINUTES instead (its own hubs, publishers, kills)",
    )
    parser.add_argument("--base-port", type=int, default=8100)
    parser.add_argument(
        "--search-port",
        type=int,
        default=environ.int("SEARCH_NODE_PORT", 9200, minimum=1024, maximum=65535),
    )
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "var" / "demo",
    )
    parser.add_argument(
        "--env",
        metavar="SLUG",
        default=None,
        help="print shell exports that make hubnet commands act as this demo hub",
    )
    parser.add_argument(
        "--sync-timeout",
        type=float,
        default=300,
        help="seconds to wait for the EU hub to hold every record",
    )
    return parser.parse_args(argv)


def demo_hub_env(network: Network) -> dict[str, dict[str, str]]:
    """What the demo sets beyond ``hub_environment``: a stable queue per hub, so
    a command run later with the hub's environment (``hubnet catalogue_publish``)
    reaches the hub's worker, and a re-run finds what a previous one queued."""
    return {hub.slug: {"CELERY_QUEUE": f"hub-{hub.slug}"} for hub in network.hubs}


def demo_hub_environment(
    network: Network, slug: str, *, var_dir: Path, search_url: str
) -> dict[str, str]:
    """The environment of one running demo hub (to run ``hubnet`` commands as it)."""
    return hub_environment(
        network,
        slug,
        var_dir=var_dir,
        search_url=search_url,
        extra=demo_hub_env(network)[slug],
    )


def _print_env(options: argparse.Namespace, var_dir: Path) -> int:
    network = demo_network(base_port=options.base_port)
    if options.env not in network.ports:
        slugs = ", ".join(network.ports)
        print(f"hubnet demo: no hub {options.env!r} (one of {slugs})", file=sys.stderr)
        return 2
    environ = demo_hub_environment(
        network,
        options.env,
        var_dir=var_dir,
        search_url=f"http://127.0.0.1:{options.search_port}",
    )
    for key in (*HUB_VARIABLES, "HUBNET_VAR_DIR", "SEARCH_URL"):
        if key in environ:
            print(f"export {key}={shlex.quote(environ[key])}")
    return 0


class _Interrupted(KeyboardInterrupt):
    """SIGTERM while starting: unwind like Ctrl-C, so everything is stopped."""


def _interrupt(signum: int, frame: object) -> None:  # noqa: ARG001  signal handler signature
    raise _Interrupted


def demo_main(argv: Sequence[str]) -> int:
    """Run the demo network until Ctrl-C (or, with --check, until it is checked)."""
    from search import embedded_node

    options = _parse(argv)
    var_dir: Path = options.var_dir.resolve()
    if options.env is not None:
        return _print_env(options, var_dir)
    if options.status:
        return status_print(var_dir)
    if options.soak is not None:
        return soak_run(options.soak)
    network = demo_network(base_port=options.base_port)
    lock = _lock(var_dir)
    if lock is None:
        print(f"hubnet demo: another demo is running with {var_dir}", file=sys.stderr)
        return 1
    with lock:
        if busy := ports_in_use(network):
            print(
                f"hubnet demo: port(s) {', '.join(map(str, busy))} already in use; "
                "choose others with --base-port",
                file=sys.stderr,
            )
            return 1
        node_dir = var_dir / "search-node"
        if options.reset and var_dir.exists():
            embedded_node.node_stop(data_dir=node_dir)
            say(f"Removing {var_dir}")
            shutil.rmtree(var_dir)
        var_dir.mkdir(parents=True, exist_ok=True)
        return _run(options, network, var_dir)


def _run(options: argparse.Namespace, network: Network, var_dir: Path) -> int:
    from search import embedded_node

    node_dir = var_dir / "search-node"
    previous_sigint = signal.getsignal(signal.SIGINT)
    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    started_at = time.monotonic()
    running: RunningNetwork | None = None
    mail = DemoMailServer(maildir=var_dir / "mail", port=port_free())
    try:
        mail.start()
        say(f"Starting the search node on 127.0.0.1:{options.search_port} ...")
        node = embedded_node.node_start(port=options.search_port, data_dir=node_dir)
        say(f"  search node ready at {node.url} ({_since(started_at)})")
        collect_static(var_dir)
        plan = demo_plan(network.hubs)
        accounts, new_accounts = _credentials(var_dir / "credentials.json", network)
        seeder = _Seeder(network, plan, var_dir, register=register_plan(network.hubs))
        say(
            f"Preparing {len(network.hubs)} hubs (one template database, copied) "
            f"and seeding {seeder.total:,} records ..."
        )
        running = network_prepare(
            network,
            NetworkOptions(
                var_dir=var_dir,
                search_url=node.url,
                hub_env=mail.hub_env(demo_hub_env(network)),
                template=True,
                on_step=seeder.step,
                hub_setup=seeder.setup,
            ),
        )
        seeder.bar.finish(note=seeder.summary())
        say(
            f"Starting {len(network.hubs)} hubs (web, worker with beat, sync worker "
            "each) ..."
        )
        healthy = ProgressBar("healthy", len(network.hubs))
        network_launch(
            running,
            on_progress=lambda slug: healthy.advance(note=slug),
        )
        healthy.finish(note=f"all {len(network.hubs)} hubs healthy")
        federation_kick(running)
        converged = converged_wait(network, timeout=options.sync_timeout)
        summary = network_summary(
            network, plan, converged, time.monotonic() - started_at
        )
        (var_dir / "summary.json").write_text(json.dumps(summary, indent=1))
        summary_print(summary)
        _print_accounts(accounts, new_accounts, var_dir / "credentials.json")
        if options.check:
            return network_check(network, summary)
        if not converged:
            say("The EU hub does not hold every record yet; syncing goes on.")
        say(f"ready in {_since(started_at)}. Logs: {running.log_dir}")
        node_process = search_node_process(data_dir=node_dir, port=options.search_port)
        return supervised_wait(running, var_dir=var_dir, node=node_process)
    except (RuntimeError, TimeoutError, embedded_node.NodeError) as error:
        print(f"hubnet demo: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        say("Stopping hubs and the search node ...")
        stopping_at = time.monotonic()
        if running is not None:
            running.stop()
        embedded_node.node_stop(data_dir=node_dir)
        mail.stop()
        say(f"Stopped ({_since(stopping_at)}).")
        signal.signal(signal.SIGINT, previous_sigint)
        signal.signal(signal.SIGTERM, previous_sigterm)


def _lock(var_dir: Path) -> IO[str] | None:
    """An exclusive lock next to ``var_dir`` (it survives ``--reset``), held while
    this demo runs; None when another demo holds it."""
    var_dir.parent.mkdir(parents=True, exist_ok=True)
    handle = var_dir.with_name(f"{var_dir.name}.lock").open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def _since(started_at: float) -> str:
    return f"{time.monotonic() - started_at:.0f}s"


# -- coordinator accounts -----------------------------------------------------------


def _credentials(path: Path, network: Network) -> tuple[dict[str, dict], bool]:
    """One coordinator account per hub, generated once and kept in a 0600 file."""
    accounts: dict[str, dict] = json.loads(path.read_text()) if path.exists() else {}
    created = False
    for hub in network.hubs:
        if hub.slug not in accounts:
            accounts[hub.slug] = {
                "username": COORDINATOR,
                "password": secrets.token_urlsafe(12),
                "superuser": hub.level == "eu",
            }
            created = True
        accounts[hub.slug]["admin"] = f"{network.url(hub.slug)}/admin/"
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(json.dumps(accounts, indent=1))
    return accounts, created


def _print_accounts(accounts: dict[str, dict], new: bool, path: Path) -> None:
    if not new:
        say(
            f"Coordinator accounts (user {COORDINATOR!r} on every hub): passwords in "
            f"{path}"
        )
        return
    say(f"Coordinator accounts (shown once; kept in {path}):")
    for slug, account in accounts.items():
        role = "superuser" if account.get("superuser") else "coordinator"
        say(
            f"  {slug:<10} {account['admin']:<32} {account['username']} / "
            f"{account['password']}  ({role})"
        )


# -- seeding ------------------------------------------------------------------------


class _Seeder:
    """Writes each hub's seed file and seeds the hub right after it is prepared
    (before it starts), unless the same data was seeded into the same database."""

    def __init__(
        self,
        network: Network,
        plan: dict[str, list],
        var_dir: Path,
        *,
        register: dict[str, list] | None = None,
    ):
        self.network = network
        self.var_dir = var_dir
        self.files: dict[str, Path] = {}
        register = register or {}
        for slug, items in plan.items():
            hub_dir = var_dir / "hubs" / slug
            hub_dir.mkdir(parents=True, exist_ok=True)
            self.files[slug] = hub_dir / "seed.json"
            seed: dict = {"hub": slug, "items": [item.wire() for item in items]}
            if register.get(slug):
                # Algorithm register entries, imported as editable pages.
                seed["register"] = register[slug]
            content = json.dumps(seed, ensure_ascii=False)
            if not self.files[slug].exists() or self.files[slug].read_text() != content:
                self.files[slug].write_text(content)
        self.sizes = {
            slug: len(items) + len(register.get(slug, ()))
            for slug, items in plan.items()
        }
        self.total = sum(self.sizes.values())
        self.done: dict[str, int] = {}
        self.fresh: set[str] = set()
        self.results: dict[str, dict] = {}
        self._lock = threading.Lock()
        self.bar = ProgressBar("seeding", self.total)

    def step(self, slug: str, what: str) -> None:
        if what.startswith("copied"):
            self.fresh.add(slug)

    def _fingerprint(self, slug: str) -> str:
        digest = hashlib.sha256(self.files[slug].read_bytes())
        digest.update(self.network.url(slug).encode())
        digest.update((self.var_dir / "credentials.json").read_bytes())
        return digest.hexdigest()

    def setup(
        self, slug: str, environ: dict[str, str], neighbours: Path | None
    ) -> None:
        """Load the hub's neighbours (when they changed) and seed it (unless the
        same data was seeded into the same database), in one hub process."""
        marker = self.var_dir / "hubs" / slug / "seeded.sha256"
        fingerprint = self._fingerprint(slug)
        seeded = (
            slug not in self.fresh
            and marker.exists()
            and marker.read_text() == fingerprint
        )
        if seeded:
            self.results[slug] = {"published": 0, "unchanged": self.sizes[slug]}
            if neighbours is None:
                self._progress(slug, self.sizes[slug], note=f"{slug}: already seeded")
                return
        marker.unlink(missing_ok=True)
        argv = [sys.executable, "-m", "hubnet", "demo_seed"]
        if neighbours is not None:
            argv += ["--neighbours", str(neighbours)]
        if not seeded:
            argv += [
                "--hub-data",
                str(self.files[slug]),
                "--credentials",
                str(self.var_dir / "credentials.json"),
            ]

        def on_line(line: str) -> None:
            try:
                data = json.loads(line)
            except ValueError:
                return
            if isinstance(data, dict) and "done" in data:
                self._progress(slug, int(data["done"]), note=slug)
            elif isinstance(data, dict) and "published" in data:
                self.results[slug] = data

        run_lines(argv, env=environ, on_line=on_line)
        self._progress(slug, self.sizes[slug], note=f"{slug} seeded")
        marker.write_text(fingerprint)

    def _progress(self, slug: str, done: int, *, note: str) -> None:
        with self._lock:
            self.done[slug] = done
            total_done = sum(self.done.values())
        self.bar.update(total_done, note=note)

    def summary(self) -> str:
        results = self.results.values()
        published = sum(
            result.get("published", 0) + result.get("register_published", 0)
            for result in results
        )
        unchanged = sum(
            result.get("unchanged", 0) + result.get("register_unchanged", 0)
            for result in results
        )
        return f"{published:,} published, {unchanged:,} already there"
