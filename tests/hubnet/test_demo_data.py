"""The demo's data: where each source row lands, and what its record says."""

import re

import pytest

from federation.records import RECORD_ID, body_validate
from hubnet.demo.data import (
    case_assignment,
    demo_plan,
    dih_item,
    dih_type,
    level_counts,
    plan_counts,
    ror_item,
)
from hubnet.demo.hubs import DEMO_HUBS
from hubnet.demo.places import HubAreas, nuts_2021, place_lookup, places_named
from hubnet.demo.sources import ai_cases, innovation_hubs, research_organisations

AREAS = HubAreas(DEMO_HUBS)


@pytest.fixture(scope="module")
def plan():
    return demo_plan(DEMO_HUBS)


def case(case_id: str) -> dict[str, str]:
    return next(row for row in ai_cases() if row["id"] == case_id)


def ror(name: str) -> dict[str, str]:
    return next(row for row in research_organisations() if row["name"] == name)


def dih(name: str) -> dict[str, str]:
    return next(row for row in innovation_hubs() if row["name"] == name)


def test_every_seeded_body_validates_against_the_record_schema(plan):
    for items in plan.values():
        for item in items:
            valid = body_validate(kind=item.kind, body=item.body)  # raises if not
            title = valid.get("name") or valid.get("title")
            assert title == (item.body.get("name") or item.body.get("title"))


def test_record_ids_are_unique_stable_and_well_formed(plan):
    ids = [item.record_id for items in plan.values() for item in items]
    assert len(ids) == len(set(ids))
    assert all(RECORD_ID.match(record_id) for record_id in ids)
    # computed again, the plan is the same (seeding is keyed by these ids)
    again = demo_plan(DEMO_HUBS)
    assert {slug: [i.wire() for i in items] for slug, items in again.items()} == {
        slug: [i.wire() for i in items] for slug, items in plan.items()
    }


def test_each_record_is_an_own_record_of_its_hub(plan):
    for slug, items in plan.items():
        assert {item.hub for item in items} <= {slug}
        assert all(item.record_id.startswith(f"{slug}:") for item in items)


def test_every_source_row_is_seeded_once(plan):
    counts = plan_counts(plan)
    total = {
        kind: sum(c.get(kind, 0) for c in counts.values()) for kind in counts["eu"]
    }
    organisations = len(research_organisations()) + len(innovation_hubs())
    assert total["organisation"] == organisations == 2525 + 701
    assert total["project"] == len(ai_cases()) == 686
    # written for the demo: three courses and two datasets per hub
    assert all(c["course"] == 3 and c["dataset"] == 2 for c in counts.values())


def test_counts_per_level_add_up_to_the_counts_per_hub(plan):
    levels = level_counts(plan, DEMO_HUBS)
    assert set(levels) == {"local", "regional", "national", "eu"}
    assert sum(sum(c.values()) for c in levels.values()) == sum(
        len(items) for items in plan.values()
    )
    local = sum(len(plan[slug]) for slug in ("den-bosch", "eindhoven", "amsterdam"))
    assert sum(levels["local"].values()) == local


@pytest.mark.parametrize(
    ("case_id", "hub"),
    [
        ("10348", "eindhoven"),  # Municipality of Eindhoven, Local
        ("10325", "den-bosch"),  # Boxmeer lies in NL413, 's-Hertogenbosch's area
        ("10071", "amsterdam"),  # City of Amsterdam, Local
        ("10346", "nl-nb"),  # Breda: Noord-Brabant, no local hub
        ("10344", "nl-nb"),  # District Court of East Brabant, Regional
        ("10318", "nl-nh"),  # Amsterdam, but a Regional case: the regional hub
        ("10310", "nl"),  # North Holland and Gelderland: the hub above both
        ("10355", "nl"),  # Amsterdam, Rotterdam and Utrecht
        ("10074", "nl"),  # Utrecht: no hub below the national one
        ("10308", "nl"),  # a Local case that names no place
        ("10004", "be"),  # Antwerp, Local: Belgium has only a national hub
        ("10000", "eu"),  # Austria, National: no Austrian hub
    ],
)
def test_a_case_lands_at_the_hub_of_its_extent_and_place(case_id, hub):
    assert case_assignment(case(case_id), AREAS)[0] == hub


def test_national_and_across_countries_cases(plan):
    national_nl = [r for r in ai_cases() if r["geoextent"] == "National"]
    across = [r for r in ai_cases() if r["geoextent"] == "Across Countries"]
    for row in national_nl:
        expected = {"NL": "nl", "BE": "be"}.get(row["geocoverage_codes"], "eu")
        assert case_assignment(row, AREAS)[0] == expected
    assert {case_assignment(row, AREAS)[0] for row in across} == {"eu"}
    assert any(row["geocoverage_codes"] in ("NL", "BE") for row in across)


def test_a_project_keeps_the_facts_of_its_case(plan):
    # given: the Eindhoven case
    (item,) = [i for i in plan["eindhoven"] if i.source == "jrc-ips:10348"]
    body = item.body
    # then
    assert body["name"].startswith("Detecting 'unknown' companies")
    assert body["organisation"] == "Municipality of Eindhoven"
    assert body["status"] in {"idea", "development", "pilot", "in-use", "retired"}
    assert body["technologies"] == ["Artificial intelligence"]
    assert body["location"]["nuts"] == ["NL414"]
    assert body["location"]["country"] == "NL"
    assert "lat" in body["location"]
    assert "JRC Innovative Public Services" in body["description"]
    assert len(body["shortDescription"]) <= 300


