"""The registration package: every item of Annex VIII Section C and of
Art. 27(1), (3) is listed, and listed as missing when absent; which items are
owed follows the Annex III area (Art. 49(3)-(5), Art. 27(1))."""

import datetime as dt

import pytest

from cms.aiact.items import LEGAL_ITEMS
from cms.aiact.package import package_publish_warning, registration_package_build
from tests.cms.aiact.readiness import assessments, complete_project

pytestmark = pytest.mark.django_db

# Per item: the page fields that, when emptied, leave it missing.
EMPTIED = {
    "annex-viii-c-1": {"deployer_address": ""},
    "annex-viii-c-2": {"submitter_contact": ""},
    "annex-viii-c-3": {"eu_database_url": ""},
    "annex-viii-c-4": {"impact_assessments": assessments("dpia")},
    "annex-viii-c-5": {"impact_assessments": assessments("fria")},
    "art-27-1-a": {"fria_processes": ""},
    "art-27-1-b": {"fria_period_frequency": ""},
    "art-27-1-c": {"fria_affected_persons": "", "affected_groups": []},
    "art-27-1-d": {"fria_risks_of_harm": ""},
    "art-27-1-e": {"human_intervention": ""},
    "art-27-1-f": {"fria_measures": ""},
    "art-27-3": {"fria_notified_on": None},
}


def test_the_table_follows_section_c_and_article_27_item_by_item():
    # given the declared items, then they are exactly Section C 1-5, Art. 27(1)
    # (a)-(f) and the notification of Art. 27(3), in that order
    assert [item.reference for item in LEGAL_ITEMS] == [
        "Annex VIII, Section C, point 1",
        "Annex VIII, Section C, point 2",
        "Annex VIII, Section C, point 3",
        "Annex VIII, Section C, point 4; Art. 27",
        "Annex VIII, Section C, point 5; Art. 26(8)",
        "Art. 27(1)(a)",
        "Art. 27(1)(b)",
        "Art. 27(1)(c)",
        "Art. 27(1)(d)",
        "Art. 27(1)(e)",
        "Art. 27(1)(f)",
        "Art. 27(3)",
    ]
    assert set(EMPTIED) == {item.key for item in LEGAL_ITEMS}


def test_a_complete_project_lists_every_item_as_present():
    # given a high-risk project with everything filled in
    package = registration_package_build(page=complete_project())
    # then every item is owed and present, and the package is complete
    assert [(s.item.key, s.required, s.present) for s in package.items] == [
        (key, True, True) for key in EMPTIED
    ]
    assert package.complete
    assert package.fria_performed
    assert package.fria_notified
    assert package.route == "eu-database"


@pytest.mark.parametrize("key", list(EMPTIED))
def test_an_absent_item_is_listed_as_missing(key):
    # given a complete project without what the item needs
    page = complete_project(**EMPTIED[key])
    # when its package is built
    package = registration_package_build(page=page)
    # then the item is still listed, as missing, and only it
    status = next(s for s in package.items if s.item.key == key)
    assert (status.present, status.missing) == (False, True)
    assert [s.item.key for s in package.missing] == [key]
    assert not package.complete
    exported = package.as_dict()
    assert exported["missing"] == [key]
    assert {"key": key, "missing": True, "value": None}.items() <= next(
        item for item in exported["items"] if item["key"] == key
    ).items()


def test_the_item_values_come_from_the_page():
    package = registration_package_build(page=complete_project())
    values = {s.item.key: s.value for s in package.items}
    assert values["annex-viii-c-1"] == (
        "Gemeente Den Bosch — Wolvenhoek 1, 5211 HH 's-Hertogenbosch — "
        "algoritmes@example.org"
    )
    assert values["annex-viii-c-3"] == (
        "Vendor BV — https://ai-act-database.example.eu/systems/7"
    )
    assert values["annex-viii-c-4"] == "FRIA: risks acceptable with review."
    assert values["art-27-1-f"] == (
        "Stop the system; review all refusals. — Object within six weeks."
    )
    assert values["art-27-3"] == "2026-06-01"


def test_a_restricted_area_registers_section_c_points_1_to_3_only():
    # given a law-enforcement system without FRIA and DPIA summaries
    page = complete_project(annex_iii_area="law-enforcement", impact_assessments=[])
    package = registration_package_build(page=page)
    # then points 4 and 5 are not owed (Art. 49(4)(c)), the FRIA still is
    required = {s.item.key for s in package.items if s.required}
    assert required == set(EMPTIED) - {"annex-viii-c-4", "annex-viii-c-5"}
    assert package.route == "eu-database-restricted"
    assert package.restricted
    assert package.complete


def test_critical_infrastructure_is_registered_nationally_without_a_fria():
    page = complete_project(
        annex_iii_area="critical-infrastructure", fria_processes="", eu_database_url=""
    )
    package = registration_package_build(page=page)
    assert package.route == "national"
    assert not package.fria_owed
    assert not package.missing
    assert package.complete


def test_a_system_that_is_not_high_risk_owes_nothing():
    package = registration_package_build(
        page=complete_project(ai_act_class="limited", annex_iii_area="")
    )
    assert (package.high_risk, package.route, package.complete) == (
        False,
        "none",
        False,
    )
    assert not any(s.required for s in package.items)


def test_the_publish_warning_names_the_missing_count_of_a_system_in_use():
    page = complete_project(fria_notified_on=None, deployer_address="")
    assert package_publish_warning(page=page) == (
        "This high-risk system is in use, but its AI Act registration package "
        "lacks 2 items. See the AI Act checklist."
    )
    assert package_publish_warning(page=complete_project()) == ""
    assert (
        package_publish_warning(
            page=complete_project(status="pilot", **{"fria_notified_on": None})
        )
        == ""
    )
    assert dt.date(2026, 6, 1) == complete_project().fria_notified_on
