"""What a record's detail page shows: the record in wire form (from a page of
this hub, or as held in the catalogue) with what it refers to, the citizens'
section of a project and its JSON-LD.

Own pages and federated records go through the same function, so a project
from another hub reads exactly like one of this hub.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cms.citizens import citizen_section
from cms.jsonld import record_jsonld
from cms.mapping import body_from_page
from cms.models import HubHomePage, HubIndexPage, HubPage
from cms.selectors import home_indexes
from cms.selectors_catalogue import (
    KINDS,
    CatalogueItem,
    catalogue_counts,
    latest_by_kind,
    neighbours_public,
    records_referring,
    references,
)
from cms.services import page_record_url
from federation.models import StoredRecord
from federation.records import SCHEMA_VERSION, Kind
from federation.selectors import record_wire
from federation.text import plain_text
from federation.vocabularies import KIND_PLURALS, country_name, nuts_label
from federation.vocabularies.labels import code_label
from hubs.identity import hub_identity


def page_wire(page: HubPage) -> dict[str, Any]:
    """The record of a record page in wire form, as the page is now (a draft or
    a preview too): the body from ``cms.mapping``, the envelope from the page.
    ``version`` is left out: the page does not know it."""
    identity = hub_identity()
    updated = (
        page.last_published_at or page.latest_revision_created_at or timezone.now()
    )
    return {
        "id": page.record_id or None,
        "kind": page.record_kind,
        "origin": identity.slug,
        "originPath": list(identity.path),
        "originLevel": identity.level,
        "version": None,
        "updatedAt": _iso(updated),
        "deleted": False,
        "language": page.record_language,
        "url": page_record_url(page) or None,
        "schemaVersion": SCHEMA_VERSION,
        "body": body_from_page(page),
    }


def page_record_context(page: HubPage) -> dict[str, Any]:
    """The template context of a record page of this hub."""
    return record_context(page_wire(page), federated=False)


def stored_record_context(stored: StoredRecord) -> dict[str, Any]:
    """The template context of a held record (own or federated)."""
    return record_context(record_wire(stored), federated=bool(stored.received_from))


def record_context(wire: dict[str, Any], *, federated: bool) -> dict[str, Any]:
    """What the detail templates need of a record in wire form.

    ``record`` (the wire form), ``body``, ``title``, ``summary``, ``kind_label``,
    ``federated``, ``refs`` (held records it refers to, by id), ``jsonld``;
    ``citizens`` for a project; ``used_by`` (projects referring to it) for a
    dataset or an organisation.
    """
    body: dict[str, Any] = wire.get("body") or {}
    kind = str(wire["kind"])
    referred = [
        *(partner.get("organisation", "") for partner in body.get("partners") or []),
        *(body.get("datasets") or []),
    ]
    context: dict[str, Any] = {
        "record": wire,
        "body": body,
        "title": str(body.get("name") or body.get("title") or wire.get("id") or ""),
        "summary": plain_text(
            body.get("shortDescription") or body.get("description"), limit=300
        ),
        "kind_label": code_label("kind", kind),
        "federated": federated,
        "refs": references(referred) if referred else {},
        "jsonld": record_jsonld(wire),
    }
    if kind == Kind.PROJECT:
        context["citizens"] = citizen_section(body)
    if kind in (Kind.DATASET, Kind.ORGANISATION) and wire.get("id"):
        context["used_by"] = records_referring(record_id=str(wire["id"]), kind=kind)
    return context


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class HubFacts:
    """What the home page says about the hub itself."""

    name: str
    level: str
    level_label: str
    region: str
    country: str
    part_of: list[str]


@dataclass(frozen=True)
class HomeSection:
    """One kind of record on the home page: its newest records and its index."""

    kind: str
    heading: str
    index_url: str | None
    count: int
    items: list[CatalogueItem]


def home_context(*, home: HubHomePage) -> dict[str, Any]:
    """The template context of the hub's home page: ``hub_facts``, one
    ``sections`` entry per kind (newest records from the catalogue, own and
    federated) and the public ``neighbours``."""
    identity = hub_identity()
    indexes = {
        page.record_kind: page
        for page in home_indexes(home=home)
        if isinstance(page, HubIndexPage)
    }
    latest = latest_by_kind()
    counts = catalogue_counts()
    return {
        "hub_facts": HubFacts(
            name=identity.name,
            level=identity.level,
            level_label=code_label("level", identity.level),
            region=nuts_label(identity.nuts) if identity.nuts else "",
            country=country_name(identity.country) if identity.country else "",
            part_of=list(identity.path[:-1]),
        ),
        "sections": [
            HomeSection(
                kind=kind,
                heading=str(KIND_PLURALS[Kind(kind)]),
                index_url=indexes[kind].url if kind in indexes else None,
                count=counts[kind],
                items=latest[kind],
            )
            for kind in KINDS
        ],
        "neighbours": neighbours_public(),
    }
