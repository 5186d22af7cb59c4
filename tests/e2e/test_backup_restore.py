"""Backup, wipe and restore of running hubs, on PostgreSQL and on SQLite: a
restored hub holds the catalogue, the neighbour cursors and the index entries
of its backup, and the network converges again. A restored parent reads on from
its restored cursor; a restored child is behind its parent's cursor, so the
parent reads the child's feed again from the start."""

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from hubnet.localnet import HubSpec
from hubnet.processes import wait_until
from tests.e2e.conftest import start_test_network
from tests.e2e.driver import NetworkDriver

pytestmark = pytest.mark.e2e

HELD = (
    "import json; from federation.models import StoredRecord; "
    "print(json.dumps(dict(StoredRecord.objects.values_list('record_id', 'version'))))"
)
CURSORS = (
    "import json; from federation.models import SyncState; "
    "print(json.dumps({s.neighbour.slug: [s.cursor, s.local_position_seq, "
    "s.remote_latest_seq] for s in SyncState.objects.select_related('neighbour')}))"
)
RESYNCED = (
    "from federation.models import SyncRun; "
    "print(SyncRun.objects.filter(resynced=True, outcome='ok').count())"
)


def _shell_json(network: NetworkDriver, slug: str, code: str) -> Any:
    output = network.command(slug, "shell", "--no-imports", "-c", code)
    return json.loads(output.strip().splitlines()[-1])


def _indexed(search_url: str, alias: str, ids: list[str]) -> dict[str, int]:
    """The version the shared index holds for each of ``ids`` (absent: left out)."""
    requests.post(f"{search_url}/{alias}/_refresh", timeout=30).raise_for_status()
    response = requests.post(
        f"{search_url}/{alias}/_search",
        json={"query": {"ids": {"values": ids}}, "size": len(ids) + 1},
        params={"version": "true"},
        timeout=30,
    )
    response.raise_for_status()
    return {hit["_id"]: hit["_version"] for hit in response.json()["hits"]["hits"]}


def _index_drop(search_url: str, alias: str) -> None:
    """Delete the indices behind ``alias`` (the wipe takes the index too)."""
    answer = requests.get(f"{search_url}/_alias/{alias}", timeout=30)
    answer.raise_for_status()
    for name in answer.json():
        requests.delete(f"{search_url}/{name}", timeout=30).raise_for_status()
    missing = requests.get(f"{search_url}/_alias/{alias}", timeout=30)
    assert missing.status_code == 404


def _index_level(network: NetworkDriver, slug: str) -> bool:
    status = _shell_json(
        network,
        slug,
        "import json; from search.selectors import index_status; "
        "s = index_status(); print(json.dumps([s.watermark, s.latest_seq, "
        "s.failing_seq, s.dead_letters]))",
    )
    watermark, latest, failing, dead = status
    return watermark == latest and failing is None and dead == 0


def _workers_stopped_while(network: NetworkDriver, slug: str, restore) -> None:
    """Run ``restore`` with the hub's workers stopped, as an operator does."""
    network.worker_kill(slug)
    try:
        restore()
    finally:
        network.worker_restart(slug)


@pytest.fixture(
    params=[
        pytest.param(
            "postgresql",
            marks=pytest.mark.postgresql(reason="hubs on the server of DATABASE_URL"),
        ),
        "sqlite",
    ]
)
def database(request, monkeypatch) -> str:
    """The database the hubs run on: a new database per hub on the PostgreSQL
    server of DATABASE_URL, or a SQLite file per hub."""
    if request.param == "sqlite":
        monkeypatch.delenv("DATABASE_URL", raising=False)
    return request.param


