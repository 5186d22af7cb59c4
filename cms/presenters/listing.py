"""Held records as lines of a listing: title, a short summary, key facts and
where this hub shows the record; a page of a filtered listing; the records a
record refers to (held or not) and the projects that refer to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.selectors import (
    KINDS,
    CatalogueFilter,
    catalogue_records,
    records_held,
    records_referring,
)
from federation.models import StoredRecord
from federation.records import RECORD_ID, Kind
from federation.text import plain_text
from federation.vocabularies.labels import code_label
from hubs.identity import hub_identity

SUMMARY_LENGTH = 220


def record_path(record_id: str) -> str:
    """The path of the public page of a held record."""
    return reverse("cms:record_detail", args=[record_id])


@dataclass(frozen=True)
class CatalogueItem:
    """A held record as a line of a listing."""

    record_id: str
    kind: str
    title: str
    summary: str
    href: str
    origin: str
    federated: bool
    facts: list[str]
    updated_at: dt.datetime
    language: str


def record_href(*, record_id: str, url: str, federated: bool) -> str:
    """Where this hub shows a record: an own record's page (its canonical URL is
    this hub's public URL and the page path), else the record page."""
    public_url = hub_identity().public_url
    if not federated and url.startswith(f"{public_url}/"):
        return url[len(public_url) :]
    return record_path(record_id)


def catalogue_item(stored: StoredRecord) -> CatalogueItem:
    """A listing line for a held record: title, a short summary and key facts."""
    body = stored.body or {}
    return CatalogueItem(
        record_id=stored.record_id,
        kind=stored.kind,
        title=stored.title or stored.record_id,
        summary=_summary(stored.kind, body),
        href=record_href(
            record_id=stored.record_id,
            url=stored.url,
            federated=bool(stored.received_from),
        ),
        origin=stored.origin,
        federated=bool(stored.received_from),
        facts=_facts(stored.kind, body),
        updated_at=stored.updated_at,
        language=stored.language,
    )


def catalogue_items(records: Iterable[StoredRecord]) -> list[CatalogueItem]:
    """Listing lines for several held records, in their order."""
    return [catalogue_item(stored) for stored in records]


def latest_by_kind(*, limit: int = 3) -> dict[str, list[CatalogueItem]]:
    """Listing lines of the newest live records of each kind (one query per
    kind)."""
    return {
        kind: catalogue_items(
            catalogue_records(filters=CatalogueFilter(kind=kind))[:limit]
        )
        for kind in KINDS
    }


def _summary(kind: str, body: dict[str, Any]) -> str:
    if kind == Kind.PROJECT and body.get("shortDescription"):
        return plain_text(body["shortDescription"], limit=SUMMARY_LENGTH)
    return plain_text(body.get("description"), limit=SUMMARY_LENGTH)


def _facts(kind: str, body: dict[str, Any]) -> list[str]:
    location = body.get("location") or {}
    facts: list[str] = []
    if kind == Kind.PROJECT:
        facts += [
            code_label(key, body[key])
            for key in ("status", "aiActClass")
            if body.get(key)
        ]
        facts += [str(body["organisation"])] if body.get("organisation") else []
    elif kind == Kind.DATASET:
        facts += [str(body.get("publisher", ""))]
        facts += (
            [code_label("accessRights", body["accessRights"])]
            if body.get("accessRights")
            else []
        )
        facts += [str(body["licence"])] if body.get("licence") else []
    elif kind == Kind.COURSE:
        facts += [
            str(body.get("provider", "")),
            code_label("mode", body.get("mode", "")),
        ]
        facts += [str(body["startDate"])] if body.get("startDate") else []
    else:
        facts += [code_label("type", body.get("type", ""), kind=kind)]
        if body.get("openToPartnership"):
            facts.append(str(_("Open to partnership")))
    if location.get("place"):
        facts.append(str(location["place"]))
    return [fact for fact in facts if fact]


@dataclass(frozen=True)
class Reference:
    """A record another record refers to (a partner, a dataset used), as this
    hub knows it: its title and where it is shown; unknown when not held."""

    record_id: str
    title: str
    href: str
    kind: str
    held: bool


def references(record_ids: Iterable[str]) -> dict[str, Reference]:
    """The held records among ``record_ids`` (one query); ids that are not held
    get a reference without a title."""
    ids = sorted({record_id for record_id in record_ids if record_id})
    found = records_held(ids)
    result = {}
    for record_id in ids:
        stored = found.get(record_id)
        match = RECORD_ID.match(record_id)
        result[record_id] = Reference(
            record_id=record_id,
            title=(stored.title if stored else "") or record_id,
            href=record_href(
                record_id=record_id,
                url=stored.url if stored else "",
                federated=bool(stored.received_from) if stored else True,
            ),
            kind=stored.kind if stored else (match["kind"] if match else ""),
            held=stored is not None,
        )
    return result


def referring_items(*, record_id: str, kind: str) -> list[CatalogueItem]:
    """Listing lines of the live projects that use dataset ``record_id`` or have
    organisation ``record_id`` as a partner."""
    return catalogue_items(records_referring(record_id=record_id, kind=kind))


PAGE_SIZE = 20


def catalogue_page(
    *, filters: CatalogueFilter, page: Any, per_page: int = PAGE_SIZE
) -> Page:
    """One page of a filtered listing (two queries: count and rows); its
    ``object_list`` holds ``CatalogueItem``s. Out-of-range pages give the last."""
    paginated = Paginator(catalogue_records(filters=filters), per_page).get_page(page)
    # The page holds presentation items, not the records it was cut from.
    paginated.object_list = catalogue_items(paginated.object_list)  # type: ignore[assignment]
    return paginated
