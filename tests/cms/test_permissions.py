"""Who may edit and publish record pages: the authorization matrix, through the
Wagtail admin as a browser would use it, and the groups' scope."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.actions.publish_page_revision import (
    PublishPagePermissionError,
    PublishPageRevisionAction,
)
from wagtail.models import GroupPagePermission, Page, WorkflowState

from cms.models import ProjectPage
from federation.models import StoredRecord
from tests.cms.factories import (
    admin_form_data,
    edit_form_data,
    high_risk_project,
    hub_home,
    index_page,
    logged_in,
    project_page,
    user_in,
)

pytestmark = pytest.mark.django_db


def make_user(role: str):
    if role == "anonymous":
        return None
    if role == "superuser":
        return user_in(None, username="root", superuser=True)
    return user_in(role, username=role.lower())


@pytest.mark.parametrize(
    ("role", "can_edit", "can_publish"),
    [
        ("anonymous", False, False),
        ("Editors", True, False),
        ("Coordinators", True, True),
        ("superuser", True, True),
    ],
)
def test_page_permissions(role, can_edit, can_publish):
    page = project_page()
    user = make_user(role) or AnonymousUser()
    permissions = page.permissions_for_user(user)
    assert (permissions.can_edit(), permissions.can_publish()) == (
        can_edit,
        can_publish,
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("Editors", 200),
        ("Coordinators", 200),
        ("superuser", 200),
    ],
)
def test_opening_the_editor(role, status):
    page = project_page()
    response = logged_in(make_user(role)).get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("role", "published"),
    [("Editors", False), ("Coordinators", True), ("superuser", True)],
)
def test_publishing_from_the_editor(role, published):
    # given a draft project and a user who asks to publish it
    page = project_page()
    client = logged_in(make_user(role))
    data = edit_form_data(
        client, page, short_description="Checks permits.", **{"action-publish": "1"}
    )
    # when the form is posted
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    # then only those who may publish make it live and write its record
    assert response.status_code == 302
    page = ProjectPage.objects.get(pk=page.pk)
    assert page.live is published
    assert StoredRecord.objects.count() == (1 if published else 0)
    if published:
        assert StoredRecord.objects.get().body["shortDescription"] == "Checks permits."
    else:
        # the editor's changes are kept as a draft, nothing more
        latest = page.get_latest_revision_as_object()
        assert latest.short_description == "Checks permits."


def test_anonymous_posts_change_nothing():
    # given a coordinator's form for a draft
    page = project_page()
    coordinator_client = logged_in(make_user("Coordinators"))
    data = edit_form_data(coordinator_client, page, **{"action-publish": "1"})
    revisions = page.revisions.count()
    # when an anonymous client posts it
    response = logged_in(None).post(f"/admin/pages/{page.pk}/edit/", data)
    # then it is sent to log in, and nothing changed
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert page.revisions.count() == revisions
    assert ProjectPage.objects.get(pk=page.pk).live is False
    assert StoredRecord.objects.count() == 0


def test_an_editor_cannot_publish_through_the_api_either():
    page = project_page()
    editor = make_user("Editors")
    revision = page.save_revision(user=editor)
    with pytest.raises(PublishPagePermissionError):
        PublishPageRevisionAction(revision, user=editor).execute()
    assert ProjectPage.objects.get(pk=page.pk).live is False
    assert StoredRecord.objects.count() == 0


def test_an_editor_submits_for_moderation_and_a_coordinator_approves():
    # given a complete high-risk draft
    page = high_risk_project()
    editor_client = logged_in(make_user("Editors"))
    # when the editor submits it
    data = edit_form_data(editor_client, page, **{"action-submit": "1"})
    response = editor_client.post(f"/admin/pages/{page.pk}/edit/", data)
    # then it waits for the coordinators, unpublished
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert list(state.current_task_state.task.specific.groups.all()) == [
        Group.objects.get(name="Coordinators")
    ]
    assert ProjectPage.objects.get(pk=page.pk).live is False
    # when a coordinator approves it in the editor
    coordinator_client = logged_in(make_user("Coordinators"))
    data = edit_form_data(
        coordinator_client,
        page,
        **{"action-workflow-action": "1", "workflow-action-name": "approve"},
    )
    response = coordinator_client.post(f"/admin/pages/{page.pk}/edit/", data)
    # then it is live and in the catalogue
    assert response.status_code == 302
    page = ProjectPage.objects.get(pk=page.pk)
    assert page.live is True
    assert StoredRecord.objects.get(record_id=page.record_id).version == 1


def test_publishing_an_incomplete_high_risk_project_shows_the_field():
    # given a high-risk project without its impact assessment
    page = high_risk_project(impact_assessments=[], objection_procedure="")
    client = logged_in(make_user("Coordinators"))
    data = edit_form_data(client, page, **{"action-publish": "1"})
    # when the coordinator publishes it
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    # then the editor shows the problems on their fields, and nothing is published
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["objection_procedure"] == [
        "A high-risk project explains how people can object to or appeal a decision."
    ]
    assert form.formsets["impact_assessments"].non_form_errors() == [
        "A high-risk project needs at least one impact assessment (DPIA, IAMA or "
        "FRIA): add one under “Impact assessments”."
    ]
    assert ProjectPage.objects.get(pk=page.pk).live is False
    assert StoredRecord.objects.count() == 0


def test_an_editor_may_save_an_incomplete_draft_in_the_editor():
    page = high_risk_project(impact_assessments=[])
    client = logged_in(make_user("Editors"))
    data = edit_form_data(client, page, human_intervention="")
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302
    latest = ProjectPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.human_intervention == ""


def test_groups_are_scoped_to_this_hubs_home_page():
    # given the groups made by the data migration
    home = hub_home()
    grants = GroupPagePermission.objects.filter(
        group__name__in=["Editors", "Coordinators"]
    )
    # then every page permission is on the home page
    assert {grant.page_id for grant in grants} == {home.pk}
    assert sorted(
        grants.filter(group__name="Editors").values_list(
            "permission__codename", flat=True
        )
    ) == ["add_page", "change_page"]
    assert sorted(
        grants.filter(group__name="Coordinators").values_list(
            "permission__codename", flat=True
        )
    ) == ["add_page", "change_page", "lock_page", "publish_page", "unlock_page"]
    assert not Group.objects.filter(name="Moderators").exists()


@pytest.mark.parametrize("role", ["Editors", "Coordinators"])
def test_pages_outside_the_hub_are_out_of_reach(role):
    # given a page outside the hub's home page
    outside = Page.get_first_root_node().add_child(
        instance=Page(title="Elsewhere", slug="elsewhere")
    )
    user = make_user(role)
    # then the hub's groups can neither edit nor publish it
    permissions = outside.permissions_for_user(user)
    assert (permissions.can_edit(), permissions.can_publish()) == (False, False)
    response = logged_in(user).get(f"/admin/pages/{outside.pk}/edit/")
    assert response.status_code == 302


def test_a_coordinator_creates_and_publishes_a_high_risk_project_in_one_go():
    # given the "add project" form with an impact assessment in its inline panel
    client = logged_in(make_user("Coordinators"))
    url = f"/admin/pages/add/cms/projectpage/{index_page('project').pk}/"
    data = admin_form_data(
        client,
        url,
        title="Bijstandscheck",
        slug="bijstandscheck",
        short_description="Flags benefit applications for a second look.",
        organisation_name="Gemeente Eindhoven",
        status="pilot",
        annex_iii_area="essential-services",
        risk_human_influence="substantial",
        risk_rights_impact="high",
        ai_act_class="high",
        human_intervention="A case worker decides.",
        objection_procedure="Object within six weeks.",
        nuts_codes="nl414",
        **{
            "impact_assessments-TOTAL_FORMS": "1",
            "impact_assessments-0-assessment_type": "fria",
            "impact_assessments-0-url": "https://example.org/fria",
            "impact_assessments-0-summary": "",
            "impact_assessments-0-date": "",
            "impact_assessments-0-ORDER": "0",
            "impact_assessments-0-DELETE": "",
            "impact_assessments-0-id": "",
            "action-publish": "1",
        },
    )
    # when it is posted
    response = client.post(url, data)
    # then the project is live and its record carries the assessment
    assert response.status_code == 302
    page = ProjectPage.objects.get(slug="bijstandscheck")
    assert page.live is True
    body = StoredRecord.objects.get(record_id=page.record_id).body
    assert body["impactAssessments"] == [
        {"type": "fria", "url": "https://example.org/fria"}
    ]
    assert body["location"] == {"nuts": ["NL414"], "country": "NL"}
    assert page.ai_act_suggested_class == "high"
