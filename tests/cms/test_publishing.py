"""Publishing record pages writes the catalogue: versions, tombstones, workflow."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import Page, Workflow

from cms.models import ProjectPage
from federation.models import StoredRecord
from federation.selectors import record_get
from hubs.identity import hub_identity
from tests.cms.factories import (
    high_risk_project,
    hub_home,
    project_page,
    record_page,
    user_in,
)

pytestmark = pytest.mark.django_db


def test_publish_edit_unpublish_gives_versions_1_2_3():
    # given a draft project
    page = project_page()
    assert StoredRecord.objects.count() == 0
    # when it is published
    page.save_revision().publish()
    # then exactly one record with version 1, its id kept on the page
    page.refresh_from_db()
    first = StoredRecord.objects.get()
    assert (first.version, first.deleted, first.kind) == (1, False, "project")
    assert page.record_id == first.record_id
    assert first.record_id.startswith(f"{hub_identity().slug}:project:")
    assert first.body["name"] == "Parkeerscan"
    assert first.url == f"{hub_identity().public_url}/projects/parkeerscan/"
    assert first.language == "en"

    # when it is edited and republished
    page.short_description = "Scan cars to check parking permits, at night too."
    page.save_revision().publish()
    # then the same record has version 2
    second = StoredRecord.objects.get()
    assert (second.record_id, second.version) == (first.record_id, 2)
    assert second.body["shortDescription"] == (
        "Scan cars to check parking permits, at night too."
    )

    # when it is unpublished
    ProjectPage.objects.get(pk=page.pk).unpublish()
    # then the record is a tombstone with version 3
    third = StoredRecord.objects.get()
    assert (third.record_id, third.version, third.deleted, third.body) == (
        first.record_id,
        3,
        True,
        None,
    )


def test_republishing_unchanged_content_keeps_the_version():
    # given a published project
    page = project_page(publish=True)
    # when the same content is published again
    ProjectPage.objects.get(pk=page.pk).save_revision().publish()
    # then nothing changed in the catalogue
    assert StoredRecord.objects.get().version == 1


def test_publishing_again_after_unpublish_revives_the_same_record():
    # given a project that was published and unpublished
    page = project_page(publish=True)
    record_id = ProjectPage.objects.get(pk=page.pk).record_id
    ProjectPage.objects.get(pk=page.pk).unpublish()
    # when it is published again
    ProjectPage.objects.get(pk=page.pk).save_revision().publish()
    # then the same record comes back with the next version
    record = record_get(record_id=record_id)
    assert (record.version, record.deleted) == (3, False)
    assert StoredRecord.objects.count() == 1


def test_deleting_a_live_page_writes_a_tombstone():
    # given a published dataset
    page = record_page("dataset", publish=True)
    record_id = page.record_id
    # when the page is deleted
    Page.objects.get(pk=page.pk).specific.delete()
    # then its record is a tombstone
    record = record_get(record_id=record_id)
    assert (record.version, record.deleted) == (2, True)


def test_deleting_a_draft_page_touches_nothing():
    # given a page never published
    page = record_page("course")
    # when it is deleted
    page.delete()
    # then the catalogue is empty
    assert StoredRecord.objects.count() == 0


def test_scheduled_publishing_writes_the_record_only_when_live():
    # given a project scheduled for tomorrow
    page = project_page()
    page.go_live_at = timezone.now() + dt.timedelta(days=1)
    # when it is "published" (scheduled)
    page.save_revision().publish()
    # then nothing is in the catalogue yet
    assert ProjectPage.objects.get(pk=page.pk).live is False
    assert StoredRecord.objects.count() == 0


def test_every_kind_publishes_a_valid_record():
    # when a page of each kind is published
    for kind in ("organisation", "dataset", "course", "project"):
        record_page(kind, publish=True)
    # then each has its record, version 1
    assert sorted(StoredRecord.objects.values_list("kind", "version")) == [
        ("course", 1),
        ("dataset", 1),
        ("organisation", 1),
        ("project", 1),
    ]


def test_the_moderation_workflow_publishes_on_approval():
    # given the hub's workflow, an editor and a coordinator
    editor = user_in("Editors", username="eva")
    coordinator = user_in("Coordinators", username="coen")
    page = high_risk_project()
    workflow = page.get_workflow()
    assert workflow == Workflow.objects.get(name="Hub moderation")
    # when the editor submits and the coordinator approves
    page.save_revision(user=editor)
    state = workflow.start(page, editor)
    assert StoredRecord.objects.count() == 0
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, coordinator, "approve")
    # then the page is live and its record has version 1
    page = ProjectPage.objects.get(pk=page.pk)
    assert page.live is True
    assert StoredRecord.objects.get(record_id=page.record_id).version == 1


def test_home_and_index_pages_are_not_records():
    # when the home page is republished
    hub_home().save_revision().publish()
    # then the catalogue stays empty
    assert StoredRecord.objects.count() == 0


def test_a_live_copy_is_a_new_record():
    # given a published project
    page = project_page(publish=True)
    original = ProjectPage.objects.get(pk=page.pk)
    # when it is copied, live, under the same index
    copy = original.copy(update_attrs={"slug": "parkeerscan-2"}, keep_live=True)
    # then the copy has its own record, and the original keeps its own
    copy = ProjectPage.objects.get(pk=copy.pk)
    assert copy.record_id not in ("", original.record_id)
    assert sorted(StoredRecord.objects.values_list("record_id", flat=True)) == sorted(
        [original.record_id, copy.record_id]
    )
