"""A worker killed with SIGKILL in the middle of a sync, then restarted, converges
to the same state as an uninterrupted sync: nothing lost, nothing duplicated."""

import sqlite3
from contextlib import closing
from pathlib import Path

import psycopg
import pytest

from hubnet.localnet import HubSpec
from hubnet.processes import wait_until
from tests.e2e.conftest import start_test_network

pytestmark = pytest.mark.e2e

RECORDS = 4000


def test_killed_worker_resumes_and_converges(search_url, tmp_path):
    # given: a child hub holding many records, and its parent pulling small pages
    hubs = [
        HubSpec("nl", "Nederland", "national", country="NL", nuts="NL", parent=None),
        HubSpec(
            "nl-nb", "Noord-Brabant", "regional", country="NL", nuts="NL41", parent="nl"
        ),
    ]
    network = start_test_network(
        hubs,
        var_dir=tmp_path,
        search_url=search_url,
        # No interval sync yet: the seed below must finish before the parent pulls.
        hub_env={
            "nl": {
                "SYNC_PAGE_SIZE": "25",
                "SYNC_LOCK_TTL": "5",
                "SYNC_INTERVAL": "3600",
            },
            "nl-nb": {"SYNC_POKE_ROLES": "peer", "SYNC_INTERVAL": "3600"},
        },
    )
    try:
        network.command("nl-nb", "catalogue_seed", "--count", str(RECORDS))
        network.command("nl-nb", "catalogue_tombstone", _first_id(network))
        source = network.digest("nl-nb")
        assert source["records"] == RECORDS

        # when: the parent's worker syncs, and is killed with SIGKILL mid-way
        network.command("nl", "shell", "--no-imports", "-c", _ENQUEUE_SYNC)
        # Polled straight from the database: a `hubnet` command per poll takes
        # seconds, longer than the whole sync may need.
        assert wait_until(
            lambda: 0 < stored_count(network, "nl") < RECORDS,
            timeout=60,
            interval=0.02,
        ), "the sync did not start"
        network.worker_kill("nl")
        partial = network.digest("nl")["records"]
        assert 0 < partial < RECORDS

        # then: after a restart, a new sync resumes from the committed cursor
        network.worker_restart("nl")
        network.command("nl", "shell", "--no-imports", "-c", _ENQUEUE_SYNC)
        assert wait_until(
            lambda: network.digest("nl")["digest"] == source["digest"],
            timeout=180,
            interval=2,
        ), (network.digest("nl"), source)
        parent = network.digest("nl")
        assert (parent["records"], parent["deleted"]) == (RECORDS, 1)
        # Every record took exactly one sequence value per applied version.
        assert parent["latestSequence"] == RECORDS
    finally:
        network.stop()


def stored_count(network, slug: str) -> int:
    """Records held by hub ``slug``, read from its database directly."""
    query = "SELECT count(*) FROM federation_storedrecord"
    url = network.environments[slug].get("DATABASE_URL")
    if url:
        with psycopg.connect(url) as connection:
            return connection.execute(query).fetchone()[0]
    path = Path(network.environments[slug]["HUBNET_VAR_DIR"]) / "hubs" / slug
    with closing(sqlite3.connect(path / "db.sqlite3", timeout=5)) as connection:
        return connection.execute(query).fetchone()[0]


def _first_id(network) -> str:
    return network.command(
        "nl-nb",
        "shell",
        "--no-imports",
        "-c",
        "from federation.models import StoredRecord as R; "
        "print(R.objects.order_by('seq').first().record_id)",
    ).split()[-1]


_ENQUEUE_SYNC = (
    "from federation.services.sync import neighbours_sync_enqueue; "
    "from django.db import transaction\n"
    "with transaction.atomic(): neighbours_sync_enqueue(trigger='test')"
)
