"""Each hub's database on one machine: a SQLite file, or a database of its own on
a PostgreSQL server; optionally a copy of one migrated template database."""

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from hubnet.localnet.environment import environment_inherited, hubnet_argv
from hubnet.processes import run_checked

# The slug processes run as when they act for no hub (the template database's
# migrate, collecting static files).
TEMPLATE_HUB_SLUG = "hub-template"


def sqlite_database_path(environ: dict[str, str]) -> Path | None:
    """The SQLite file a hub environment uses, None for another database."""
    database_url = environ.get("DATABASE_URL", "")
    if database_url:
        if not database_url.startswith("sqlite:///"):
            return None
        return Path(database_url.removeprefix("sqlite://"))
    return Path(environ["HUBNET_VAR_DIR"]) / "hubs" / environ["HUB_SLUG"] / "db.sqlite3"


def _applied_migrations(database: Path) -> set[tuple[str, str]]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        try:
            return set(db.execute("SELECT app, name FROM django_migrations"))
        except sqlite3.DatabaseError:
            return set()


def template_database_migrate(
    *,
    var_dir: Path,
    search_url: str,
    extra_env: dict[str, str] | None = None,
    database_url: str | None = None,
) -> Path | None:
    """Migrate the template database (once; a no-op when it is up to date): the
    SQLite file it returns, or the PostgreSQL database ``database_url`` names.

    Its rows name no hub (the home page has a neutral title until
    ``hub_bootstrap`` names it), so every hub can start from a copy."""
    environ = environment_inherited()
    environ.update(
        {
            "HUB_SLUG": TEMPLATE_HUB_SLUG,
            "HUBNET_VAR_DIR": str(var_dir),
            "SEARCH_URL": search_url,
            "DJANGO_SETTINGS_MODULE": "hubnet.settings.base",
            **(extra_env or {}),
        }
    )
    if database_url:
        environ["DATABASE_URL"] = database_url
    path = sqlite_database_path(environ)
    if path is None and not database_url:
        raise RuntimeError("the template database must be SQLite (DATABASE_URL)")
    run_checked(hubnet_argv("migrate", "--noinput", "-v", "0"), env=environ)
    return path


def database_from_template(template: Path, database: Path) -> bool:
    """Give a hub its database: a copy of the migrated template when it has none.

    Returns whether the hub still needs ``migrate`` (its existing database lacks
    migrations the template has). Valid because every hub's database starts
    identical; hub-specific rows (site name, neighbours, records) come after the
    copy.
    """
    if not database.exists():
        database.parent.mkdir(parents=True, exist_ok=True)
        partial = database.with_suffix(".copying")
        partial.unlink(missing_ok=True)
        with (
            closing(sqlite3.connect(f"file:{template}?mode=ro", uri=True)) as source,
            closing(sqlite3.connect(partial)) as target,
        ):
            source.backup(target)
        partial.rename(database)
        return False
    return not _applied_migrations(template) <= _applied_migrations(database)


def postgres_database_url(server: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``server`` (a postgres:// URL)."""
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def _postgres_admin_url(server: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


def postgres_database_create(server: str, name: str, *, template: str | None) -> str:
    """Create database ``name`` (from ``template`` when given); its URL."""
    from_template = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(_postgres_admin_url(server), autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"{from_template}')
    return postgres_database_url(server, name)


def postgres_databases_drop(server: str, names: list[str]) -> None:
    """Drop the named databases, closing their connections first."""
    with psycopg.connect(_postgres_admin_url(server), autocommit=True) as db:
        for name in names:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
