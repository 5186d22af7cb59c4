"""Services of the cms: what publishing, unpublishing and deleting a record page
does to the hub's catalogue.

A private page (a Wagtail view restriction on it or on an ancestor: password,
login or groups) never reaches the catalogue, and so neither the API, the index
nor the neighbours: publishing it writes its tombstone, if it had a record.

A record page's record id (``<hub>:<kind>:<uuid>``) is chosen when the page is
first published and kept on the page, so every later publish raises the same
record's version and unpublishing or deleting writes its tombstone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from wagtail.models import Page

from cms.mapping import body_from_page
from cms.models import HubPage
from cms.wire import page_record_url
from federation.models import StoredRecord
from federation.records import record_id_new
from federation.selectors import record_get
from federation.services.store import record_publish, record_tombstone
from hubs.identity import hub_identity


@transaction.atomic
def page_record_publish(*, page_id: int) -> StoredRecord | None:
    """Write the live version of record page ``page_id`` into the catalogue.

    Returns the stored record (a new version when the content changed), or None
    when the page is no record page or is not live (e.g. publishing scheduled).
    A private page is withdrawn instead: its tombstone, or None without a record.
    Raises ``federation.records.RecordInvalid`` for a body the schema refuses;
    the page's ``clean()`` refuses such a page before it can go live.
    """
    page = _record_page(page_id)
    if page is None or not page.live:
        return None
    if page_is_private(page):
        return page_record_tombstone(page_id=page.pk)
    record_id = page.record_id or record_id_new(
        origin=hub_identity().slug, kind=page.record_kind
    )
    stored = record_publish(
        kind=page.record_kind,
        body=body_from_page(page),
        record_id=record_id,
        language=page.record_language,
        url=page_record_url(page),
    )
    if page.record_id != stored.record_id:
        type(page).objects.filter(pk=page.pk).update(record_id=stored.record_id)
    return stored


@transaction.atomic
def page_record_tombstone(*, page_id: int) -> StoredRecord | None:
    """Withdraw the record of page ``page_id`` (unpublished or about to be
    deleted): a tombstone with the next version. None when it has no record."""
    page = _record_page(page_id)
    if page is None or not page.record_id:
        return None
    if record_get(record_id=page.record_id) is None:
        return None
    return record_tombstone(record_id=page.record_id)


def pages_record_republish(*, page_ids: Iterable[int]) -> list[StoredRecord]:
    """Republish the records of live record pages among ``page_ids`` and their
    descendants (after a move, their URLs changed; after a view restriction was
    added or removed, they are withdrawn or published again)."""
    pages = Page.objects.none()
    for page in Page.objects.filter(pk__in=list(page_ids)):
        pages = pages | Page.objects.descendant_of(page, inclusive=True)
    stored = []
    for page_id in pages.live().values_list("pk", flat=True):
        record = page_record_publish(page_id=page_id)
        if record is not None:
            stored.append(record)
    return stored


def page_is_private(page: Page) -> bool:
    """Whether a view restriction (password, login or groups) applies to
    ``page``, set on the page itself or on one of its ancestors."""
    return page.get_view_restrictions().exists()


def _record_page(page_id: int) -> HubPage | None:
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    specific = page.specific
    return specific if isinstance(specific, HubPage) else None
