"""The setting of the search benchmarks: Django on a catalogue database of their
own (a private schema in the PostgreSQL database ``DATABASE_URL`` names, else a
temporary SQLite file) and a private alias on a real OpenSearch node."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _database_url(tmp: Path) -> tuple[str, str | None]:
    """The catalogue's database URL and, on PostgreSQL, the private schema the
    run works in (so it neither reads nor leaves rows in the database's own)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url, f"bench_{uuid.uuid4().hex[:12]}"
    return f"sqlite:///{tmp / 'bench.sqlite3'}", None


def _configure(tmp: Path, search_url: str, alias: str) -> str | None:
    """Set up Django and migrate; returns the private schema on PostgreSQL."""
    url, schema = _database_url(tmp)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="hubnet.settings.base",
        HUBNET_VAR_DIR=str(tmp),
        HUB_SLUG="bench",
        HUB_LEVEL="national",
        DATABASE_URL=url,
        SEARCH_URL=search_url,
        SEARCH_INDEX_ALIAS=alias,
        SEARCH_TIMEOUT="120",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    if schema is not None:
        # Tables go to the first schema of the path; public stays readable for
        # extensions installed there.
        options = connection.settings_dict.setdefault("OPTIONS", {})
        options["options"] = f"-c search_path={schema},public"
        connections.close_all()
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema}"')
    call_command("migrate", verbosity=0)
    return schema


def _schema_drop(schema: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def database_vendor() -> str:
    """The catalogue database the run used: ``postgresql`` or ``sqlite``."""
    from django.db import connection

    return connection.vendor


@contextmanager
def search_bench(name: str, search_url: str | None) -> Iterator[str]:
    """Django on the bench's own database (see the module docstring) and a
    private alias on the search node at ``search_url`` (or on an embedded node
    started here on a free port and removed afterwards); yields the engine's
    version, deletes the alias's indices (and the schema) at the end.
    Environment set before entering reaches the settings."""
    from search import embedded_node
    from tests.conftest import free_port

    node_dir = ROOT / "var" / "bench" / f"{name}-node-{os.getpid()}"
    started_node = search_url is None
    if search_url is None:
        search_url = embedded_node.node_start(port=free_port(), data_dir=node_dir).url
    alias = f"bench-{uuid.uuid4().hex[:8]}"
    try:
        with tempfile.TemporaryDirectory(prefix=f"hubnet-bench-{name}-") as tmp:
            schema = _configure(Path(tmp), search_url, alias)
            from search.engine import search_engine
            from search.index import index_pattern

            try:
                yield search_engine().health().version
            finally:
                engine = search_engine()
                for index in engine.indices_docs(pattern=index_pattern(alias=alias)):
                    engine.index_delete(name=index)
                if schema is not None:
                    _schema_drop(schema)
    finally:
        if started_node:
            embedded_node.node_stop(data_dir=node_dir)
            shutil.rmtree(node_dir, ignore_errors=True)
