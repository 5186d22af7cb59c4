"""Preparing a network: each hub's database, environment, bootstrap and
neighbours, before any of its processes starts."""

import hashlib
import json
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from hubnet.localnet.databases import (
    TEMPLATE_HUB_SLUG,
    database_from_template,
    postgres_database_create,
    sqlite_database_path,
    template_database_migrate,
)
from hubnet.localnet.environment import hub_environment, hubnet_argv
from hubnet.localnet.options import NetworkOptions
from hubnet.localnet.running import RunningNetwork
from hubnet.localnet.topology import HubSpec, Network, network_tokens
from hubnet.processes import ProcessGroup, run_checked


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
    """Migrate the hub's database, then bootstrap it (``hub_bootstrap``: its
    name on the site) with its neighbours and their tokens.

    With ``neighbours_reload=False`` the neighbours are loaded only when they
    differ from what this hub loaded last (a re-run on the same database).
    ``setup(neighbours_file)``, when given, replaces the ``hub_bootstrap``
    command: it must run it (``--neighbours`` that file, when not None) in its
    own hub process, so a caller that runs one anyway (seeding) saves one
    process start per hub.
    """
    if migrate:
        run_checked(hubnet_argv("migrate", "--noinput", "-v", "0"), env=environ)
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
    else:
        load = () if loaded else ("--neighbours", str(neighbours_file))
        run_checked(hubnet_argv("hub_bootstrap", *load), env=environ)
    loaded_marker.write_text(fingerprint)


def _environments(
    network: Network,
    options: NetworkOptions,
    *,
    run_id: str,
    pg_template: str | None,
    databases: list[str],
) -> dict[str, dict[str, str]]:
    """Each hub's environment, creating its PostgreSQL database when there is a
    server (recorded in ``databases`` as soon as it exists)."""
    environments: dict[str, dict[str, str]] = {}
    for hub in network.hubs:
        database_url = None
        if options.database_server is not None:
            name = f"hubnet_{run_id}_{hub.slug.replace('-', '_')}"
            database_url = postgres_database_create(
                options.database_server, name, template=pg_template
            )
            databases.append(name)
        environments[hub.slug] = hub_environment(
            network,
            hub.slug,
            var_dir=options.var_dir,
            search_url=options.search_url,
            database_url=database_url,
            broker_url=options.broker_url,
            extra={
                "CELERY_QUEUE": f"hub-{run_id}-{hub.slug}",
                **options.extra_env,
                **options.hub_env.get(hub.slug, {}),
            },
        )
    return environments


def _hubs_prepare(
    running: RunningNetwork, options: NetworkOptions, *, sqlite_template: Path | None
) -> None:
    """Prepare every hub (``hub_prepare``), two at a time."""
    network = running.network
    step = options.on_step or (lambda _slug, _what: None)
    hub_setup = options.hub_setup
    # On PostgreSQL a template-made database is already migrated.
    migrate_always = not (options.template and options.database_server)

    def prepare(hub: HubSpec) -> None:
        environ = running.environments[hub.slug]
        migrate, reload = migrate_always, True
        database = sqlite_database_path(environ) if sqlite_template else None
        if sqlite_template is not None and database is not None:
            fresh = not database.exists()
            migrate = database_from_template(sqlite_template, database)
            reload = fresh
            step(hub.slug, "copied the template database" if fresh else "reused")
        hub_prepare(
            network,
            hub.slug,
            environ=environ,
            tokens=running.tokens,
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
        list(pool.map(prepare, network.hubs))
    finally:
        # On Ctrl-C, do not go on preparing the hubs still queued.
        pool.shutdown(wait=True, cancel_futures=True)


def network_prepare(network: Network, options: NetworkOptions) -> RunningNetwork:
    """Create each hub's database, migrate and bootstrap it and wire its
    neighbours (see ``NetworkOptions``); start nothing yet (``network_launch``
    does). On failure, drop whatever databases were created."""
    run_id = uuid.uuid4().hex[:8]
    running = RunningNetwork(
        network,
        ProcessGroup(),
        environments={},
        tokens={},
        log_dir=options.var_dir / "logs",
        database_server=options.database_server,
    )
    try:
        pg_template = None
        if options.template and options.database_server is not None:
            pg_template = f"hubnet_{run_id}_template"
            template_url = postgres_database_create(
                options.database_server, pg_template, template=None
            )
            running.databases.append(pg_template)
            template_database_migrate(
                var_dir=options.var_dir,
                search_url=options.search_url,
                extra_env=dict(options.extra_env),
                database_url=template_url,
            )
        running.environments.update(
            _environments(
                network,
                options,
                run_id=run_id,
                pg_template=pg_template,
                databases=running.databases,
            )
        )
        running.tokens.update(
            network_tokens(network, state_file=options.var_dir / "tokens.json")
        )
        sqlite_template = None
        if options.template and options.database_server is None:
            sqlite_template = template_database_migrate(
                var_dir=options.var_dir,
                search_url=options.search_url,
                extra_env=dict(options.extra_env),
            )
            if options.on_step is not None:
                options.on_step(TEMPLATE_HUB_SLUG, "migrated")
        _hubs_prepare(running, options, sqlite_template=sqlite_template)
    except BaseException:
        running.stop()
        raise
    return running
