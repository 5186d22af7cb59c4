"""Driving a running network from a test or a benchmark: commands run as a hub,
GraphQL requests, and crashing and restarting a hub's workers."""

import dataclasses
import json
import signal
from typing import Any

import requests

from hubnet.localnet import RunningNetwork, hub_workers, hubnet_argv
from hubnet.processes import run_checked


@dataclasses.dataclass
class NetworkDriver(RunningNetwork):
    """A running network plus the moves the tests and benchmarks make on it."""

    @classmethod
    def of(cls, running: RunningNetwork) -> "NetworkDriver":
        """Drive ``running`` (same processes, environments and databases)."""
        return cls(
            **{
                field.name: getattr(running, field.name)
                for field in dataclasses.fields(running)
            }
        )

    def command(self, slug: str, *args: str, timeout: float = 300) -> str:
        """Run ``hubnet <args>`` as hub ``slug`` and return its output."""
        return run_checked(
            hubnet_argv(*args),
            env=self.environments[slug],
            timeout=timeout,
        )

    def command_json(self, slug: str, *args: str) -> Any:
        """The last line of ``command``'s output, as JSON."""
        return json.loads(self.command(slug, *args).strip().splitlines()[-1])

    def digest(self, slug: str, origin: str | None = None) -> dict[str, Any]:
        """The hub's ``catalogue_digest`` (of one origin's records when given)."""
        extra = ("--origin", origin) if origin else ()
        return self.command_json(slug, "catalogue_digest", *extra)

    def graphql(
        self,
        slug: str,
        query: str,
        variables: dict | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """POST a GraphQL query to the hub (with a peer token when given)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = requests.post(
            f"{self.network.url(slug)}/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=30,
        )
        return response.json()

    def worker_kill(self, slug: str) -> None:
        """SIGKILL the hub's worker processes (their whole process groups), as a
        crash would."""
        for name in hub_workers(slug):
            worker = self.group.get(name)
            worker.signal_group(signal.SIGKILL)
            worker.popen.wait(timeout=10)

    def worker_restart(self, slug: str) -> None:
        """Start the hub's worker processes again (after ``worker_kill``)."""
        workers = hub_workers(slug)
        self.group.processes = [
            p for p in self.group.processes if p.name not in workers
        ]
        for name, args in workers.items():
            self.group.start(
                name,
                hubnet_argv(*args),
                env=self.environments[slug],
                log_path=self.log_dir / f"{name}-restarted.log",
            )