def test_backup_wipe_restore_gives_the_same_hubs_and_they_converge(
    database, search_url, tmp_path: Path
):
    # given: a parent pulling a child every few seconds, level with its 30
    # records, on an index of their own
    alias = f"backup-{uuid.uuid4().hex[:8]}"
    hubs = [
        HubSpec("nl", "Nederland", "national", country="NL", nuts="NL", parent=None),
        HubSpec(
            "nl-nb", "Noord-Brabant", "regional", country="NL", nuts="NL41", parent="nl"
        ),
    ]
    network = start_test_network(
        hubs,
        var_dir=tmp_path / "net",
        search_url=search_url,
        extra_env={"SEARCH_INDEX_ALIAS": alias},
        hub_env={"nl": {"SYNC_INTERVAL": "3"}},
    )
    try:
        network.command("nl-nb", "catalogue_seed", "--count", "30", "--seed", "1")
        child_backed = network.digest("nl-nb")
        assert wait_until(
            lambda: (
                network.digest("nl", origin="nl-nb")["digest"] == child_backed["digest"]
            ),
            timeout=120,
            interval=2,
        )
        assert wait_until(lambda: _index_level(network, "nl"), timeout=60, interval=2)
        parent_backed = network.digest("nl")
        parent_cursors = _shell_json(network, "nl", CURSORS)
        assert parent_cursors["nl-nb"][1:] == [30, 30]
        child_held = _shell_json(network, "nl-nb", HELD)
        assert len(child_held) == 30
        for slug in ("nl", "nl-nb"):
            network.command(slug, "backup", str(tmp_path / f"backup-{slug}"))
        # and 20 records more, which the parent reads too (its cursor passes 30)
        network.command("nl-nb", "catalogue_seed", "--count", "20", "--seed", "2")
        assert wait_until(
            lambda: network.digest("nl", origin="nl-nb")["records"] == 50,
            timeout=120,
            interval=2,
        )
        assert wait_until(lambda: _index_level(network, "nl"), timeout=60, interval=2)
        parent_held = _shell_json(network, "nl", HELD)
        assert len(parent_held) == 50

        # when: the parent's database and the index are wiped, and the
        # parent restored from its backup (workers stopped meanwhile)
        def parent_restore() -> None:
            network.command("nl", "flush", "--noinput")
            _index_drop(search_url, alias)
            assert network.digest("nl")["records"] == 0
            network.command("nl", "restore", str(tmp_path / "backup-nl"))
            # then: it holds the catalogue and the cursors of its backup
            assert network.digest("nl") == parent_backed
            assert _shell_json(network, "nl", CURSORS) == parent_cursors

        _workers_stopped_while(network, "nl", parent_restore)
        # and it reads on from its cursor: the 20 newer records come back, and
        # every record it holds is in the index again at its version
        assert wait_until(
            lambda: network.digest("nl", origin="nl-nb")["records"] == 50,
            timeout=120,
            interval=2,
        )
        assert wait_until(lambda: _index_level(network, "nl"), timeout=60, interval=2)
        assert _shell_json(network, "nl", HELD) == parent_held
        assert _indexed(search_url, alias, list(parent_held)) == parent_held

        # when: the child's database and the index are wiped, and the
        # child restored from its backup (older than what its parent read)
        def child_restore() -> None:
            network.command("nl-nb", "flush", "--noinput")
            _index_drop(search_url, alias)
            assert network.digest("nl-nb")["records"] == 0
            network.command("nl-nb", "restore", str(tmp_path / "backup-nl-nb"))
            # then: the child holds what it held at the backup
            assert network.digest("nl-nb") == child_backed
            assert child_backed["latestSequence"] == 30

        _workers_stopped_while(network, "nl-nb", child_restore)
        # and its records are in the index again at their versions
        assert wait_until(
            lambda: _index_level(network, "nl-nb"), timeout=60, interval=2
        )
        assert _indexed(search_url, alias, list(child_held)) == child_held
        # and the parent, finding the child's feed behind its cursor, reads it
        # again from the start: 10 records the child publishes now reach it
        assert wait_until(
            lambda: (
                int(
                    network.command(
                        "nl", "shell", "--no-imports", "-c", RESYNCED
                    ).split()[-1]
                )
                >= 1
            ),
            timeout=120,
            interval=2,
        )
        network.command("nl-nb", "catalogue_seed", "--count", "10", "--seed", "3")
        assert network.digest("nl-nb")["records"] == 40
        assert wait_until(
            lambda: network.digest("nl", origin="nl-nb")["records"] == 60,
            timeout=120,
            interval=2,
        ), network.digest("nl", origin="nl-nb")
        assert _shell_json(network, "nl", CURSORS)["nl-nb"][1:] == [40, 40]
    finally:
        network.stop()
        if requests.get(f"{search_url}/_alias/{alias}", timeout=30).ok:
            _index_drop(search_url, alias)
