"""Celery tasks of the cms: they take ids and call services."""

from celery import shared_task

from cms.indexing import index_updates_apply


@shared_task(ignore_result=True)
def index_updates_apply_task(*, updates: list[list[str]]) -> None:
    """Bring Wagtail's search and reference indexes up to date for the objects
    a batch wrote (``cms.indexing.indexing_deferred``)."""
    index_updates_apply(updates=updates)
