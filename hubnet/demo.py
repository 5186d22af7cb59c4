"""``hubnet demo``: a real hub network on one machine, on embedded defaults.

Starts the embedded search node and every hub (web + worker with beat, each with
its own SQLite database and filesystem broker), waits until each reports healthy,
prints where they answer, and stops everything on Ctrl-C.
"""

import argparse
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from hubnet.env import Env
from hubnet.network import HubSpec, Network, network_start
from hubnet.processes import run_checked

DEMO_HUBS = [
    HubSpec("eu", "EU AI Hub Network", "eu", latitude=50.8467, longitude=4.3525),
    HubSpec(
        "nl",
        "AI Hub Nederland",
        "national",
        country="NL",
        nuts="NL",
        latitude=52.0907,
        longitude=5.1214,
        parent="eu",
    ),
]


def _say(message: str) -> None:
    print(message, flush=True)


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    environ = Env()
    parser = argparse.ArgumentParser(prog="hubnet demo", description=__doc__)
    parser.add_argument("--reset", action="store_true", help="start from empty hubs")
    parser.add_argument(
        "--check",
        action="store_true",
        help="bring the network up, verify every hub is healthy, then stop",
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
        default=Path(__file__).resolve().parent.parent / "var" / "demo",
    )
    return parser.parse_args(argv)


def demo_main(argv: Sequence[str]) -> int:
    """Run the demo network until Ctrl-C (or, with --check, until it is healthy)."""
    from search import embedded_node

    options = _parse(argv)
    var_dir: Path = options.var_dir.resolve()
    if options.reset and var_dir.exists():
        _say(f"Removing {var_dir}")
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    log_dir = var_dir / "logs"
    network = Network(hubs=DEMO_HUBS, base_port=options.base_port)
    node_dir = var_dir / "search-node"
    stop_requested = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        stop_requested.set()

    started_at = time.monotonic()
    running = None
    try:
        _say(f"Starting the search node on 127.0.0.1:{options.search_port} ...")
        node = embedded_node.node_start(port=options.search_port, data_dir=node_dir)
        _say(f"  search node ready at {node.url}")
        _collect_static(var_dir)
        _say("Preparing hubs (migrations, neighbours) and starting them ...")
        running = network_start(
            network,
            var_dir=var_dir,
            search_url=node.url,
            on_progress=lambda slug: _say(f"  {slug} is healthy"),
        )
        _print_table(network, time.monotonic() - started_at, log_dir)
        if options.check:
            return 0
        # From here Ctrl-C or SIGTERM ends the wait; before, KeyboardInterrupt does.
        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        _say("Press Ctrl-C to stop every process of the demo.")
        while not stop_requested.wait(1.0):
            if dead := running.group.dead():
                _say(f"A process stopped unexpectedly: {dead[0].name}")
                _say(dead[0].log_tail())
                return 1
        return 0
    except (RuntimeError, TimeoutError, embedded_node.NodeError) as error:
        print(f"hubnet demo: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        _say("Stopping hubs and the search node ...")
        if running is not None:
            running.stop()
        embedded_node.node_stop(data_dir=node_dir)
        _say("Stopped.")


def _collect_static(var_dir: Path) -> None:
    """Collect static files once for all hubs (they share STATIC_ROOT)."""
    static_root = var_dir / "static"
    if (static_root / "wagtailadmin").exists():
        return
    _say("Collecting static files ...")
    environ = {
        key: value for key, value in os.environ.items() if not key.startswith("HUB_")
    }
    environ.update({"HUBNET_VAR_DIR": str(var_dir), "STATIC_ROOT": str(static_root)})
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    run_checked(
        [sys.executable, "-m", "hubnet", "collectstatic", "--noinput", "-v", "0"],
        env=environ,
    )


def _print_table(network: Network, seconds: float, log_dir: Path) -> None:
    _say("")
    _say(f"hubnet demo network is up ({seconds:.0f}s). Logs: {log_dir}")
    header = f"{'hub':<12}{'level':<10}{'site':<28}{'health':<36}"
    _say(header)
    _say("-" * len(header))
    for hub in network.hubs:
        url = network.url(hub.slug)
        _say(f"{hub.slug:<12}{hub.level:<10}{url + '/':<28}{url + '/healthz':<36}")
    _say("")
