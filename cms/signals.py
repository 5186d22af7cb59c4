"""Signal receivers that keep the catalogue in step with record pages.

Wagtail's signals, not its admin hooks: ``page_published`` and
``page_unpublished`` are sent on every path (the editor, workflow approval,
scheduled publishing and expiry, code calling ``revision.publish()``), whereas
the ``after_publish_page`` hook only runs in the page editor. Receivers only call
services.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.models import RECORD_PAGE_MODELS, HubPage
from cms.services import (
    page_record_publish,
    page_record_tombstone,
    pages_record_republish,
)


def on_page_published(sender: type, instance: Page, **kwargs: Any) -> None:  # noqa: ARG001  Django signal receiver
    """A record page went live: write its new version."""
    if isinstance(instance, HubPage):
        page_record_publish(page_id=instance.pk)


def on_page_unpublished(sender: type, instance: Page, **kwargs: Any) -> None:  # noqa: ARG001  Django signal receiver
    """A record page went offline: write its tombstone."""
    if isinstance(instance, HubPage):
        page_record_tombstone(page_id=instance.pk)


def on_page_deleted(sender: type, instance: Page, **kwargs: Any) -> None:  # noqa: ARG001  Django signal receiver
    """A record page is about to be deleted (alone or with its parent)."""
    page_record_tombstone(page_id=instance.pk)


def on_page_moved(sender: type, instance: Page, **kwargs: Any) -> None:  # noqa: ARG001  Django signal receiver
    """A page moved: the records below it have new URLs."""
    if kwargs.get("url_path_before") != kwargs.get("url_path_after"):
        pages_record_republish(page_ids=[instance.pk])


def on_view_restriction_changed(
    sender: type,  # noqa: ARG001  Django signal receiver
    instance: PageViewRestriction,
    **kwargs: Any,
) -> None:
    """A page (and so its subtree) became private or public again: withdraw or
    republish the records below it."""
    origin = kwargs.get("origin")
    deleting_pages = isinstance(origin, Page) or (
        isinstance(origin, QuerySet) and issubclass(origin.model, Page)
    )
    if deleting_pages:
        # Deleted with its page: the page's own deletion writes the tombstones;
        # republishing here would revive them.
        return
    pages_record_republish(page_ids=[instance.page_id])


def signals_connect() -> None:
    """Connect the receivers (called once from ``CmsConfig.ready``)."""
    page_published.connect(on_page_published, dispatch_uid="cms_page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="cms_page_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="cms_page_moved")
    post_save.connect(
        on_view_restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid="cms_view_restriction_saved",
    )
    post_delete.connect(
        on_view_restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid="cms_view_restriction_deleted",
    )
    # One receiver per model, so deleting other models keeps Django's fast path.
    for model in RECORD_PAGE_MODELS:
        pre_delete.connect(
            on_page_deleted, sender=model, dispatch_uid=f"cms_deleted_{model.__name__}"
        )
