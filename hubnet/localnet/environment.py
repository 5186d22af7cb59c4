"""The environment of a hub's processes on one machine.

Every process the launcher starts (a hub's web server and workers, a command
run as a hub, the template database's migrate) inherits the caller's
environment through one filter, so one hub's identity, database or broker never
leaks into another.
"""

import os
import sys
from pathlib import Path

from hubnet.localnet.topology import Network

HUB_VARIABLES = (
    "HUB_SLUG",
    "HUB_NAME",
    "HUB_LEVEL",
    "HUB_COUNTRY",
    "HUB_NUTS",
    "HUB_LATITUDE",
    "HUB_LONGITUDE",
    "HUB_PATH",
    "HUB_PARENT_URL",
    "HUB_PUBLIC_URL",
    "CELERY_QUEUE",
    "DJANGO_SETTINGS_MODULE",
)
# Where a hub keeps its data: each hub of a network is given its own.
SERVICE_VARIABLES = ("DATABASE_URL", "CELERY_BROKER_URL")
ONE_MACHINE_THROTTLES = (
    "API_THROTTLE_ANON",
    "GRAPHQL_THROTTLE",
    "PAGES_THROTTLE",
    "EXPORT_THROTTLE",
)
ONE_MACHINE_RATE = "6000/minute"


def environment_inherited() -> dict[str, str]:
    """The caller's environment without any hub's identity, database or broker:
    what every process of a network starts from."""
    dropped = {*HUB_VARIABLES, *SERVICE_VARIABLES}
    return {key: value for key, value in os.environ.items() if key not in dropped}


def hub_environment(
    network: Network,
    slug: str,
    *,
    var_dir: Path,
    search_url: str,
    database_url: str | None = None,
    broker_url: str | None = None,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """The environment of one hub's processes (``environment_inherited`` plus
    the hub's identity, its place in the network and its services)."""
    hub = network.hub(slug)
    environ = environment_inherited()
    environ.update(
        {
            "HUB_SLUG": hub.slug,
            "HUB_NAME": hub.name,
            "HUB_LEVEL": hub.level,
            "HUB_COUNTRY": hub.country,
            "HUB_NUTS": hub.nuts,
            "HUB_PATH": ",".join(network.path(slug)),
            "HUB_PUBLIC_URL": network.url(slug),
            "HUBNET_VAR_DIR": str(var_dir),
            "SEARCH_URL": search_url,
            "DJANGO_SETTINGS_MODULE": "hubnet.settings.base",
            "PYTHONUNBUFFERED": "1",
            # The hubs of a one-machine network talk over 127.0.0.1.
            "NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES": "1",
        }
    )
    # Every client of a one-machine network (a person, the tests, the soak)
    # comes from 127.0.0.1 and shares one count: generous anonymous rates,
    # unless the caller sets its own (peers have their own count anyway).
    for name in ONE_MACHINE_THROTTLES:
        environ.setdefault(name, ONE_MACHINE_RATE)
    if hub.latitude is not None and hub.longitude is not None:
        environ["HUB_LATITUDE"] = str(hub.latitude)
        environ["HUB_LONGITUDE"] = str(hub.longitude)
    if hub.parent:
        environ["HUB_PARENT_URL"] = network.url(hub.parent)
    if database_url:
        environ["DATABASE_URL"] = database_url
    if broker_url:
        environ["CELERY_BROKER_URL"] = broker_url
    environ.update(extra or {})
    return environ


def hubnet_argv(*args: str) -> list[str]:
    """The command line of ``hubnet <args>`` with this interpreter."""
    return [sys.executable, "-m", "hubnet", *args]
