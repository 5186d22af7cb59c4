"""Run a real hub network for a test: separate processes per hub, each with its
own database (PostgreSQL when DATABASE_URL names one, else SQLite) and its own
Celery worker (Redis when CELERY_BROKER_URL names it, else the filesystem)."""

from __future__ import annotations

import json
import os
import signal
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

from hubnet.network import (
    HubSpec,
    Network,
    hub_environment,
    hub_prepare,
    hub_start,
    hubs_wait_healthy,
    network_tokens,
)
from hubnet.processes import ProcessGroup, run_checked


def _postgres_admin_url(database_url: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


@dataclass
class RunningNetwork:
    """A started network and the handles a test needs to drive it."""

    network: Network
    group: ProcessGroup
    environments: dict[str, dict[str, str]]
    tokens: dict[str, str]
    log_dir: Path
    databases: list[str] = field(default_factory=list)

    def command(self, slug: str, *args: str, timeout: float = 300) -> str:
        """Run ``hubnet <args>`` as hub ``slug`` and return its output."""
        return run_checked(
            [sys.executable, "-m", "hubnet", *args],
            env=self.environments[slug],
            timeout=timeout,
        )

    def command_json(self, slug: str, *args: str) -> Any:
        return json.loads(self.command(slug, *args).strip().splitlines()[-1])

    def digest(self, slug: str, origin: str | None = None) -> dict[str, Any]:
        extra = ("--origin", origin) if origin else ()
        return self.command_json(slug, "catalogue_digest", *extra)

    def graphql(
        self,
        slug: str,
        query: str,
        variables: dict | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = requests.post(
            f"{self.network.url(slug)}/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=30,
        )
        return response.json()

    def worker_kill(self, slug: str) -> None:
        """SIGKILL the worker's whole process group, as a crash would."""
        worker = self.group.get(f"{slug}-worker")
        worker.signal_group(signal.SIGKILL)
        worker.popen.wait(timeout=10)

    def worker_restart(self, slug: str) -> None:
        self.group.processes = [
            p for p in self.group.processes if p.name != f"{slug}-worker"
        ]
        self.group.start(
            f"{slug}-worker",
            [sys.executable, "-m", "hubnet", "worker", "--beat"],
            env=self.environments[slug],
            log_path=self.log_dir / f"{slug}-worker-restarted.log",
        )

    def stop(self) -> None:
        self.group.stop_all()
        admin_url = os.environ.get("DATABASE_URL", "")
        if self.databases and admin_url.startswith("postgres"):
            with psycopg.connect(_postgres_admin_url(admin_url), autocommit=True) as db:
                for name in self.databases:
                    db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def network_start(
    hubs: list[HubSpec],
    *,
    var_dir: Path,
    search_url: str,
    ports: dict[str, int],
    extra_env: dict[str, str] | None = None,
    hub_env: dict[str, dict[str, str]] | None = None,
    start_workers: bool = True,
) -> RunningNetwork:
    """Create databases, migrate, wire neighbours, start web and workers, and
    wait until every hub reports healthy."""
    network = Network(hubs=hubs, ports=ports)
    run_id = uuid.uuid4().hex[:8]
    database_base = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    databases: list[str] = []
    environments: dict[str, dict[str, str]] = {}
    for hub in hubs:
        database_url = None
        if database_base.startswith("postgres"):
            name = f"e2e_{run_id}_{hub.slug.replace('-', '_')}"
            with psycopg.connect(
                _postgres_admin_url(database_base), autocommit=True
            ) as db:
                db.execute(f'CREATE DATABASE "{name}"')
            databases.append(name)
            database_url = urlunsplit(urlsplit(database_base)._replace(path=f"/{name}"))
        extra = {
            "CELERY_QUEUE": f"e2e-{run_id}-{hub.slug}",
            "HEARTBEAT_INTERVAL": "2",
            **(extra_env or {}),
            **((hub_env or {}).get(hub.slug, {})),
        }
        environments[hub.slug] = hub_environment(
            network,
            hub.slug,
            var_dir=var_dir,
            search_url=search_url,
            database_url=database_url,
            broker_url=broker if broker.startswith("redis") else None,
            extra=extra,
        )
    tokens = network_tokens(network, state_file=var_dir / "tokens.json")
    log_dir = var_dir / "logs"
    group = ProcessGroup()
    running = RunningNetwork(network, group, environments, tokens, log_dir, databases)
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            list(
                pool.map(
                    lambda hub: hub_prepare(
                        network, hub.slug, environ=environments[hub.slug], tokens=tokens
                    ),
                    hubs,
                )
            )
        for hub in hubs:
            hub_start(
                group,
                network,
                hub.slug,
                environ=environments[hub.slug],
                log_dir=log_dir,
            )
        if start_workers:
            hubs_wait_healthy(
                network, [hub.slug for hub in hubs], group=group, timeout=180
            )
    except BaseException:
        running.stop()
        raise
    return running
