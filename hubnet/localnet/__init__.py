"""A hub network on one machine: which hubs, how they are wired, how to run them.

Used by ``hubnet demo``, the end-to-end tests and the soak, so all of them run
the same real processes (web, worker with beat, sync worker) with the same
wiring. ``topology`` (hubs, links, ports, tokens), ``environment`` (each
process's environment), ``databases`` (SQLite or PostgreSQL, template copies),
``options`` (``NetworkOptions``), ``prepare``, ``running`` (``RunningNetwork``)
and ``launch``.
"""

from hubnet.localnet.databases import (
    TEMPLATE_HUB_SLUG,
    database_from_template,
    sqlite_database_path,
    template_database_migrate,
)
from hubnet.localnet.environment import (
    HUB_VARIABLES,
    ONE_MACHINE_RATE,
    ONE_MACHINE_THROTTLES,
    environment_inherited,
    hub_environment,
    hubnet_argv,
)
from hubnet.localnet.launch import (
    hub_health,
    hub_start,
    hub_workers,
    hubs_wait_healthy,
    network_launch,
    network_start,
)
from hubnet.localnet.options import NetworkOptions
from hubnet.localnet.prepare import hub_prepare, network_prepare
from hubnet.localnet.running import RunningNetwork
from hubnet.localnet.topology import HubSpec, Network, network_tokens

__all__ = [
    "HUB_VARIABLES",
    "ONE_MACHINE_RATE",
    "ONE_MACHINE_THROTTLES",
    "TEMPLATE_HUB_SLUG",
    "HubSpec",
    "Network",
    "NetworkOptions",
    "RunningNetwork",
    "database_from_template",
    "environment_inherited",
    "hub_environment",
    "hub_health",
    "hub_prepare",
    "hub_start",
    "hub_workers",
    "hubnet_argv",
    "hubs_wait_healthy",
    "network_launch",
    "network_prepare",
    "network_start",
    "network_tokens",
    "sqlite_database_path",
    "template_database_migrate",
]
