"""Signal receivers that keep the catalogue in step with record pages.

Wagtail's signals, not its admin hooks: ``page_published`` and
``page_unpublished`` are sent on every path (the editor, workflow approval,
scheduled publishing and expiry, code calling ``revision.publish()``), whereas
the ``after_publish_page`` hook only runs in the page editor. Receivers only call
services.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.models import RECORD_PAGE_MODELS, HubPage
from cms.services import (
    page_record_publish,
    page_record_tombstone,
    pages_record_republish,
)


def on_page_published(sender: type, instance: Page, **kwargs: Any) -> None:
    """A record page went live: write its new version."""
    if isinstance(instance, HubPage):
        page_record_publish(page_id=instance.pk)


def on_page_unpublished(sender: type, instance: Page, **kwargs: Any) -> None:
    """A record page went offline: write its tombstone."""
    if isinstance(instance, HubPage):
        page_record_tombstone(page_id=instance.pk)


def on_page_deleted(sender: type, instance: Page, **kwargs: Any) -> None:
    """A record page is about to be deleted (alone or with its parent)."""
    page_record_tombstone(page_id=instance.pk)


def on_page_moved(sender: type, instance: Page, **kwargs: Any) -> None:
    """A page moved: the records below it have new URLs."""
    if kwargs.get("url_path_before") != kwargs.get("url_path_after"):
        pages_record_republish(page_ids=[instance.pk])


def signals_connect() -> None:
    """Connect the receivers (called once from ``CmsConfig.ready``)."""
    page_published.connect(on_page_published, dispatch_uid="cms_page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="cms_page_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="cms_page_moved")
    # One receiver per model, so deleting other models keeps Django's fast path.
    for model in RECORD_PAGE_MODELS:
        pre_delete.connect(
            on_page_deleted, sender=model, dispatch_uid=f"cms_deleted_{model.__name__}"
        )
