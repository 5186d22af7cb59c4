"""Importing algorithm register entries: draft pages, one report line per entry,
broken entries skipped with their reason, and re-imports that change nothing."""

import datetime as dt

import pytest
from wagtail.models import Revision

from cms.mapping import body_from_page
from cms.models import ProjectPage
from hubs.identity import hub_identity
from standards.algoritmeregister.services import algoritmeregister_import
from tests.cms.factories import hub_home
from tests.standards.algoritmeregister.helpers import (
    REGISTER_0_X,
    REGISTER_1_0,
    REGISTER_BROKEN,
    entries,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hub():
    return hub_home()


def draft(name: str) -> ProjectPage:
    return ProjectPage.objects.get(title=name).get_latest_revision_as_object()


def rows(page, relation, *columns):
    return [
        tuple(getattr(row, c) for c in columns) for row in getattr(page, relation).all()
    ]


def test_entries_of_standard_1_0_become_draft_pages():
    # given a register export with three 1.0 entries
    # when it is imported
    report = algoritmeregister_import(entries=entries(REGISTER_1_0))
    # then each entry is a new draft project page, nothing is published
    assert [line.outcome for line in report.lines] == ["created"] * 3
    assert report.summary() == "3 entries: 3 created, 0 updated, 0 unchanged, 0 skipped"
    assert report.lines[0].notes == ()
    assert ProjectPage.objects.count() == 3
    assert ProjectPage.objects.filter(live=True).count() == 0
    # and every field of the standard is on the page
    page = draft("Signalering onrechtmatige bijstand")
    assert page.get_parent().specific_class.__name__ == "ProjectIndexPage"
    assert (page.status, page.start_date, page.end_date) == (
        "development",
        dt.date(2024, 9, 1),
        None,
    )
    assert page.short_description == (
        "Een model rangschikt aanvragen voor bijstand op de kans dat een "
        "heronderzoek nodig is."
    )
    assert page.organisation_name == "Gemeente Noorderhaaks"
    assert page.policy_areas == [
        "Sociale zekerheid",
        "Werk",
        "Organisatie en bedrijfsvoering",
    ]
    assert page.themes == ["SOCI", "GOVE"]
    assert (page.contact_email, page.contact_url) == (
        "",
        "https://gemeentenoorderhaaks.nl/contact/algoritmes",
    )
    assert page.publication_category == "high-risk-ai-system"
    assert page.ai_act_class == ""  # the coordinator confirms it
    assert page.language == "nl"
    assert page.website == "https://gemeentenoorderhaaks.nl/bijstand/algoritme"
    assert page.register_url == "https://algoritmes.gemeentenoorderhaaks.nl/bijstand"
    assert page.processing_register_url == (
        "https://gemeentenoorderhaaks.nl/verwerkingen/bijstand"
    )
    assert page.lawful_basis == "Participatiewet, artikel 53a."
    assert rows(page, "lawful_basis_links", "title", "url") == [
        ("Participatiewet", "https://wetten.overheid.nl/BWBR0015703"),
        (
            "Algemene verordening gegevensbescherming",
            "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
        ),
    ]
    assert rows(page, "impact_assessments", "assessment_type", "title", "url") == [
        (
            "iama",
            "Impact Assessment Mensenrechten en Algoritmes (IAMA)",
            "https://gemeentenoorderhaaks.nl/toetsen/iama-bijstand",
        ),
        (
            "dpia",
            "Data Protection Impact Assessment (DPIA)",
            "https://gemeentenoorderhaaks.nl/toetsen/dpia-bijstand",
        ),
        ("other", "Bias-toets 2024", ""),
    ]
    assert page.impact_assessment_notes == (
        "De bias-toets wordt niet gepubliceerd omdat hij persoonsgegevens bevat."
    )
    assert (
        page.source_data == "Gegevens uit de aanvraag en de Basisregistratie Personen."
    )
    assert rows(page, "source_data_links", "title", "url") == [
        ("Basisregistratie Personen", "https://www.rvig.nl/brp")
    ]
    assert page.methods_and_models.startswith("Zelflerend: een gradient boosting")
    assert page.supplier == "Intern ontwikkeld"
    assert page.source_code_url == (
        "https://github.com/gemeentenoorderhaaks/bijstand-signalering"
    )
    assert page.source_id == "SOC-014"
    assert page.tags == ["bijstand", "heronderzoek", "fraude"]
    assert page.register_key.startswith("source-id:")


def test_the_register_id_and_unknown_fields_are_left_out_and_noted():
    # given an entry with the register's own id and a field of no standard
    entry = {**entries(REGISTER_1_0)[0], "colour": "blue"}
    # when it is imported
    report = algoritmeregister_import(entries=[entry])
    # then it is created, and the unknown field is named in its line
    assert report.lines[0].outcome == "created"
    assert report.lines[0].notes == ("ignored colour: not in standard 1.0",)


def test_importing_the_same_file_twice_changes_nothing():
    # given the entries imported once
    algoritmeregister_import(entries=entries(REGISTER_1_0))
    algoritmeregister_import(entries=entries(REGISTER_0_X))
    pages, revisions = ProjectPage.objects.count(), Revision.objects.count()
    # when the same files are imported again
    again = algoritmeregister_import(entries=entries(REGISTER_1_0))
    legacy_again = algoritmeregister_import(entries=entries(REGISTER_0_X))
    # then every entry is unchanged, and no page or revision was written
    assert [line.outcome for line in again.lines] == ["unchanged"] * 3
    assert [line.outcome for line in legacy_again.lines] == ["unchanged"] * 2
    assert again.ok
    assert legacy_again.ok
    assert (ProjectPage.objects.count(), Revision.objects.count()) == (
        pages,
        revisions,
    )


def test_a_changed_entry_becomes_a_new_draft_revision_of_its_page():
    # given the entries imported once
    algoritmeregister_import(entries=entries(REGISTER_1_0))
    page_id = ProjectPage.objects.get(title="Parkeerscanauto").pk
    revisions = Revision.objects.count()
    # when one entry's goal and status changed in the register
    changed = entries(REGISTER_1_0)
    changed[2]["goal"] = "Foutparkeerders opsporen, ook 's nachts."
    changed[2]["impacttoetsen_grouping"] = []
    report = algoritmeregister_import(entries=changed)
    # then that entry updates its own page with one new draft revision
    assert [line.outcome for line in report.lines] == [
        "unchanged",
        "unchanged",
        "updated",
    ]
    assert report.lines[2].page_id == page_id
    assert Revision.objects.count() == revisions + 1
    assert ProjectPage.objects.count() == 3
    page = draft("Parkeerscanauto")
    assert page.goal == "Foutparkeerders opsporen, ook 's nachts."
    assert list(page.impact_assessments.all()) == []
    assert ProjectPage.objects.get(pk=page_id).live is False


def test_broken_entries_are_skipped_with_their_reason_and_the_good_one_imported():
    # given a file with one good entry and five broken ones
    # when it is imported
    report = algoritmeregister_import(entries=entries(REGISTER_BROKEN))
    # then the good one is created and each broken one says why it was skipped
    assert [(line.outcome, line.reason) for line in report.lines] == [
        ("created", ""),
        ("skipped", "name: required"),
        ("skipped", "name: String should have at most 100 characters"),
        (
            "skipped",
            "status: Input should be 'In ontwikkeling', 'In gebruik' or "
            "'Buiten gebruik'",
        ),
        ("skipped", "not a JSON object but a string"),
        ("skipped", "website: 'gemeente noorderhaaks punt nl' is not an http(s) URL"),
    ]
    assert report.lines[4].text() == "#5 skipped: not a JSON object but a string"
    assert not report.ok
    assert list(ProjectPage.objects.values_list("title", flat=True)) == [
        "Goed algoritme"
    ]


def test_entries_missing_what_standard_1_0_requires_are_skipped():
    # given an entry without publication category, contact and language
    entry = entries(REGISTER_BROKEN)[0]
    for name in ("publication_category", "contact_email", "lang"):
        entry.pop(name)
    # when it is imported
    report = algoritmeregister_import(entries=[entry])
    # then it is skipped and the reason names the three fields
    assert report.lines[0].reason == (
        "required by standard 1.0: publication_category, contact_email, lang"
    )


def test_entries_in_the_0_x_field_names_are_translated():
    # given an export in the 0.3 and 0.4 field names
    # when it is imported
    report = algoritmeregister_import(entries=entries(REGISTER_0_X))
    # then both are created, with what could not be carried over noted
    assert [line.notes for line in report.lines] == [
        (
            "standard 0.x",
            "category Afval kept as tags",
            "competent_authority dropped (no such field in 1.0)",
        ),
        ("standard 0.x",),
    ]
    waste = draft("Afvalroutes plannen")
    assert waste.goal == "Kortere routes.\n\nMinder uitstoot en minder overlast."
    assert (waste.methods, waste.methods_and_models) == (
        "rule-based",
        "Regelgebaseerd.",
    )
    assert (waste.policy_areas, waste.themes, waste.tags) == (
        ["Natuur en milieu"],
        ["ENVI"],
        ["Afval"],
    )
    assert waste.department == "Afdeling Stadsbeheer"
    assert waste.objection_procedure == "Bezwaar via het gemeenteloket."
    assert waste.performance_and_monitoring == "Wekelijkse controle van de routes."
    assert rows(waste, "impact_assessments", "assessment_type", "title", "url") == [
        (
            "dpia",
            "Data Protection Impact Assessment (DPIA)",
            "https://gemeentenoorderhaaks.nl/toetsen/dpia-afval",
        )
    ]
    assert waste.register_key == "register-id:6f1c1c1e-8d2a-4d7e-9b1a-2f7c4e2b9a10"
    grants = draft("Subsidieaanvragen sorteren")
    assert grants.policy_areas == [
        "Organisatie en bedrijfsvoering",
        "Cultuur en recreatie",
    ]
    assert (grants.methods, grants.start_date) == ("self-learning", dt.date(2023, 5, 1))
    assert rows(grants, "lawful_basis_links", "title", "url") == [
        ("Wettelijke basis", "https://lokaleregelgeving.overheid.nl/CVDR1")
    ]
    assert rows(grants, "impact_assessments", "assessment_type", "title", "url") == [
        (
            "dpia",
            "Data Protection Impact Asssesment (DPIA)",
            "https://gemeentenoorderhaaks.nl/dpia-sub",
        ),
        (
            "iama",
            "Impact Assessment Mensenrechten en Algoritmes (IAMA)",
            "https://gemeentenoorderhaaks.nl/iama-sub",
        ),
    ]
    assert rows(grants, "source_data_links", "title", "url") == [
        ("Gegevensbron", "https://data.gemeentenoorderhaaks.nl/subsidies")
    ]
    assert grants.register_key.startswith("name:")


def test_a_dry_run_reports_the_outcomes_and_writes_nothing():
    # given an empty hub
    revisions = Revision.objects.count()
    # when a file with good and broken entries is imported as a dry run
    report = algoritmeregister_import(entries=entries(REGISTER_BROKEN), dry_run=True)
    # then the report is the real one, and nothing was written
    assert [line.outcome for line in report.lines] == ["created"] + ["skipped"] * 5
    assert report.summary() == (
        "6 entries: 1 created, 0 updated, 0 unchanged, 5 skipped "
        "(dry run: nothing written)"
    )
    assert report.lines[0].text() == "#1 “Goed algoritme” created"
    assert ProjectPage.objects.count() == 0
    assert Revision.objects.count() == revisions


def test_markup_the_standard_allows_becomes_plain_text():
    # given an entry whose goal uses the standard's paragraphs and list
    entry = entries(REGISTER_BROKEN)[0]
    entry["goal"] = "<p>Twee doelen:</p><ul><li>sneller</li><li>eerlijker</li></ul>"
    # when it is imported
    algoritmeregister_import(entries=[entry])
    # then the page keeps it as plain text
    assert draft("Goed algoritme").goal == "Twee doelen:\n\n- sneller\n- eerlijker"


def test_markup_the_standard_does_not_allow_is_refused():
    entry = {**entries(REGISTER_BROKEN)[0], "risks": '<a href="x">link</a>'}
    report = algoritmeregister_import(entries=[entry])
    assert report.lines[0].reason == (
        "risks: the tag <a> is not allowed (only br, div, li, ol, p, ul)"
    )


def test_without_a_source_id_the_register_id_finds_the_page_again():
    # given an entry without a source id but with the register's own id
    entry = {**entries(REGISTER_1_0)[0], "source_id": None}
    algoritmeregister_import(entries=[entry])
    page = ProjectPage.objects.get()
    # when it comes again under another name
    renamed = {**entry, "name": "Verkeersregeling Ringweg"}
    report = algoritmeregister_import(entries=[renamed])
    # then the same page is updated
    assert page.register_key == "register-id:12345678"
    assert [(line.outcome, line.page_id) for line in report.lines] == [
        ("updated", page.pk)
    ]
    latest = ProjectPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.title == "Verkeersregeling Ringweg"


def test_a_copy_of_an_imported_page_is_not_the_entry():
    # given an imported page and a copy of it
    algoritmeregister_import(entries=entries(REGISTER_1_0)[:1])
    page = ProjectPage.objects.get()
    copy = page.copy(update_attrs={"slug": "kopie", "title": "Kopie"})
    # when the entry is imported again
    report = algoritmeregister_import(entries=entries(REGISTER_1_0)[:1])
    # then the copy has no key, and the entry still finds its own page
    assert copy.specific.register_key == ""
    assert [(line.outcome, line.page_id) for line in report.lines] == [
        ("unchanged", page.pk)
    ]


def test_urls_are_kept_in_the_form_the_catalogue_stores():
    # given an entry whose web page is a bare host
    entry = {**entries(REGISTER_BROKEN)[0], "website": "https://Noorderhaaks.nl"}
    # when it is imported twice
    algoritmeregister_import(entries=[entry])
    again = algoritmeregister_import(entries=[entry])
    # then the page keeps the record schema's form of it, and nothing changes
    assert draft("Goed algoritme").website == "https://noorderhaaks.nl/"
    assert again.lines[0].outcome == "unchanged"


@pytest.fixture
def hub_at(settings):
    def located(nuts: str, country: str) -> None:
        settings.HUB_NUTS, settings.HUB_COUNTRY = nuts, country
        hub_identity.cache_clear()

    yield located
    hub_identity.cache_clear()


def test_a_new_page_lies_in_the_netherlands_in_the_importing_hubs_region(hub_at):
    # given a local hub in Zuidoost-Noord-Brabant
    hub_at("NL414", "NL")
    # when register entries are imported
    algoritmeregister_import(entries=entries(REGISTER_1_0))
    # then each page lies in the Netherlands, in the hub's region
    page = draft("Signalering onrechtmatige bijstand")
    assert (page.country, page.nuts_codes) == ("NL", ["NL414"])
    # and the record says so, for the country and region filters
    assert body_from_page(page)["location"] == {"nuts": ["NL414"], "country": "NL"}


def test_a_hub_outside_the_netherlands_gives_no_region_of_its_own(hub_at):
    # given a hub in Belgium
    hub_at("BE2", "BE")
    # when register entries are imported
    algoritmeregister_import(entries=entries(REGISTER_1_0))
    # then the pages lie in the Netherlands, in no region
    page = draft("Signalering onrechtmatige bijstand")
    assert (page.country, page.nuts_codes) == ("NL", [])


def test_a_region_the_coordinator_chose_survives_a_reimport(hub_at):
    # given an imported page its coordinator located more finely
    hub_at("NL41", "NL")
    algoritmeregister_import(entries=entries(REGISTER_1_0))
    page = draft("Signalering onrechtmatige bijstand")
    page.nuts_codes = ["NL414"]
    page.save_revision()
    # when the same entries are imported again
    again = algoritmeregister_import(entries=entries(REGISTER_1_0))
    # then nothing changed and the coordinator's region stays
    assert [line.outcome for line in again.lines] == ["unchanged"] * 3
    assert draft("Signalering onrechtmatige bijstand").nuts_codes == ["NL414"]
