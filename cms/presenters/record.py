"""What a record's detail page shows: the record in wire form (from a page of
this hub, or as held in the catalogue) with what it refers to, the citizens'
section of a project and its JSON-LD.

Own pages and federated records go through the same function, so a project
from another hub reads exactly like one of this hub.
"""

from __future__ import annotations

from typing import Any

from cms.citizens import citizen_section
from cms.jsonld import record_jsonld
from cms.models import HubPage
from cms.presenters.listing import references, referring_items
from cms.wire import page_wire
from federation.models import StoredRecord
from federation.records import Kind
from federation.selectors import record_get, record_provenance, record_wire
from federation.text import plain_text
from federation.vocabularies.labels import code_label


def page_record_context(page: HubPage) -> dict[str, Any]:
    """The template context of a record page of this hub."""
    wire = page_wire(page)
    stored = record_get(record_id=str(wire["id"])) if wire.get("id") else None
    return record_context(wire, federated=False, provenance=record_provenance(stored))


def stored_record_context(stored: StoredRecord) -> dict[str, Any]:
    """The template context of a held record (own or federated)."""
    return record_context(
        record_wire(stored),
        federated=bool(stored.received_from),
        provenance=record_provenance(stored),
    )


def record_context(
    wire: dict[str, Any],
    *,
    federated: bool,
    provenance: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the detail templates need of a record in wire form.

    ``record`` (the wire form), ``body``, ``title``, ``summary``, ``kind_label``,
    ``federated``, ``provenance`` (who signed it, whether verified here),
    ``refs`` (held records it refers to, by id), ``jsonld``;
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
        "provenance": provenance,
        "refs": references(referred) if referred else {},
        "jsonld": record_jsonld(wire),
    }
    if kind == Kind.PROJECT:
        context["citizens"] = citizen_section(body)
    if kind in (Kind.DATASET, Kind.ORGANISATION) and wire.get("id"):
        context["used_by"] = referring_items(record_id=str(wire["id"]), kind=kind)
    return context
