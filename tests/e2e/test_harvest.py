"""A hub harvests a paged DCAT-AP catalogue, a CKAN portal and a register file
(real hub processes, a local portal): the records reach its search and the EU
hub; a removal at the source is withdrawn at both, an edit updates, and an
unchanged re-run writes nothing."""

import json
import uuid
from pathlib import Path

import pytest
import requests

from hubnet.localnet import HubSpec
from hubnet.processes import wait_until
from tests.e2e.conftest import start_test_network
from tests.standards.harvest.server import (
    Portal,
    portal_serving,
    sample_package,
    synthetic_dataset,
)

pytestmark = pytest.mark.e2e

HUBS = [
    HubSpec("eu", "EU", "eu"),
    HubSpec("nl", "Nederland", "national", country="NL", nuts="NL", parent="eu"),
]
REGISTER = (
    Path(__file__).resolve().parents[1]
    / "standards"
    / "algoritmeregister"
    / "data"
    / "algoritmeregister_entries_nl.json"
)


def _titles(url: str, kind: str) -> set[str]:
    response = requests.get(
        f"{url}/api/v1/search", params={"kinds": kind, "size": 100}, timeout=30
    )
    assert response.status_code == 200, response.text
    return {hit["title"] for hit in response.json()["hits"]}


def test_harvest_reaches_search_and_the_eu_hub(search_url, tmp_path):
    portal = Portal(per_page=2)
    portal.datasets = [synthetic_dataset(n) for n in range(1, 6)]
    portal.packages = [
        sample_package(
            id=f"p{n}", title=f"Package {n}", metadata_modified=f"2024-01-0{n}"
        )
        for n in (1, 2)
    ]
    portal.entries = json.loads(REGISTER.read_text(encoding="utf-8"))[:3]
    # An index of this run's own: the titles are the same in every run.
    alias = f"e2e-harvest-{uuid.uuid4().hex[:8]}"
    with portal_serving(portal):
        network = start_test_network(
            HUBS,
            var_dir=tmp_path,
            search_url=search_url,
            extra_env={"SEARCH_DRAIN_INTERVAL": "1", "SEARCH_INDEX_ALIAS": alias},
            hub_env={"nl": {"HARVEST_ALLOW_HOSTS": "127.0.0.1"}},
        )
        try:
            nl, eu = network.network.url("nl"), network.network.url("eu")
            # given: three sources at the national hub, published at once
            for name, url, kind in (
                ("dcat", portal.url("/catalog"), "dcat"),
                ("ckan", portal.base, "ckan"),
                ("register", portal.url("/register.json"), "register"),
            ):
                # By hand only: the worker's schedule would run them first.
                network.command(
                    "nl",
                    "harvest",
                    "add",
                    name,
                    url,
                    "--kind",
                    kind,
                    "--publish",
                    "--every",
                    "0",
                )

            # when: each is harvested
            network.command("nl", "harvest", "run", "dcat")
            network.command("nl", "harvest", "run", "ckan")
            register = network.command("nl", "harvest", "run", "register")

            # then: the datasets are in the hub's search and reach the EU hub
            datasets = {f"Dataset {n}" for n in range(1, 6)} | {
                "Package 1",
                "Package 2",
            }
            wait_until(lambda: _titles(nl, "dataset") == datasets, timeout=60)
            assert _titles(nl, "dataset") == datasets
            wait_until(lambda: _titles(eu, "dataset") == datasets, timeout=90)
            assert _titles(eu, "dataset") == datasets
            # and the register's entries wait as drafts for a coordinator to
            # confirm their AI Act class (the register import's rule)
            assert ": 3 created, 0 updated" in register
            assert register.count("kept as a draft: Confirm the AI Act class") == 3

            # when: one dataset is removed at the source and one edited
            portal.datasets = [
                synthetic_dataset(1, title="Dataset 1, revised"),
                *[synthetic_dataset(n) for n in (2, 3, 4)],
            ]
            out = network.command("nl", "harvest", "run", "dcat")
            assert "1 updated, 3 unchanged, 1 withdrawn" in out

            # then: both hubs follow within the run and one sync
            changed = (datasets - {"Dataset 1", "Dataset 5"}) | {"Dataset 1, revised"}
            wait_until(lambda: _titles(nl, "dataset") == changed, timeout=60)
            assert _titles(nl, "dataset") == changed
            wait_until(lambda: _titles(eu, "dataset") == changed, timeout=90)
            assert _titles(eu, "dataset") == changed
            assert network.digest("eu", origin="nl")["deleted"] == 1

            # when: an unchanged source is harvested again, nothing is written
            before = network.digest("nl")["latestSequence"]
            for name in ("dcat", "ckan", "register"):
                network.command("nl", "harvest", "run", name)
            assert network.digest("nl")["latestSequence"] == before
        finally:
            network.stop()
            requests.delete(f"{search_url}/{alias}-v*", timeout=30)
