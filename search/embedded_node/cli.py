"""Command line: ``python -m search.embedded_node start|stop|status|build``."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from search.embedded_node.build import node_build
from search.embedded_node.config import (
    DEFAULT_DATA_DIR,
    DEFAULT_PORT,
    NodeError,
    NodeStatus,
)
from search.embedded_node.lifecycle import node_start, node_status, node_stop

# ----------------------------------------------------------------------- CLI


def _rss_kib(pid: int) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def _print_status(status: NodeStatus) -> None:
    data = status.as_dict()
    if status.running and status.pid:
        rss = _rss_kib(status.pid)
        if rss is not None:
            data["rss_mib"] = round(rss / 1024)
    print(json.dumps(data, indent=2))


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: ``start|stop|status|build [--port N] [--data-dir D]``; returns exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m search.embedded_node",
        description="Control the embedded OpenSearch node.",
    )
    parser.add_argument("command", choices=("start", "stop", "status", "build"))
    parser.add_argument("--port", type=int, default=None, help="HTTP port (9200)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help=f"data/log dir (default {DEFAULT_DATA_DIR})",
    )
    parser.add_argument(
        "--wait", type=float, default=120, help="start: seconds to wait for health"
    )
    parser.add_argument("--timeout", type=float, default=30, help="stop: seconds")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="build: Maven output"
    )
    args = parser.parse_args(argv)

    try:
        if args.command == "build":
            print(node_build(quiet=not args.verbose, force=True))
            return 0
        if args.command == "start":
            port = args.port if args.port is not None else DEFAULT_PORT
            status = node_start(
                port=port, data_dir=args.data_dir, wait_seconds=args.wait
            )
            _print_status(status)
            return 0
        if args.command == "stop":
            stopped = node_stop(data_dir=args.data_dir, timeout=args.timeout)
            print("stopped" if stopped else "not running")
            return 0
        status = node_status(data_dir=args.data_dir, port=args.port)
        _print_status(status)
        return 0 if status.healthy else 1
    except NodeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
