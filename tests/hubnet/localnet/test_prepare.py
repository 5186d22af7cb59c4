"""Preparing a network from one migrated template database: on the PostgreSQL
server of DATABASE_URL when it names one (CI), else on SQLite files. Every hub
ends up fully migrated, named after itself and with its own neighbours; stopping
drops what was created."""

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg

from hubnet.localnet import HubSpec, Network, NetworkOptions, network_prepare
from tests.e2e.driver import NetworkDriver

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
SITE_NAMES = (
    "from wagtail.models import Page, Site; "
    "site = Site.objects.get(is_default_site=True); "
    "print([site.site_name, Page.objects.get(pk=site.root_page_id).title])"
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
    running = NetworkDriver.of(
        network_prepare(
            Network(hubs=HUBS, ports={"nl": 8901, "nl-nb": 8902}),
            NetworkOptions(
                var_dir=tmp_path,
                search_url="http://127.0.0.1:9",
                database_server=server,
                template=True,
            ),
        )
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
        # and each is named after itself, not after the template
        for hub in HUBS:
            output = running.command(
                hub.slug, "shell", "--no-imports", "-c", SITE_NAMES
            )
            assert output.strip().splitlines()[-1] == str([hub.name, hub.name])
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
