"""Fixtures for end-to-end tests that run several real hub processes.

Each hub gets its own database on the PostgreSQL server of DATABASE_URL (CI) or
its own SQLite file, and its own queue on the Redis of CELERY_BROKER_URL (CI) or
its own embedded broker file (sqlite-broker://).
"""

import socket
from pathlib import Path

from hubnet.localnet import HubSpec, Network, NetworkOptions, network_start
from tests.e2e.driver import NetworkDriver


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
) -> NetworkDriver:
    ports = dict(zip([hub.slug for hub in hubs], free_ports(len(hubs)), strict=True))
    options = NetworkOptions.from_environ(
        var_dir=var_dir,
        search_url=search_url,
        extra_env={"HEARTBEAT_INTERVAL": "2", **(extra_env or {})},
        hub_env=hub_env or {},
    )
    return NetworkDriver.of(network_start(Network(hubs=hubs, ports=ports), options))
