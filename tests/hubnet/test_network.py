"""Preparing a network from one migrated template database: on the PostgreSQL
server of DATABASE_URL when it names one (CI), else on SQLite files. Every hub
ends up fully migrated with its own neighbours; stopping drops what was created."""

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg

from hubnet.network import (
    ONE_MACHINE_RATE,
    ONE_MACHINE_THROTTLES,
    HubSpec,
    Network,
    hub_environment,
    network_prepare,
)

HUBS = [
    HubSpec("nl", "Nederland", "national", country="NL", nuts="NL"),
    HubSpec(
        "nl-nb", "Noord-Brabant", "regional", country="NL", nuts="NL41", parent="nl"
    ),
]
COUNT_NEIGHBOURS = (
    "from hubs.models import Neighbour; "
    "print(sorted(Neighbour.objects.values_list('slug', 'role')))"
)


def _databases(server: str) -> set[str]:
    admin = urlunsplit(urlsplit(server)._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin) as db:
        return {row[0] for row in db.execute("SELECT datname FROM pg_database")}


def test_every_hub_database_is_a_migrated_copy_of_one_template(tmp_path):
    # given: the database server the end-to-end tests use
    database_url = os.environ.get("DATABASE_URL", "")
    server = database_url if database_url.startswith("postgres") else None

    # when: two hubs are prepared from a template
    running = network_prepare(
        Network(hubs=HUBS, ports={"nl": 8901, "nl-nb": 8902}),
        var_dir=tmp_path,
        search_url="http://127.0.0.1:9",
        database_server=server,
        sqlite_template=True,
        postgres_template=True,
    )
    try:
        # then: each is fully migrated and holds its own neighbours
        for slug, neighbours in (
            ("nl", "[('nl-nb', 'child')]"),
            ("nl-nb", "[('nl', 'parent')]"),
        ):
            running.command(slug, "migrate", "--check", "-v", "0")
            output = running.command(
                slug, "shell", "--no-imports", "-c", COUNT_NEIGHBOURS
            )
            assert output.strip().splitlines()[-1] == neighbours
        if server:
            # one template and one database per hub, each hub's its own
            assert len(running.databases) == 3
            assert running.databases[0].endswith("_template")
            urls = {env["DATABASE_URL"] for env in running.environments.values()}
            assert len(urls) == 2
            assert set(running.databases) <= _databases(server)
        else:
            for slug in ("nl", "nl-nb"):
                assert (tmp_path / "hubs" / slug / "db.sqlite3").exists()
    finally:
        running.stop()

    # and: stopping drops every database this run created
    if server:
        assert not set(running.databases) & _databases(server)


def test_one_machine_hubs_get_generous_anonymous_rates_unless_set(
    tmp_path, monkeypatch
):
    # given: every client of a one-machine network comes from 127.0.0.1; the
    # caller sets one rate itself
    for name in ONE_MACHINE_THROTTLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAGES_THROTTLE", "7/minute")
    network = Network(hubs=HUBS, ports={"nl": 8901, "nl-nb": 8902})
    # when
    environ = hub_environment(
        network,
        "nl",
        var_dir=tmp_path,
        search_url="http://127.0.0.1:9",
        extra={"EXPORT_THROTTLE": "3/hour"},
    )
    # then: the caller's and the extra rates win; the others are generous
    assert environ["PAGES_THROTTLE"] == "7/minute"
    assert environ["EXPORT_THROTTLE"] == "3/hour"
    assert environ["API_THROTTLE_ANON"] == ONE_MACHINE_RATE
    assert environ["GRAPHQL_THROTTLE"] == ONE_MACHINE_RATE
