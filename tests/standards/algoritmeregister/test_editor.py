"""Coordinators edit an imported project in the Wagtail admin: the register's
fields and links are in the form, and saving keeps them."""

import pytest

from cms.models import ProjectPage
from standards.algoritmeregister.services import algoritmeregister_import
from tests.cms.factories import edit_form_data, hub_home, logged_in, user_in
from tests.standards.algoritmeregister.helpers import REGISTER_1_0, entries

pytestmark = pytest.mark.django_db


def test_an_imported_draft_is_edited_and_saved_in_the_admin():
    # given an imported entry and a coordinator in the page editor
    hub_home()
    algoritmeregister_import(entries=entries(REGISTER_1_0)[1:2])
    page = ProjectPage.objects.get()
    client = logged_in(user_in("Coordinators", username="coordinator"))
    # when they change the source id and save the draft as the form stands
    data = edit_form_data(client, page, source_id="SOC-015")
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    # then the draft has the new source id and kept the register's links
    assert response.status_code == 302
    latest = ProjectPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.source_id == "SOC-015"
    # (the form's checkboxes put them in the vocabulary's order)
    assert latest.policy_areas == [
        "Organisatie en bedrijfsvoering",
        "Sociale zekerheid",
        "Werk",
    ]
    assert latest.publication_category == "high-risk-ai-system"
    assert [link.title for link in latest.lawful_basis_links.all()] == [
        "Participatiewet",
        "Algemene verordening gegevensbescherming",
    ]
    assert [a.title for a in latest.impact_assessments.all()] == [
        "Impact Assessment Mensenrechten en Algoritmes (IAMA)",
        "Data Protection Impact Assessment (DPIA)",
        "Bias-toets 2024",
    ]
    assert latest.tags == ["bijstand", "heronderzoek", "fraude"]


def test_re_importing_after_an_edit_that_only_reordered_choices_changes_nothing():
    # given an imported draft saved once in the admin (choices reordered)
    hub_home()
    algoritmeregister_import(entries=entries(REGISTER_1_0)[1:2])
    page = ProjectPage.objects.get()
    client = logged_in(user_in("Coordinators", username="coordinator"))
    client.post(f"/admin/pages/{page.pk}/edit/", edit_form_data(client, page))
    # when the same entry is imported again
    report = algoritmeregister_import(entries=entries(REGISTER_1_0)[1:2])
    # then it is unchanged: the order of policy areas means nothing
    assert [line.outcome for line in report.lines] == ["unchanged"]
