"""How to run a network on one machine: one options object for every caller
(``hubnet demo``, the end-to-end tests, the soak)."""

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# setup(slug, environ, neighbours_file): see ``NetworkOptions.hub_setup``.
HubSetup = Callable[[str, dict[str, str], Path | None], None]
# on_step(slug, what): see ``NetworkOptions.on_step``.
StepReport = Callable[[str, str], None]


@dataclass(frozen=True)
class NetworkOptions:
    """Where a network keeps its data, which services its hubs use, and the
    hooks a caller adds to each hub's preparation."""

    var_dir: Path
    """Holds every hub's files (SQLite database, broker file, logs, tokens)."""
    search_url: str
    """The search engine every hub writes to and queries."""
    database_server: str | None = None
    """A ``postgres://`` URL: each hub gets a new database on that server
    (dropped by ``RunningNetwork.stop``); None: a SQLite file per hub."""
    broker_url: str | None = None
    """A ``redis://`` URL: every hub shares that Redis with its own queue; None:
    an embedded broker file per hub."""
    extra_env: Mapping[str, str] = field(default_factory=dict)
    """Variables every hub's processes get (they win over the launcher's)."""
    hub_env: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Variables for one hub (by slug), applied after ``extra_env``."""
    template: bool = False
    """Migrate one template database and give each hub a copy: a SQLite file
    copy (an existing hub database is reused, migrated only when it lags and
    given its neighbours only when they changed), or on the database server a
    new database made from it (``CREATE DATABASE ... TEMPLATE``)."""
    hub_setup: HubSetup | None = None
    """``hub_setup(slug, environ, neighbours_file)`` runs for each hub once its
    database is ready and before anything starts (two hubs at a time), in place
    of the ``hub_bootstrap`` command: it must run ``hub_bootstrap`` in the hub's
    environment (with ``--neighbours`` when the file is not None). The hook to
    seed a hub in the same process."""
    on_step: StepReport | None = None
    """``on_step(slug, what)`` reports progress while preparing."""

    def __post_init__(self) -> None:
        server, broker = self.database_server, self.broker_url
        if server is not None and not server.startswith("postgres"):
            raise ValueError(
                f"database_server must be a postgres:// URL, got {server!r}"
            )
        if broker is not None and not broker.startswith("redis"):
            raise ValueError(f"broker_url must be a redis:// URL, got {broker!r}")

    @classmethod
    def from_environ(cls, **options: Any) -> "NetworkOptions":
        """Options that use the PostgreSQL server of DATABASE_URL and the Redis
        of CELERY_BROKER_URL when they name one (as CI sets them), else SQLite
        and the embedded broker."""
        server = os.environ.get("DATABASE_URL", "")
        broker = os.environ.get("CELERY_BROKER_URL", "")
        return cls(
            database_server=server if server.startswith("postgres") else None,
            broker_url=broker if broker.startswith("redis") else None,
            **options,
        )