def test_case_status_maps_to_the_project_status(plan):
    statuses = {
        row["id"]: row["status"] for row in ai_cases() if row["status"] == "Implemented"
    }
    projects = [i for items in plan.values() for i in items if i.kind == "project"]
    implemented = [p for p in projects if p.source.split(":")[1] in statuses]
    assert implemented
    assert {p.body["status"] for p in implemented} == {"in-use"}


@pytest.mark.parametrize(
    ("name", "hub", "nuts"),
    [
        ("Eindhoven University of Technology", "eindhoven", "NL414"),
        ("University of Amsterdam", "amsterdam", "NL329"),  # NUTS 2016 NL326
        ("Vrije Universiteit Amsterdam", "amsterdam", "NL329"),  # no NUTS: its point
        ("Tilburg University", "nl-nb", "NL412"),
        ("Royal Academy of Art", "nl", "NL332"),
        ("KU Leuven", "be", "BE242"),
    ],
)
def test_an_organisation_lands_at_the_hub_whose_area_holds_it(name, hub, nuts):
    item = ror_item(ror(name), AREAS)
    assert item.hub == hub
    assert item.body["location"]["nuts"] == [nuts]
    assert item.body["identifiers"]["ror"] == ror(name)["ror_id"]
    assert {"lat", "lon", "country"} <= set(item.body["location"])


def test_innovation_hubs_land_by_their_city_and_outside_nl_be_at_the_eu_hub():
    jads = dih_item(dih("Jheronimus Academy of Data Science"), AREAS)
    assert jads.hub == "den-bosch"
    assert jads.body["location"]["nuts"] == ["NL413"]
    assert jads.body["openToPartnership"] is True
    aachen = dih_item(dih("Aachen DIH Center for Robotics in Healthcare"), AREAS)
    assert aachen.hub == "eu"
    assert aachen.body["location"] == {
        "place": "Aachen",
        "country": "DE",
        "nuts": ["DE"],
    }
    assert "robotics" in aachen.body["technologies"]
    assert aachen.body["sectors"] == ["Life sciences & healthcare"]


def test_every_nl_and_be_innovation_hub_is_placed_in_a_region(plan):
    for row in innovation_hubs():
        if row["country"] in ("Netherlands", "Belgium"):
            item = dih_item(row, AREAS)
            assert len(item.body["location"]["nuts"][0]) == 5, row["city"]


def test_organisation_types_of_innovation_hubs():
    assert dih_type("KATHOLIEKE UNIVERSITEIT LEUVEN") == "knowledge-institution"
    assert dih_type("Flanders Make vzw") == "civil-society"
    assert dih_type("Acme Robotics GmbH") == "company"
    assert dih_type("Municipality of Example") == "government"


def test_nuts_2016_codes_become_nuts_2021():
    assert nuts_2021("NL326", lat=52.37, lon=4.89, country="NL") == "NL329"
    assert nuts_2021("NL414", lat=None, lon=None, country="NL") == "NL414"
    # BE325 (Soignies) was split: the nearest region of the same NUTS 2
    assert nuts_2021("BE325", lat=50.48, lon=4.19, country="BE") == "BE329"
    assert nuts_2021("", lat=None, lon=None, country="NL") is None


def test_places_named_in_text():
    names = [
        p.name for p in places_named("Municipality of Amsterdam-AMS Institute", "NL")
    ]
    assert names == ["Amsterdam"]
    # ambiguous short names are not matched in free text
    assert places_named("Son of a gun; Best practices", "NL") == []
    assert [p.nuts for p in places_named("Province of North Holland", "NL")] == ["NL32"]
    assert place_lookup("s-Hertogenbosch", "NL").nuts == "NL413"
    assert place_lookup("Heverlee", "BE").name == "Leuven"


def test_hub_areas():
    assert AREAS.hub_for(country="NL", nuts="NL414") == "eindhoven"
    assert AREAS.hub_for(country="NL", nuts="NL414", finest="regional") == "nl-nb"
    assert AREAS.hub_for(country="NL", nuts="NL411") == "nl-nb"
    assert AREAS.hub_for(country="NL", nuts="NL310") == "nl"
    assert AREAS.hub_for(country="NL", nuts=None) == "nl"
    assert AREAS.hub_for(country="FR", nuts="FR101") == "eu"
    assert AREAS.common(["den-bosch", "eindhoven"]) == "nl-nb"
    assert AREAS.common(["amsterdam", "eindhoven"]) == "nl"
    assert AREAS.common(["amsterdam"]) == "amsterdam"


def test_written_courses_and_datasets_are_marked_as_demo_content(plan):
    written = [
        i for items in plan.values() for i in items if i.source.startswith("demo:")
    ]
    assert len(written) == 5 * len(DEMO_HUBS)
    for item in written:
        assert item.body["title"].endswith("(demo)")
        assert re.search(r"Demo|démonstration", item.body["description"])
    languages = {i.language for i in written}
    assert {"en", "nl", "fr"} <= languages
