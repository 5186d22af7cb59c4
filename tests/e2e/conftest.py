"""Fixtures for end-to-end tests that run several real hub processes.

Each hub gets its own database on the PostgreSQL server of DATABASE_URL (CI) or
its own SQLite file, and its own queue on the Redis of CELERY_BROKER_URL (CI) or
its own embedded broker file (sqlite-broker://).
"""

import os
import socket
from pathlib import Path

from hubnet.network import HubSpec, Network, RunningNetwork, network_start


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def start_test_network(
    hubs: list[HubSpec],
    *,
    var_dir: Path,
    search_url: str,
    extra_env: dict[str, str] | None = None,
    hub_env: dict[str, dict[str, str]] | None = None,
) -> RunningNetwork:
    ports = dict(zip([hub.slug for hub in hubs], free_ports(len(hubs)), strict=True))
    database_url = os.environ.get("DATABASE_URL", "")
    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    return network_start(
        Network(hubs=hubs, ports=ports),
        var_dir=var_dir,
        search_url=search_url,
        database_server=database_url if database_url.startswith("postgres") else None,
        broker_url=broker_url if broker_url.startswith("redis") else None,
        extra_env={"HEARTBEAT_INTERVAL": "2", **(extra_env or {})},
        hub_env=hub_env,
    )
