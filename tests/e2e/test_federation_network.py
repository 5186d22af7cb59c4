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


# A law-enforcement system (Annex III point 6), made and published as an editor
# would, with texts the law keeps non-public for it.
RESTRICTED_PROJECT = """
import json
from django.contrib.auth.models import User
from cms.models import ProjectImpactAssessment, ProjectIndexPage, ProjectPage
page = ProjectPage(
    title="Kentekenscan", short_description="Finds wanted cars.",
    organisation_name="Gemeente 's-Hertogenbosch", status="in-use",
    ai_act_class="high", annex_iii_area="law-enforcement",
    human_intervention="An officer checks every hit.",
    objection_procedure="Object at the police desk.",
    risks="SECRET-RISKS", methods_and_models="SECRET-METHODS",
    supplier="SECRET-SUPPLIER", ai_provider_name="SECRET-PROVIDER",
    eu_database_url="https://ai-act-database.example.eu/secret",
    fria_risks_of_harm="SECRET-FRIA",
    impact_assessments=[ProjectImpactAssessment(
        assessment_type="fria", summary="SECRET-FRIA-SUMMARY")],
)
ProjectIndexPage.objects.get().add_child(instance=page)
page.save_revision().publish()
page.refresh_from_db()
User.objects.create_superuser("aiact", "aiact@example.org", "aiact-password-1")
print(json.dumps({"id": page.record_id, "pk": page.pk}))
"""
SECRETS = (
    "SECRET-RISKS",
    "SECRET-METHODS",
    "SECRET-SUPPLIER",
    "SECRET-PROVIDER",
    "ai-act-database.example.eu",
    "SECRET-FRIA",
)


def test_a_restricted_system_reaches_the_eu_without_the_withheld_fields(
    network, search_url
):
    # given: a high-risk law-enforcement project published at the municipality
    made = network.command_json("den-bosch", "shell", "-c", RESTRICTED_PROJECT)
    record_id = made["id"]
    # then: it reaches the EU hub
    arrives(network, "eu", record_id, version=1)
    # and the feed the parent reads from the municipality holds none of the
    # withheld texts, nor the readiness facts
    feed = network.graphql(
        "den-bosch",
        "query { changes(first: 100) { edges { wire } } }",
        token=network.tokens["nl-nb>den-bosch"],
    )
    wires = [e["wire"] for e in feed["data"]["changes"]["edges"]]
    sent = next(wire for wire in wires if wire["id"] == record_id)
    assert sent["body"]["annexIiiArea"] == "law-enforcement"
    assert sent["body"]["humanIntervention"] == "An officer checks every hit."
    assert not {"aiActPackageComplete", "friaPerformed", "friaNotified"} & set(
        sent["body"]
    )
    assert sent["body"]["impactAssessments"] == []
    assert not [s for s in SECRETS if s in json.dumps(sent)]

    # and so does the shared index, as the hubs wrote it
    def indexed() -> dict | None:
        response = requests.get(f"{search_url}/catalogue/_doc/{record_id}", timeout=10)
        return response.json() if response.status_code == 200 else None

    assert wait_until(lambda: indexed() is not None, timeout=60, interval=1)
    document = indexed()["_source"]
    assert document["annexIiiArea"] == "law-enforcement"
    assert "aiActPackageComplete" not in document
    assert document["aiActReadinessPublic"] is False
    assert not [s for s in SECRETS if s in json.dumps(document)]
    # while the municipality's editor still sees them in the checklist
    den_bosch = network.network.url("den-bosch")
    editor = requests.Session()
    editor.get(f"{den_bosch}/admin/login/", timeout=30)
    login = editor.post(
        f"{den_bosch}/admin/login/",
        data={
            "username": "aiact",
            "password": "aiact-password-1",
            "csrfmiddlewaretoken": editor.cookies["csrftoken"],
        },
        headers={"Referer": f"{den_bosch}/admin/login/"},
        timeout=30,
    )
    assert login.status_code == 200
    checklist = editor.get(f"{den_bosch}/admin/ai-act/{made['pk']}/", timeout=30)
    assert checklist.status_code == 200
    assert "SECRET-FRIA" in checklist.text
    assert "SECRET-PROVIDER" in checklist.text
