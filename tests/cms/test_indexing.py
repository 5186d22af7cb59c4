"""Wagtail's search and reference indexes: updated at once, or in one batch
after a block of writes."""

from functools import partial

import pytest
from wagtail.models import Page, ReferenceIndex

from cms.indexing import index_updates_apply, indexing_deferred
from cms.models import DatasetPage
from tests.cms.factories import record_page

pytestmark = pytest.mark.django_db


def _found(title: str) -> list[int]:
    return [page.pk for page in Page.objects.search(title)]


def _references(page: Page) -> int:
    return ReferenceIndex.objects.filter(object_id=str(page.pk)).count()


def test_outside_a_batch_a_published_page_is_indexed_at_once():
    # Given / When a dataset page published as the editor does
    page = record_page("dataset", publish=True, title="Luchtkwaliteit Eindhoven")

    # Then Wagtail's admin search finds it
    assert _found("Luchtkwaliteit") == [page.pk]


def test_a_batch_collects_updates_and_one_task_applies_them(
    django_capture_on_commit_callbacks,
):
    # Given a page published inside a deferred block
    with (
        django_capture_on_commit_callbacks() as callbacks,
        indexing_deferred() as pending,
    ):
        page = record_page("dataset", publish=True, title="Verkeerstellingen Utrecht")

    # Then it is not indexed yet; one object, once per index, is pending (it was
    # saved several times); one task is queued when the transaction commits
    assert _found("Verkeerstellingen") == []
    expected = [
        ["modelsearch.tasks.insert_or_update_object_task", "cms", "datasetpage"],
        ["wagtail.tasks.update_reference_index_task", "cms", "datasetpage"],
    ]
    assert sorted(pending) == [(*row, str(page.pk)) for row in expected]
    queued = [c.keywords["updates"] for c in callbacks if isinstance(c, partial)]
    assert queued == [[[*row, str(page.pk)] for row in expected]]

    # When the collected updates are applied (twice: the task is idempotent)
    assert index_updates_apply(updates=pending) == len(pending)
    assert index_updates_apply(updates=pending) == len(pending)

    # Then the admin search finds the page, once
    assert _found("Verkeerstellingen") == [page.pk]


def test_updates_of_a_deleted_object_are_skipped():
    # Given the pending update of a page deleted since
    with indexing_deferred() as pending:
        page = record_page("dataset", publish=False, title="Weggegooid")
    pk = page.pk
    DatasetPage.objects.filter(pk=pk).delete()

    # When they are applied, Then nothing fails and nothing is indexed
    assert index_updates_apply(updates=pending) == 0
    assert _found("Weggegooid") == []
