"""Read-only queries over the hub's catalogue (own and federated records) for the
public site and the REST API: filtered listings, the latest records, the records
a record refers to, and the hub's neighbours as the public may see them.

Filters on body fields work on SQLite and PostgreSQL: scalar fields with
Django's JSON key lookups, list fields with ``cms.jsonexpr.JsonArrayHas``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cms.jsonexpr import JsonArrayHas
from cms.labels import code_label
from cms.selectors import record_path
from federation.models import StoredRecord
from federation.records import RECORD_ID, Kind
from federation.text import plain_text
from hubs.identity import hub_identity
from hubs.nuts import country_nuts, nuts_ancestors
from hubs.selectors import neighbour_list

KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)
SUMMARY_LENGTH = 220


@dataclass(frozen=True)
class CatalogueFilter:
    """What a listing of the catalogue is narrowed to; None means "any".

    ``nuts`` matches a record with that region or any region inside it (a record
    in NL414 is in NL41, NL4 and NL); ``within`` keeps records whose origin is
    the given hub or a hub below it; ``own`` keeps this hub's own records.
    """

    kind: str | None = None
    status: str | None = None
    theme: str | None = None
    ai_act_class: str | None = None
    access_rights: str | None = None
    target_group: str | None = None
    mode: str | None = None
    organisation_type: str | None = None
    service: str | None = None
    open_to_partnership: bool | None = None
    country: str | None = None
    nuts: str | None = None
    origin: str | None = None
    within: str | None = None
    own: bool = False
    updated_since: dt.datetime | None = None
    text: str | None = None
    include_deleted: bool = False


# Scalar body fields: filter attribute -> wire name.
_SCALAR_FILTERS: dict[str, str] = {
    "status": "status",
    "ai_act_class": "aiActClass",
    "access_rights": "accessRights",
    "mode": "mode",
    "open_to_partnership": "openToPartnership",
}
# List body fields: filter attribute -> wire name.
_LIST_FILTERS: dict[str, str] = {
    "theme": "themes",
    "target_group": "targetGroups",
    "service": "services",
}


def catalogue_records(*, filters: CatalogueFilter) -> QuerySet[StoredRecord]:
    """Held records (own and federated) matching ``filters``, newest change
    first; tombstones only when ``filters.include_deleted``. One query."""
    records = StoredRecord.objects.all()
    if not filters.include_deleted:
        records = records.filter(deleted=False)
    if filters.kind:
        records = records.filter(kind=filters.kind)
    records = _filter_body(records, filters)
    records = _filter_place(records, filters)
    records = _filter_provenance(records, filters)
    if filters.updated_since:
        records = records.filter(updated_at__gte=filters.updated_since)
    if filters.text:
        records = records.filter(title__icontains=filters.text)
    return records.order_by("-seq")


def _filter_body(
    records: QuerySet[StoredRecord], filters: CatalogueFilter
) -> QuerySet[StoredRecord]:
    """Narrowed by the filters on fields of the record body."""
    for attribute, wire in _SCALAR_FILTERS.items():
        value = getattr(filters, attribute)
        if value is not None and value != "":
            records = records.filter(**{f"body__{wire}": value})
    for attribute, wire in _LIST_FILTERS.items():
        value = getattr(filters, attribute)
        if value:
            records = records.filter(JsonArrayHas("body", path=[wire], value=value))
    if filters.organisation_type:
        records = records.filter(
            kind=Kind.ORGANISATION, body__type=filters.organisation_type
        )
    return records


def _filter_place(
    records: QuerySet[StoredRecord], filters: CatalogueFilter
) -> QuerySet[StoredRecord]:
    """Narrowed by country and NUTS region."""
    if filters.country:
        records = records.filter(_in_country(filters.country))
    if filters.nuts:
        records = records.filter(_in_region(filters.nuts))
    return records


def _filter_provenance(
    records: QuerySet[StoredRecord], filters: CatalogueFilter
) -> QuerySet[StoredRecord]:
    """Narrowed by where the records come from: origin, own, or a hub on the path."""
    if filters.origin:
        records = records.filter(origin=filters.origin)
    if filters.own:
        records = records.filter(received_from="")
    if filters.within:
        records = records.filter(JsonArrayHas("origin_path", value=filters.within))
    return records


def catalogue_record_get(*, record_id: str) -> StoredRecord | None:
    """The held record with this id (tombstones too); None when the id is not a
    record id or no such record is held."""
    if not isinstance(record_id, str) or not RECORD_ID.match(record_id):
        return None
    return StoredRecord.objects.filter(record_id=record_id).first()


def catalogue_counts() -> dict[str, int]:
    """How many live records of each kind the hub holds (every kind present)."""
    rows = (
        StoredRecord.objects.filter(deleted=False)
        .values("kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(KINDS, 0)
    counts.update({row["kind"]: row["count"] for row in rows})
    return counts


def _in_country(country: str) -> Q:
    """Records in ``country`` (ISO code): by the stored country, or by a NUTS
    code of that country (NUTS writes Greece as EL)."""
    country = country.upper()
    return Q(country=country) | Q(
        JsonArrayHas(
            "body", path=["location", "nuts"], value=country_nuts(country), prefix=True
        )
    )


def _in_region(code: str) -> Q:
    """Records with ``code`` among the ancestors of one of their NUTS codes.

    NUTS codes nest by prefix (``hubs.nuts.nuts_ancestors``), so "NL41 is an
    ancestor of NL414 (or NL414 itself)" is "NL414 starts with NL41".
    """
    code = nuts_ancestors(code.upper())[-1]  # validates the shape
    return Q(JsonArrayHas("body", path=["location", "nuts"], value=code, prefix=True))


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
    """The newest live records of each kind (one query per kind)."""
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
    found = {
        stored.record_id: stored
        for stored in StoredRecord.objects.filter(
            record_id__in=ids, deleted=False
        ).only("record_id", "title", "kind", "url", "received_from")
    }
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


def records_referring(*, record_id: str, kind: str) -> list[CatalogueItem]:
    """Live projects that use dataset ``record_id`` or have organisation
    ``record_id`` as a partner (``kind`` is the referred record's kind)."""
    if kind == Kind.DATASET:
        refers = JsonArrayHas("body", path=["datasets"], value=record_id)
    elif kind == Kind.ORGANISATION:
        refers = JsonArrayHas(
            "body", path=["partners"], element_key="organisation", value=record_id
        )
    else:
        return []
    projects = StoredRecord.objects.filter(kind=Kind.PROJECT, deleted=False).filter(
        refers
    )
    return catalogue_items(projects.order_by("title")[:50])


@dataclass(frozen=True)
class PublicNeighbour:
    """A neighbouring hub as the public site shows it (never its tokens)."""

    name: str
    role: str
    role_label: str
    url: str


NEIGHBOUR_ROLE_LABELS = {
    "parent": _("Parent hub"),
    "child": _("Member hub"),
    "peer": _("Peer hub"),
}


NEIGHBOUR_ROLE_ORDER = {"parent": 0, "peer": 1, "child": 2}


def neighbours_public() -> list[PublicNeighbour]:
    """The hub's enabled neighbours, parent first, then peers, then member
    hubs, by name: name, role and public address only."""
    rows = sorted(
        neighbour_list().values("name", "role", "endpoint_url"),
        key=lambda row: (NEIGHBOUR_ROLE_ORDER.get(row["role"], 3), row["name"]),
    )
    return [
        PublicNeighbour(
            name=row["name"],
            role=row["role"],
            role_label=str(NEIGHBOUR_ROLE_LABELS.get(row["role"], row["role"])),
            url=row["endpoint_url"],
        )
        for row in rows
    ]


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
