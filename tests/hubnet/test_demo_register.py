"""Real algorithm register entries in the demo: each goes to the hub of the
organisation it names, and is published as an editable page with its
transparency fields."""

import io
import json

import pytest
from django.core.management import call_command

from cms.models import ProjectPage
from federation.models import StoredRecord
from hubnet.demo.hubs import DEMO_HUBS
from hubnet.demo.places import HubAreas
from hubnet.demo.register import (
    SELF_CHECK_ANSWERS,
    demo_register_publish,
    register_hub,
    register_plan,
)


def test_the_entries_go_to_the_hubs_of_their_organisations():
    # when the demo plans the register's 80 entries
    plan = register_plan(DEMO_HUBS)
    # then Amsterdam's go to its local hub; Utrecht, The Hague and Rotterdam have
    # no local or regional hub in the demo, so theirs go to the national hub, as
    # those of national bodies do
    by_hub = {
        slug: {(entry["organization"], entry["name"]) for entry in entries}
        for slug, entries in plan.items()
    }
    assert sorted(plan) == ["amsterdam", "nl"]
    assert (len(plan["amsterdam"]), len(plan["nl"])) == (8, 72)
    assert ("Gemeente Amsterdam", "Top 400/600") in by_hub["amsterdam"]
    assert {organisation for organisation, _ in by_hub["amsterdam"]} == {
        "Gemeente Amsterdam"
    }
    assert ("Gemeente Rotterdam", "Parkeercontrole") in by_hub["nl"]
    assert (
        "Rijksdienst Voor Identiteitsgegevens",
        "Kwaliteitsbepaling van de foto",
    ) in by_hub["nl"]


@pytest.mark.parametrize(
    ("organisation", "hub"),
    [
        ("Gemeente Eindhoven", "eindhoven"),
        ("Gemeente 's-Hertogenbosch", "den-bosch"),
        # in Noord-Brabant, without a local hub of its own
        ("Gemeente Tilburg", "nl-nb"),
        ("Provincie Noord-Holland", "nl-nh"),
        ("Provincie Zuid-Holland", "nl"),
        ("Gemeente Utrecht", "nl"),
        ("Rijkswaterstaat", "nl"),
    ],
)
def test_municipality_to_local_province_to_regional_else_national(organisation, hub):
    assert register_hub(organisation=organisation, areas=HubAreas(DEMO_HUBS)) == hub


@pytest.mark.django_db
def test_seeding_publishes_editable_pages_with_their_transparency_fields():
    # given a hub page tree and two of the national hub's entries: Rotterdam's
    # parking check (a DPIA, a way to object) and RvIG's photo check
    from tests.cms.factories import hub_home

    hub_home()
    wanted = {"Parkeercontrole", "Kwaliteitsbepaling van de foto"}
    entries = [
        entry for entry in register_plan(DEMO_HUBS)["nl"] if entry["name"] in wanted
    ]
    # when they are seeded
    result = demo_register_publish(entries=entries)
    # then each is a live project page (editable, imported by its register key)
    # whose record is in the store
    assert (result.published, result.unchanged, result.skipped) == (2, 0, ())
    pages = {page.title: page for page in ProjectPage.objects.live()}
    assert set(pages) == wanted
    parking = pages["Parkeercontrole"]
    assert parking.register_key
    body = StoredRecord.objects.get(record_id=parking.record_id).body
    # with the register's transparency fields
    assert body["organisation"] == "Gemeente Rotterdam"
    assert body["objectionProcedure"].strip()
    assert body["humanIntervention"].strip()
    assert [item["type"] for item in body["impactAssessments"]] == ["dpia"]
    assert body["aiActClass"] == parking.ai_act_class
    # and seeding again changes nothing
    again = demo_register_publish(entries=entries)
    assert (again.published, again.unchanged) == (0, 2)


@pytest.mark.django_db
def test_the_seed_command_imports_and_publishes_the_register_entries(tmp_path):
    # given a seed file with no records and one register entry
    from tests.cms.factories import hub_home

    hub_home()
    entry = next(
        entry
        for entry in register_plan(DEMO_HUBS)["amsterdam"]
        if entry["name"] == "Top 400/600"
    )
    seed_file = tmp_path / "seed.json"
    seed_file.write_text(
        json.dumps({"hub": "amsterdam", "items": [], "register": [entry]})
    )
    out = io.StringIO()
    # when the hub is seeded
    call_command("demo_seed", "--hub-data", str(seed_file), stdout=out)
    # then the entry is a live page, and the last line says so
    result = json.loads(out.getvalue().splitlines()[-1])
    assert result["register_published"] == 1
    assert result["register_skipped"] == []
    page = ProjectPage.objects.live().get()
    assert (page.title, page.organisation_name) == ("Top 400/600", "Gemeente Amsterdam")


@pytest.mark.django_db
def test_the_coordinators_answers_give_the_people_rating_entries_a_high_impact():
    # given Rotterdam's re-examination of benefit recipients (it rates people
    # for an intervention) and its parking check (it does not)
    from tests.cms.factories import hub_home

    hub_home()
    wanted = {"Heronderzoeken Uitkeringsgerechtigden", "Parkeercontrole"}
    entries = [
        entry for entry in register_plan(DEMO_HUBS)["nl"] if entry["name"] in wanted
    ]
    # when they are seeded
    result = demo_register_publish(entries=entries)
    # then both are published, the first with a high impact on people that
    # travels in its record, the second with the criteria unanswered
    assert (result.published, result.skipped) == (2, ())
    pages = {page.title: page for page in ProjectPage.objects.live()}
    benefits = pages["Heronderzoeken Uitkeringsgerechtigden"]
    assert (benefits.risk_human_influence, benefits.risk_rights_impact) == (
        "substantial",
        "high",
    )
    body = StoredRecord.objects.get(record_id=benefits.record_id).body
    assert (body["humanInfluence"], body["rightsImpact"], body["impactLevel"]) == (
        "substantial",
        "high",
        "high",
    )
    assert body["aiActClass"] != "high"
    parking = StoredRecord.objects.get(record_id=pages["Parkeercontrole"].record_id)
    assert "impactLevel" not in parking.body


def test_every_self_check_answer_names_an_entry_of_the_register():
    # given the register entries the demo plans, by organisation and name
    planned = {
        (" ".join(entry["organization"].split()), " ".join(entry["name"].split()))
        for entries in register_plan(DEMO_HUBS).values()
        for entry in entries
    }
    # then each answered entry is one of them (a renamed entry is not lost)
    assert set(SELF_CHECK_ANSWERS) <= planned
    assert len(SELF_CHECK_ANSWERS) == 3
