"""Writing harvested items as pages owned by this hub, and withdrawing them.

Publishing goes through Wagtail (``revision.publish()``), so the cms's publish
signal writes the record and the federation carries it like any other; a
withdrawn page is unpublished, which writes its tombstone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Page

from cms.mapping import dataset_body_from_page
from cms.models import DatasetDistribution, DatasetIndexPage, DatasetPage
from cms.page_bulk import page_slug_base, pages_bulk_create
from cms.validation import page_problems
from federation.records import RecordInvalid, body_validate
from federation.valid_body import ValidBody, body_validated
from standards.algoritmeregister.services import algoritmeregister_import
from standards.harvest.items import Item, ItemRefused

Written = Literal["created", "updated"]
DISTRIBUTION_COLUMNS = (
    "access_url",
    "download_url",
    "file_format",
    "media_type",
    "byte_size",
)


def dataset_page_write(
    *, item: Item, page_id: int | None, publish: bool
) -> tuple[Written, int, str]:
    """Create or update the dataset page of ``item`` (a new draft revision,
    published when ``publish``): outcome, page id and a note when it could not
    be published; ``ItemRefused`` when the catalogue refuses it."""
    existing = DatasetPage.objects.filter(pk=page_id).first() if page_id else None
    if existing is None:
        index = DatasetIndexPage.objects.first()
        if index is None:
            raise ItemRefused("this hub has no dataset index page to harvest into")
        page = DatasetPage(live=False)
    else:
        page = existing.get_latest_revision_as_object()
    _apply(page, item.data)
    try:
        body_validate(kind="dataset", body=dataset_body_from_page(page))
    except RecordInvalid as error:
        raise ItemRefused(str(error)) from None
    if existing is None:
        index.add_child(instance=page)
    revision = page.save_revision(log_action=True)
    note = _publish(revision) if publish else ""
    return ("created" if existing is None else "updated"), page.pk, note


def dataset_pages_create(
    *, items: Sequence[Item], publish: bool
) -> tuple[list[tuple[Item, int]], list[Item]]:
    """Create the pages of new ``items`` in bulk (``cms.page_bulk``): those
    created with their page ids, and the items left to ``dataset_page_write``,
    one by one, for the reason or the note it gives (a refused value, a publish
    rule, a title without a slug)."""
    index = DatasetIndexPage.objects.first()
    if index is None:
        return [], list(items)
    ready: list[tuple[Item, DatasetPage, ValidBody | None]] = []
    rest: list[Item] = []
    for item in items:
        page = DatasetPage(live=publish)
        _apply(page, item.data)
        body = _bulk_ready(page, publish=publish)
        if body is False:
            rest.append(item)
        else:
            ready.append((item, page, body))
    pages_bulk_create(
        parent=index,
        pages=[page for _, page, _ in ready],
        publish=publish,
        bodies=[body for _, _, body in ready],
    )
    return [(item, page.pk) for item, page, _ in ready], rest


def _bulk_ready(
    page: DatasetPage, *, publish: bool
) -> ValidBody | Literal[False] | None:
    """Whether ``page`` passes what the one-page path checks (the record body as
    mapped, its fields, the coherence and, when published, publish rules):
    False if not, else the record body of the cleaned page when it is the one
    validated (None when cleaning changed it: it is validated again)."""
    if not page_slug_base(page.title):
        return False
    try:
        mapped = dataset_body_from_page(page)
        body = body_validated(kind="dataset", body=mapped)
        given = _cleaned_values(page)
        page.clean_fields(exclude=_SET_ON_INSERT)
    except (RecordInvalid, ValidationError):
        return False
    # Mapped again only when cleaning changed a field (most pages: none did).
    unchanged = given == _cleaned_values(page)
    cleaned = body if unchanged or dataset_body_from_page(page) == mapped else None
    if page_problems(page, publishing=publish, body=cleaned):
        return False
    return cleaned


# Relations and tree fields: set by the bulk insert, not by the item.
_SET_ON_INSERT = [
    field.name
    for field in DatasetPage._meta.fields
    if field.is_relation or field.name in ("path", "depth", "slug", "url_path")
]
# The fields ``clean_fields`` may change (by their attribute names).
_CLEANED = [
    field.attname
    for field in DatasetPage._meta.fields
    if field.name not in _SET_ON_INSERT
]


def _cleaned_values(page: DatasetPage) -> list[tuple[type, Any]]:
    """The values ``clean_fields`` may change, with their types (1 == 1.0)."""
    values = [getattr(page, name) for name in _CLEANED]
    return [(type(value), value) for value in values]


def register_page_write(*, item: Item, publish: bool) -> tuple[str, int, str]:
    """Write a register entry through the register import (its mapping, its key):
    outcome, page id and a note when it could not be published (the AI Act
    class awaits a coordinator); ``ItemRefused`` with the import's reason when
    it skips the entry."""
    report = algoritmeregister_import(entries=[item.data])
    line = report.lines[0]
    if line.outcome == "skipped" or line.page_id is None:
        raise ItemRefused(line.reason or "skipped by the register import")
    note = ""
    if publish and line.outcome != "unchanged":
        revision = Page.objects.get(pk=line.page_id).specific.get_latest_revision()
        if revision is not None:
            note = _publish(revision)
    return line.outcome, line.page_id, note


def _publish(revision: Any) -> str:
    """Publish ``revision``; what stops it (a check the editor would show, such
    as an unconfirmed AI Act class) leaves it a draft and is returned."""
    try:
        with transaction.atomic():
            revision.publish()
    except ValidationError as error:
        return "kept as a draft: " + " ".join(error.messages)[:400]
    return ""


def page_withdraw(*, page_id: int | None) -> bool:
    """Unpublish a harvested page (its record gets a tombstone); False when it
    was not live."""
    page = Page.objects.filter(pk=page_id).first() if page_id else None
    if page is None or not page.live:
        return False
    page.specific.unpublish(log_action=True)
    return True


def _apply(page: DatasetPage, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name == "distributions":
            continue
        if name in ("temporal_start", "temporal_end") and value:
            value = dt.date.fromisoformat(value)
        setattr(page, name, value)
    page.draft_title = page.title
    rows = [
        tuple(row[column] for column in DISTRIBUTION_COLUMNS)
        for row in data["distributions"]
    ]
    current = [
        tuple(getattr(row, column) for column in DISTRIBUTION_COLUMNS)
        for row in page.distributions.all()
    ]
    if rows != current:
        # Each row keeps its place in the source: rows without one are read
        # back in whatever order the table holds them.
        page.distributions = [  # type: ignore[misc]
            DatasetDistribution(
                **dict(zip(DISTRIBUTION_COLUMNS, row, strict=True)), sort_order=position
            )
            for position, row in enumerate(rows)
        ]
