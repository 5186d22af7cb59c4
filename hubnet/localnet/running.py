"""A prepared or started network: its processes, environments, tokens and the
databases it created."""

from dataclasses import dataclass, field
from pathlib import Path

from hubnet.localnet.databases import postgres_databases_drop
from hubnet.localnet.topology import Network
from hubnet.processes import ProcessGroup


@dataclass
class RunningNetwork:
    """A network whose hubs are prepared (and, once launched, running): what a
    caller needs to reach, supervise and stop it."""

    network: Network
    group: ProcessGroup
    environments: dict[str, dict[str, str]]
    tokens: dict[str, str]
    log_dir: Path
    databases: list[str] = field(default_factory=list)
    database_server: str | None = None

    def stop(self) -> None:
        """Stop every process; drop the PostgreSQL databases this run created."""
        self.group.stop_all()
        if self.databases and self.database_server:
            postgres_databases_drop(self.database_server, self.databases)
