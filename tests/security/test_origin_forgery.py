"""A hostile child cannot forge, overwrite or tombstone a sibling's records, nor
pin a record with a huge version: a real hub pulls from two fake children (real
local HTTP servers), an honest one and a hostile one, and keeps only what each
may speak for; the rest is quarantined with the reason."""

import json
import secrets
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from hubnet.localnet import HubSpec
from tests.e2e.driver import NetworkDriver
from tests.federation.factories import body_for, wire_record
from tests.security.servers import HostileNeighbour

pytestmark = pytest.mark.e2e

HUB = HubSpec("nl", "AI Hub Nederland", "national", country="NL", nuts="NL")
SIBLING, HOSTILE = "nl-nh", "nl-nb"

# The sibling's honest records, as its own feed serves them.
KEPT = wire_record(
    origin=SIBLING, origin_path=["nl", SIBLING], body=body_for("project", name="Kept")
)
LIVE = wire_record(
    origin=SIBLING, origin_path=["nl", SIBLING], body=body_for("project", name="Live")
)
MOVED = wire_record(
    origin=SIBLING, origin_path=["nl", SIBLING], body=body_for("project", name="Moved")
)

# The hostile child's page: two honest records (its own, its subtree's) among
# forgeries of the sibling's records and a version jump.
HONEST_OWN = wire_record(origin=HOSTILE, origin_path=["nl", HOSTILE])
HONEST_BELOW = wire_record(origin="eindhoven", origin_path=["nl", HOSTILE, "eindhoven"])
OVERWRITE = {**KEPT, "version": 2, "body": body_for("project", name="Forged")}
REROUTED = {**MOVED, "version": 2, "originPath": ["nl", HOSTILE, SIBLING]}
TOMBSTONE = {**LIVE, "version": 2, "deleted": True, "body": None}
PINNED = wire_record(origin=HOSTILE, origin_path=["nl", HOSTILE], version=2**62)

RECORD_QUERY = """
query One($id: ID!) {
  record(id: $id) { version deleted ... on ProjectRecord { body { name } } }
}
"""

# What the hub quarantined, per neighbour: slug -> [[record id, version, reason]].
QUARANTINE_DUMP = (
    "import json; from federation.models import QuarantinedRecord as Q; "
    "from hubs.models import Neighbour as N; "
    "print(json.dumps({n.slug: sorted([q.record_id, q.version, q.reason] "
    "for q in Q.objects.filter(neighbour=n)) for n in N.objects.all()}))"
)


@pytest.fixture
def children() -> Iterator[dict[str, str]]:
    """The two fake children, serving: slug -> base URL."""
    sibling = HostileNeighbour([KEPT, LIVE, MOVED])
    hostile = HostileNeighbour(
        [HONEST_OWN, OVERWRITE, REROUTED, HONEST_BELOW, TOMBSTONE, PINNED]
    )
    with ExitStack() as stack:
        yield {
            SIBLING: stack.enter_context(sibling.serving()),
            HOSTILE: stack.enter_context(hostile.serving()),
        }


def _children_load(network: NetworkDriver, urls: dict[str, str], tmp_path) -> None:
    entries = [
        {
            "slug": slug,
            "name": slug,
            "role": "child",
            "endpoint_url": url,
            "outbound_token": secrets.token_urlsafe(32),
            "inbound_token": secrets.token_urlsafe(32),
        }
        for slug, url in urls.items()
    ]
    file = tmp_path / "children.json"
    file.write_text(json.dumps(entries))
    network.command("nl", "neighbours_load", str(file))


def _record(network: NetworkDriver, record_id: str) -> dict[str, Any] | None:
    answer = network.graphql("nl", RECORD_QUERY, {"id": record_id})
    assert "errors" not in answer, answer
    return answer["data"]["record"]


def _quarantined(network: NetworkDriver) -> dict[str, list[list[Any]]]:
    """What the hub quarantined, per neighbour (read in the hub's database)."""
    dump = network.command("nl", "shell", "-c", QUARANTINE_DUMP)
    return json.loads(dump.strip().splitlines()[-1])


def test_a_hostile_child_cannot_forge_a_siblings_records(
    children, hub_network, tmp_path
):
    # given a real hub with two children: an honest one whose records it holds
    network = hub_network([HUB], extra_env={"SYNC_INTERVAL": "86400"})
    _children_load(network, children, tmp_path)
    sibling_run = network.command("nl", "sync", "--neighbour", SIBLING)
    assert "applied=3 " in sibling_run
    # when it pulls the hostile child's page
    hostile_run = network.command("nl", "sync", "--neighbour", HOSTILE)
    # then the honest items are applied and the forgeries quarantined
    assert "fetched=6 applied=2 " in hostile_run
    assert "quarantined=4 " in hostile_run
    # the sibling's records are untouched, content and version
    for record, name in ((KEPT, "Kept"), (LIVE, "Live"), (MOVED, "Moved")):
        assert _record(network, record["id"]) == {
            "version": 1,
            "deleted": False,
            "body": {"name": name},
        }
    # the hostile child's honest records are held; the pinned one is not
    assert _record(network, HONEST_OWN["id"])["version"] == 1
    assert _record(network, HONEST_BELOW["id"])["version"] == 1
    assert _record(network, PINNED["id"]) is None
    # and each forgery is quarantined under the hostile child, with its reason
    quarantined = _quarantined(network)
    not_through = (
        f"child {HOSTILE} may not speak for {SIBLING}: its originPath "
        f"nl/{SIBLING} does not run through {HOSTILE}"
    )
    assert quarantined[HOSTILE] == sorted(
        [
            [KEPT["id"], 2, not_through],
            [LIVE["id"], 2, not_through],
            [
                MOVED["id"],
                2,
                f"originPath nl/{HOSTILE}/{SIBLING} differs from the one held here "
                f"(nl/{SIBLING}), and {not_through}",
            ],
            [
                PINNED["id"],
                None,
                f"version {2**62} jumps more than SYNC_MAX_VERSION_JUMP=1000000 "
                "above the version held here (0)",
            ],
        ]
    )
    # and nothing of the honest sibling was
    assert quarantined[SIBLING] == []
