"""A hub network on one machine: which hubs, how they are wired, how to run them.

Used by ``hubnet demo`` and by the end-to-end tests, so both run the same real
processes (web, worker with beat) with the same wiring.
"""

import hashlib
import json
import os
import secrets
import signal
import sqlite3
import sys
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

from hubnet.processes import ProcessGroup, run_checked, wait_until

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
# The identity of the template database that ``sqlite_template`` networks migrate
# once and copy to every hub (migrations name the home page after HUB_NAME).
TEMPLATE_HUB_SLUG = "hub-template"
TEMPLATE_HUB_NAME = "hubnet hub template"


@dataclass(frozen=True)
class HubSpec:
    """One hub of a network: its identity and its place in the tree."""

    slug: str
    name: str
    level: str
    country: str = ""
    nuts: str = ""
    latitude: float | None = None
    longitude: float | None = None
    parent: str | None = None
    peers: tuple[str, ...] = ()


@dataclass
class Network:
    """Hubs wired parent-to-child plus lateral peers, with a port per hub."""

    hubs: list[HubSpec]
    base_port: int = 8100
    host: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        slugs = [hub.slug for hub in self.hubs]
        if len(set(slugs)) != len(slugs):
            raise ValueError("hub slugs must be unique")
        if not self.ports:
            self.ports = {
                hub.slug: self.base_port + index for index, hub in enumerate(self.hubs)
            }
        if set(self.ports) != set(slugs):
            raise ValueError("ports must name every hub exactly once")
        for hub in self.hubs:
            for other in (hub.parent, *hub.peers):
                if other is not None and other not in self.ports:
                    raise ValueError(f"{hub.slug} names unknown hub {other}")

    def hub(self, slug: str) -> HubSpec:
        return next(hub for hub in self.hubs if hub.slug == slug)

    def url(self, slug: str) -> str:
        return f"http://{self.host}:{self.ports[slug]}"

    def path(self, slug: str) -> list[str]:
        path = [slug]
        seen = {slug}
        parent = self.hub(slug).parent
        while parent is not None:
            if parent in seen:
                raise ValueError(f"the parent chain of {slug} loops")
            path.insert(0, parent)
            seen.add(parent)
            parent = self.hub(parent).parent
        return path

    def neighbours(self, slug: str) -> list[tuple[HubSpec, str]]:
        """(neighbour, its role seen from ``slug``) for every link of ``slug``."""
        me = self.hub(slug)
        links: list[tuple[HubSpec, str]] = []
        if me.parent:
            links.append((self.hub(me.parent), "parent"))
        links += [(hub, "child") for hub in self.hubs if hub.parent == slug]
        peers = set(me.peers) | {hub.slug for hub in self.hubs if slug in hub.peers}
        links += [(self.hub(peer), "peer") for peer in sorted(peers)]
        return links


def network_tokens(network: Network, *, state_file: Path) -> dict[str, str]:
    """One random token per directed link ``a>b`` (what a presents to b).

    Kept in a 0600 file so a re-run reuses the tokens the databases already hold.
    """
    tokens: dict[str, str] = {}
    if state_file.exists():
        tokens = json.loads(state_file.read_text())
    for hub in network.hubs:
        for neighbour, _role in network.neighbours(hub.slug):
            tokens.setdefault(f"{hub.slug}>{neighbour.slug}", secrets.token_urlsafe(32))
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.touch(mode=0o600)
    state_file.write_text(json.dumps(tokens, indent=1))
    return tokens


ONE_MACHINE_THROTTLES = (
    "API_THROTTLE_ANON",
    "GRAPHQL_THROTTLE",
    "PAGES_THROTTLE",
    "EXPORT_THROTTLE",
)
ONE_MACHINE_RATE = "6000/minute"


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
    """The environment of one hub's processes (inherits the caller's, minus hub
    variables, so one hub's identity never leaks into another)."""
    hub = network.hub(slug)
    environ = {
        key: value for key, value in os.environ.items() if key not in HUB_VARIABLES
    }
    environ.pop("DATABASE_URL", None)
    environ.pop("CELERY_BROKER_URL", None)
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


