"""The AI Act checklist in the Wagtail admin: who may see it (the authorization
matrix), what it shows, its JSON export and printable page, the header button,
and the warning (never a block) on publishing, submitting or approving an
incomplete system in use."""

import json

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from cms.aiact.admin_views import package_export
from cms.aiact.package import registration_package_build
from cms.models import ProjectPage
from federation.models import StoredRecord
from tests.cms.aiact.readiness import complete_fields
from tests.cms.factories import (
    edit_form_data,
    index_page,
    logged_in,
    project_page,
    user_in,
)

pytestmark = pytest.mark.django_db

URLS = ("/admin/ai-act/{pk}/", "/admin/ai-act/{pk}/json/", "/admin/ai-act/{pk}/print/")


def other_editor():
    """An editor with admin access whose pages are elsewhere (the datasets)."""
    group = Group.objects.create(name="Dataset editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=index_page("dataset"),
        permission=Permission.objects.get(codename="change_page"),
    )
    return user_in("Dataset editors", username="datasets")


def make_user(role):
    if role == "anonymous":
        return None
    if role == "other editor":
        return other_editor()
    if role == "superuser":
        return user_in(None, username="root", superuser=True)
    return user_in(role, username=role.lower())


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        # Wagtail's admin turns a refusal into a redirect to its dashboard
        ("other editor", 302),
        ("Editors", 200),
        ("Coordinators", 200),
        ("superuser", 200),
    ],
)
def test_who_sees_the_checklist(url, role, status):
    # given a project and a user of some role
    page = project_page(**complete_fields())
    # when the user opens the checklist, its JSON or its printable page
    response = logged_in(make_user(role)).get(url.format(pk=page.pk))
    # then only those who may edit the project get it
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith("/admin/login/")
    if role == "other editor":
        assert response["Location"] == "/admin/"


def test_an_unknown_project_is_404():
    response = logged_in(make_user("superuser")).get("/admin/ai-act/999999/")
    assert response.status_code == 404


def test_the_checklist_marks_what_is_missing_and_why():
    # given a high-risk project without a submitter and without notification
    page = project_page(**complete_fields(submitter_name="", fria_notified_on=None))
    # when its editor opens the checklist
    html = logged_in(make_user("Editors")).get(f"/admin/ai-act/{page.pk}/").content
    text = html.decode()
    # then those two rows are missing, with why they matter, the others present
    assert text.count('data-state="missing"') == 2
    assert text.count('data-state="present"') == 10
    assert 'data-item="annex-viii-c-2" data-state="missing"' in text
    assert 'data-item="art-27-3" data-state="missing"' in text
    assert "The authority must know who answers for the registration." in text
    assert "2 items are missing." in text


def test_the_json_export_is_the_package_of_the_latest_draft():
    # given a published project whose draft has since been notified
    page = project_page(publish=True, **complete_fields(fria_notified_on=None))
    client = logged_in(make_user("Editors"))
    data = edit_form_data(client, page, fria_notified_on="2026-07-01")
    assert client.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    # when the JSON is downloaded
    response = client.get(f"/admin/ai-act/{page.pk}/json/")
    # then it is an attachment holding the draft's complete package
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ai-act-package-{page.slug}.json"'
    )
    exported = json.loads(response.content)
    draft = ProjectPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert exported == json.loads(
        json.dumps(package_export(draft, registration_package_build(page=draft)))
    )
    assert exported["complete"] is True
    assert exported["missing"] == []
    assert exported["project"]["title"] == "Bijstandscheck"


def test_the_printable_page_stands_alone():
    page = project_page(**complete_fields(deployer_address=""))
    response = logged_in(make_user("Editors")).get(f"/admin/ai-act/{page.pk}/print/")
    text = response.content.decode()
    assert "<h1>AI Act checklist: Bijstandscheck</h1>" in text
    assert 'data-item="annex-viii-c-1" data-state="missing"' in text
    assert "wagtail" not in text.lower()


def test_the_project_editor_links_to_the_checklist():
    page = project_page(**complete_fields())
    response = logged_in(make_user("Editors")).get(f"/admin/pages/{page.pk}/edit/")
    assert f'href="/admin/ai-act/{page.pk}/"' in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "warned"),
    [
        ({"submitter_name": ""}, True),
        ({}, False),
        ({"submitter_name": "", "status": "pilot"}, False),
    ],
)
def test_publishing_warns_but_does_not_block(fields, warned):
    # given a coordinator publishing a high-risk project
    page = project_page(**complete_fields(**fields))
    client = logged_in(make_user("Coordinators"))
    data = edit_form_data(client, page, **{"action-publish": "1"})
    # when the form is posted
    response = client.post(f"/admin/pages/{page.pk}/edit/", data, follow=True)
    # then it is live and its record written, with a warning if incomplete
    assert ProjectPage.objects.get(pk=page.pk).live
    assert StoredRecord.objects.count() == 1
    texts = [str(message) for message in response.context["messages"]]
    warning = (
        "This high-risk system is in use, but its AI Act registration package "
        "lacks 1 item. See the AI Act checklist."
    )
    assert (warning in texts) is warned


def test_the_moderation_road_warns_the_editor_and_the_coordinator():
    # given a high-risk system in use lacking its submitter, and its editor
    page = project_page(**complete_fields(submitter_name=""))
    editor = logged_in(make_user("Editors"))
    warning = (
        "This high-risk system is in use, but its AI Act registration package "
        "lacks 1 item. See the AI Act checklist."
    )

    def post(client, **action):
        data = edit_form_data(client, page, **action)
        response = client.post(f"/admin/pages/{page.pk}/edit/", data, follow=True)
        return [str(message) for message in response.context["messages"]]

    # when the editor only saves a draft, then nothing is said
    assert warning not in post(editor)
    # when the editor submits it for moderation, then they are warned
    assert warning in post(editor, **{"action-submit": "1"})
    assert not ProjectPage.objects.get(pk=page.pk).live
    # when a coordinator approves it, then they are warned, and it goes live
    coordinator = logged_in(make_user("Coordinators"))
    approved = post(
        coordinator,
        **{"action-workflow-action": "1", "workflow-action-name": "approve"},
    )
    assert warning in approved
    assert ProjectPage.objects.get(pk=page.pk).live
    assert StoredRecord.objects.count() == 1
