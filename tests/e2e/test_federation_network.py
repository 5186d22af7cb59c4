"""Five real hubs on loopback: a chain eu ← nl ← nl-nb ← den-bosch, plus
eindhoven (a child of nl-nb and a lateral peer of den-bosch). Records published at
the municipality reach the EU hub with their origin path; edits and deletions
follow. Interval syncs are slow here, so propagation proves the poke."""

import json

import pytest
import requests

from hubnet.localnet import HubSpec
from hubnet.processes import wait_until
from tests.e2e.conftest import start_test_network
from tests.federation.factories import body_for

pytestmark = pytest.mark.e2e

HUBS = [
    HubSpec("eu", "EU", "eu"),
    HubSpec("nl", "Nederland", "national", country="NL", nuts="NL", parent="eu"),
    HubSpec(
        "nl-nb", "Noord-Brabant", "regional", country="NL", nuts="NL41", parent="nl"
    ),
    HubSpec(
        "den-bosch",
        "'s-Hertogenbosch",
        "local",
        country="NL",
        nuts="NL413",
        parent="nl-nb",
    ),
    HubSpec(
        "eindhoven",
        "Eindhoven",
        "local",
        country="NL",
        nuts="NL414",
        parent="nl-nb",
        peers=("den-bosch",),
    ),
]

RECORD_QUERY = """
query One($id: ID!) {
  record(id: $id) { id origin originPath version deleted signature keyId verified
    ... on ProjectRecord { body { name } } }
}
"""


@pytest.fixture(scope="module")
def network(search_url, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("federation-network")
    running = start_test_network(
        HUBS,
        var_dir=var_dir,
        search_url=search_url,
        extra_env={"SYNC_INTERVAL": "3600"},
    )
    yield running
    running.stop()


def record_at(network, slug: str, record_id: str) -> dict | None:
    answer = network.graphql(slug, RECORD_QUERY, {"id": record_id})
    assert "errors" not in answer, answer
    return answer["data"]["record"]


def arrives(network, slug: str, record_id: str, *, version: int, timeout=60) -> dict:
    seen: dict = {}

    def check() -> bool:
        record = record_at(network, slug, record_id)
        seen["record"] = record
        return record is not None and record["version"] == version

    assert wait_until(check, timeout=timeout, interval=0.5), (slug, seen)
    return seen["record"]


def publish(network, tmp_path, slug: str, body: dict, record_id: str | None = None):
    body_file = tmp_path / "body.json"
    body_file.write_text(json.dumps(body))
    args = ["catalogue_publish", "--kind", "project", "--body-file", str(body_file)]
    if record_id:
        args += ["--id", record_id]
    return network.command_json(slug, *args)


def test_publish_edit_unpublish_propagate_to_the_eu(network, tmp_path):
    # given: a project published at the municipality
    published = publish(network, tmp_path, "den-bosch", body_for("project"))
    record_id = published["id"]
    assert published["version"] == 1

    # signed with the key den-bosch publishes at its well-known URL
    published_keys = requests.get(
        f"{network.network.url('den-bosch')}/.well-known/hubnet-keys.json",
        timeout=10,
    ).json()
    signed = record_at(network, "den-bosch", record_id)
    assert (signed["keyId"], signed["verified"]) == (
        published_keys["currentKeyId"],
        True,
    )

    # then: it reaches every level above, and the lateral peer, with its origin
    # path and the origin's signature, forwarded untouched and verified at each hop
    for slug in ("nl-nb", "nl", "eu", "eindhoven"):
        record = arrives(network, slug, record_id, version=1)
        assert record["origin"] == "den-bosch"
        assert record["originPath"] == ["eu", "nl", "nl-nb", "den-bosch"]
        assert record["body"] == {"name": "Parkeerscan"}
        assert (record["signature"], record["keyId"], record["verified"]) == (
            signed["signature"],
            signed["keyId"],
            True,
        )

    # when: the coordinator edits it
    edited = publish(
        network,
        tmp_path,
        "den-bosch",
        body_for("project", name="Parkeerscan 2.0"),
        record_id=record_id,
    )
    assert edited["version"] == 2
    # then: version 2 arrives at the EU hub, verified
    record = arrives(network, "eu", record_id, version=2)
    assert record["body"] == {"name": "Parkeerscan 2.0"}
    assert (record["keyId"], record["verified"]) == (signed["keyId"], True)

    # when: it is unpublished
    gone = network.command_json("den-bosch", "catalogue_tombstone", record_id)
    assert gone["version"] == 3
    # then: the tombstone arrives everywhere
    for slug in ("nl-nb", "nl", "eu", "eindhoven"):
        record = arrives(network, slug, record_id, version=3)
        assert (record["deleted"], record["body"], record["verified"]) == (
            True,
            None,
            True,
        )


def test_loops_are_harmless_and_hubs_converge(network, tmp_path):
    # given: records published at both peers at once
    a = publish(network, tmp_path, "den-bosch", body_for("project", name="A"))
    b = publish(network, tmp_path, "eindhoven", body_for("project", name="B"))
    # then: each hub holds both exactly once, and no hub holds a copy of its own
    for slug in ("eu", "nl", "nl-nb"):
        arrives(network, slug, a["id"], version=1)
        arrives(network, slug, b["id"], version=1)
    arrives(network, "eindhoven", a["id"], version=1)
    arrives(network, "den-bosch", b["id"], version=1)

    def converged() -> bool:
        digests = {
            slug: network.digest(slug, origin=origin)["digest"]
            for slug in ("eu", "nl", "nl-nb")
            for origin in ("den-bosch",)
        }
        return len(set(digests.values())) == 1

    assert wait_until(converged, timeout=60, interval=1)
    eu = network.digest("eu")
    assert eu["records"] == network.digest("nl")["records"]
    assert network.digest("eu", origin="eu")["records"] == 0


def test_feed_refuses_requests_without_a_valid_token(network):
    query = "query { changes(first: 5) { edges { cursor } } }"
    for token in (None, "wrong-token-" + "x" * 40):
        answer = network.graphql("nl", query, token=token)
        assert answer.get("data") in (None, {"changes": None})
        assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    good = network.tokens["eu>nl"]
    answer = network.graphql("nl", query, token=good)
    assert "errors" not in answer, answer