def _hubnet(*args: str) -> list[str]:
    return [sys.executable, "-m", "hubnet", *args]


def hub_prepare(
    network: Network,
    slug: str,
    *,
    environ: dict[str, str],
    tokens: dict[str, str],
    migrate: bool = True,
    neighbours_reload: bool = True,
    setup: Callable[[Path | None], None] | None = None,
) -> None:
    """Migrate the hub's database and load its neighbours with their tokens.

    With ``neighbours_reload=False`` the neighbours are loaded only when they
    differ from what this hub loaded last (a re-run on the same database).
    ``setup(neighbours_file)``, when given, replaces the ``neighbours_load``
    command: it must load that file (when not None) in its own hub process, so a
    caller that runs one anyway (seeding) saves one process start per hub.
    """
    if migrate:
        run_checked(_hubnet("migrate", "--noinput", "-v", "0"), env=environ)
    neighbours = [
        {
            "slug": neighbour.slug,
            "name": neighbour.name,
            "role": role,
            "endpoint_url": network.url(neighbour.slug),
            "outbound_token": tokens[f"{slug}>{neighbour.slug}"],
            "inbound_token": tokens[f"{neighbour.slug}>{slug}"],
        }
        for neighbour, role in network.neighbours(slug)
    ]
    hub_dir = Path(environ["HUBNET_VAR_DIR"]) / "hubs" / slug
    hub_dir.mkdir(parents=True, exist_ok=True)
    neighbours_file = hub_dir / "neighbours.json"
    loaded_marker = hub_dir / "neighbours.loaded"
    content = json.dumps(neighbours)
    fingerprint = hashlib.sha256(content.encode()).hexdigest()
    loaded = (
        not neighbours_reload
        and loaded_marker.exists()
        and loaded_marker.read_text() == fingerprint
    )
    if not loaded:
        loaded_marker.unlink(missing_ok=True)
        neighbours_file.touch(mode=0o600)
        neighbours_file.write_text(content)
    if setup is not None:
        setup(None if loaded else neighbours_file)
    elif not loaded:
        run_checked(_hubnet("neighbours_load", str(neighbours_file)), env=environ)
    loaded_marker.write_text(fingerprint)


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
    SQLite file it returns, or the PostgreSQL database ``database_url`` names."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in HUB_VARIABLES and key not in ("DATABASE_URL", "CELERY_BROKER_URL")
    }
    environ.update(
        {
            "HUB_SLUG": TEMPLATE_HUB_SLUG,
            "HUB_NAME": TEMPLATE_HUB_NAME,
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
    run_checked(_hubnet("migrate", "--noinput", "-v", "0"), env=environ)
    return path


def database_from_template(template: Path, database: Path) -> bool:
    """Give a hub its database: a copy of the migrated template when it has none.

    Returns whether the hub still needs ``migrate`` (its existing database lacks
    migrations the template has). Valid because every hub's database starts
    identical; hub-specific rows (neighbours, records) come after the copy.
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


def hub_start(
    group: ProcessGroup,
    network: Network,
    slug: str,
    *,
    environ: dict[str, str],
    log_dir: Path,
    web_workers: int = 1,
) -> None:
    """Start the hub's web server and its workers (``hub_workers``; the main one
    embeds the beat scheduler)."""
    bind = f"{network.host}:{network.ports[slug]}"
    group.start(
        f"{slug}-web",
        _hubnet("web", "--bind", bind, "--workers", str(web_workers)),
        env=environ,
        log_path=log_dir / f"{slug}-web.log",
    )
    for name, args in hub_workers(slug).items():
        group.start(name, _hubnet(*args), env=environ, log_path=log_dir / f"{name}.log")


def hub_workers(slug: str) -> dict[str, list[str]]:
    """The hub's worker processes (name: ``hubnet`` arguments). Syncs run in
    their own process: one slot that a slow neighbour may hold for up to
    SYNC_DEADLINE without delaying indexing, pokes or the heartbeat."""
    return {
        f"{slug}-worker": ["worker", "--beat", "--queues=index,health,poke,default"],
        f"{slug}-sync-worker": ["worker", "--queues=sync"],
    }


def hub_health(url: str, *, timeout: float = 5) -> dict | None:
    """The hub's /healthz answer, or None when it does not answer. With
    HEALTH_TOKEN in the environment (the hubs inherit it) the answer says why a
    part is down; without, it holds the status only."""
    token = os.environ.get("HEALTH_TOKEN", "").strip()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = requests.get(f"{url}/healthz", timeout=timeout, headers=headers)
        return response.json()
    except (requests.RequestException, ValueError):
        return None


def hubs_wait_healthy(
    network: Network,
    slugs: Iterable[str],
    *,
    timeout: float = 180,
    on_progress: Callable[[str], None] | None = None,
    group: ProcessGroup | None = None,
) -> dict[str, dict]:
    """Wait until every hub's /healthz reports every part healthy."""
    pending = set(slugs)
    answers: dict[str, dict] = {}

    def all_healthy() -> bool:
        if group is not None and (dead := group.dead()):
            names = ", ".join(process.name for process in dead)
            tail = dead[0].log_tail()
            raise RuntimeError(f"process exited early: {names}\n{tail}")
        for slug in sorted(pending):
            answer = hub_health(network.url(slug), timeout=3)
            if answer and answer.get("status") == "ok":
                answers[slug] = answer
                pending.discard(slug)
                if on_progress:
                    on_progress(slug)
        return not pending

    if not wait_until(all_healthy, timeout=timeout, interval=0.5):
        details = {
            slug: hub_health(network.url(slug), timeout=3) for slug in sorted(pending)
        }
        raise TimeoutError(f"hubs not healthy after {timeout}s: {details}")
    return answers


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
    database_server: str | None = None

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
        """SIGKILL the hub's worker processes (their whole process groups), as a
        crash would."""
        for name in hub_workers(slug):
            worker = self.group.get(name)
            worker.signal_group(signal.SIGKILL)
            worker.popen.wait(timeout=10)

    def worker_restart(self, slug: str) -> None:
        workers = hub_workers(slug)
        self.group.processes = [
            p for p in self.group.processes if p.name not in workers
        ]
        for name, args in workers.items():
            self.group.start(
                name,
                _hubnet(*args),
                env=self.environments[slug],
                log_path=self.log_dir / f"{name}-restarted.log",
            )

    def stop(self) -> None:
        """Stop every process; drop the PostgreSQL databases this run created."""
        self.group.stop_all()
        if self.databases and self.database_server:
            admin_url = _postgres_admin_url(self.database_server)
            with psycopg.connect(admin_url, autocommit=True) as db:
                for name in self.databases:
                    db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def network_prepare(
    network: Network,
    *,
    var_dir: Path,
    search_url: str,
    database_server: str | None = None,
    broker_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    hub_env: dict[str, dict[str, str]] | None = None,
    sqlite_template: bool = False,
    hub_setup: Callable[[str, dict[str, str], Path | None], None] | None = None,
    on_step: Callable[[str, str], None] | None = None,
    postgres_template: bool = False,
) -> RunningNetwork:
    """Create each hub's database, migrate it and wire its neighbours; start
    nothing yet (``network_launch`` does).

    With ``database_server`` (a postgres:// URL) each hub gets its own new
    database on that server, else its own SQLite file under ``var_dir``; with
    ``broker_url`` (redis://) all hubs share that Redis with a queue per hub,
    else each has its own embedded broker file (sqlite-broker://).

    With ``sqlite_template`` (SQLite only) one template database is migrated and
    copied to every hub that has none; an existing hub database is migrated only
    when it lacks migrations, and reloads its neighbours only when they changed.
    Rows the migrations derive from the hub's identity (the home page title from
    HUB_NAME) then carry ``TEMPLATE_HUB_NAME``: the caller renames them.
    ``postgres_template`` (with ``database_server``) does the same on PostgreSQL:
    one database is migrated and every hub's is created from it as a template.

    ``hub_setup(slug, environ, neighbours_file)`` runs for each hub after its
    database is ready and before anything starts (two hubs at a time), in place
    of the ``neighbours_load`` command (see ``hub_prepare``): the hook to seed a
    hub. ``on_step(slug, what)`` reports progress.
    """
    hubs = network.hubs
    run_id = uuid.uuid4().hex[:8]
    database_base = database_server or ""
    broker = broker_url or ""
    databases: list[str] = []
    environments: dict[str, dict[str, str]] = {}
    pg_template = None
    if postgres_template and database_base.startswith("postgres"):
        pg_template = f"hubnet_{run_id}_template"
        with psycopg.connect(_postgres_admin_url(database_base), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{pg_template}"')
        databases.append(pg_template)
        try:
            template_database_migrate(
                var_dir=var_dir,
                search_url=search_url,
                extra_env=extra_env,
                database_url=urlunsplit(
                    urlsplit(database_base)._replace(path=f"/{pg_template}")
                ),
            )
        except BaseException:
            RunningNetwork(
                network, ProcessGroup(), {}, {}, var_dir, databases, database_base
            ).stop()
            raise
    for hub in hubs:
        database_url = None
        if database_base.startswith("postgres"):
            name = f"hubnet_{run_id}_{hub.slug.replace('-', '_')}"
            with psycopg.connect(
                _postgres_admin_url(database_base), autocommit=True
            ) as db:
                template = f' TEMPLATE "{pg_template}"' if pg_template else ""
                db.execute(f'CREATE DATABASE "{name}"{template}')
            databases.append(name)
            database_url = urlunsplit(urlsplit(database_base)._replace(path=f"/{name}"))
        extra = {
            "CELERY_QUEUE": f"hub-{run_id}-{hub.slug}",
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
    running = RunningNetwork(
        network, group, environments, tokens, log_dir, databases, database_server
    )
    step = on_step or (lambda slug, what: None)
    try:
        template = None
        if sqlite_template and not database_base.startswith("postgres"):
            template = template_database_migrate(
                var_dir=var_dir, search_url=search_url, extra_env=extra_env
            )
            step(TEMPLATE_HUB_SLUG, "migrated")

        def prepare(hub: HubSpec) -> None:
            environ = environments[hub.slug]
            migrate, reload = pg_template is None, True
            database = sqlite_database_path(environ) if template else None
            if template is not None and database is not None:
                fresh = not database.exists()
                migrate = database_from_template(template, database)
                reload = fresh
                step(hub.slug, "copied the template database" if fresh else "reused")
            hub_prepare(
                network,
                hub.slug,
                environ=environ,
                tokens=tokens,
                migrate=migrate,
                neighbours_reload=reload,
                setup=(
                    (lambda file: hub_setup(hub.slug, environ, file))
                    if hub_setup is not None
                    else None
                ),
            )
            step(hub.slug, "prepared")

        pool = ThreadPoolExecutor(max_workers=2)
        try:
            list(pool.map(prepare, hubs))
        finally:
            # On Ctrl-C, do not go on preparing the hubs still queued.
            pool.shutdown(wait=True, cancel_futures=True)
    except BaseException:
        running.stop()
        raise
    return running


def network_launch(
    running: RunningNetwork,
    *,
    timeout: float = 240,
    on_progress: Callable[[str], None] | None = None,
) -> RunningNetwork:
    """Start every prepared hub's web server and worker and wait until each
    reports healthy; on failure stop everything."""
    network = running.network
    try:
        for hub in network.hubs:
            hub_start(
                running.group,
                network,
                hub.slug,
                environ=running.environments[hub.slug],
                log_dir=running.log_dir,
            )
        hubs_wait_healthy(
            network,
            [hub.slug for hub in network.hubs],
            group=running.group,
            timeout=timeout,
            on_progress=on_progress,
        )
    except BaseException:
        running.stop()
        raise
    return running


def network_start(
    network: Network,
    *,
    var_dir: Path,
    search_url: str,
    database_server: str | None = None,
    broker_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    hub_env: dict[str, dict[str, str]] | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> RunningNetwork:
    """Prepare every hub (``network_prepare``), start web and worker processes
    and wait until every hub reports healthy (``network_launch``)."""
    running = network_prepare(
        network,
        var_dir=var_dir,
        search_url=search_url,
        database_server=database_server,
        broker_url=broker_url,
        extra_env=extra_env,
        hub_env=hub_env,
    )
    return network_launch(running, on_progress=on_progress)
