"""Read-only queries of the cms over the hub's catalogue (own and federated
records) and its page tree: filtered listings, counts, one record by id, the
records a record refers to or that refer to it, the records received from
other hubs. They return records and querysets; ``cms.presenters`` turns them
into what a template or the API shows.

Filters on body fields work on SQLite and PostgreSQL: scalar fields with
Django's JSON key lookups, list fields with ``cms.jsonexpr.JsonArrayHas``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from wagtail.models import Page

from cms.jsonexpr import JsonArrayHas
from cms.models import HubHomePage
from federation.models import StoredRecord
from federation.records import RECORD_ID, Kind
from hubs.nuts import country_nuts, nuts_ancestors

KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)
# Most projects a "used by" list of a dataset or an organisation shows.
REFERRING_MAX = 50


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


def records_held(record_ids: Iterable[str]) -> dict[str, StoredRecord]:
    """The live held records among ``record_ids``, by id (one query, only the
    columns a reference shows)."""
    ids = sorted({record_id for record_id in record_ids if record_id})
    return {
        stored.record_id: stored
        for stored in StoredRecord.objects.filter(
            record_id__in=ids, deleted=False
        ).only("record_id", "title", "kind", "url", "received_from")
    }


def records_referring(*, record_id: str, kind: str) -> QuerySet[StoredRecord]:
    """Live projects that use dataset ``record_id`` or have organisation
    ``record_id`` as a partner (``kind`` is the referred record's kind), by
    title, at most ``REFERRING_MAX``."""
    if kind == Kind.DATASET:
        refers = JsonArrayHas("body", path=["datasets"], value=record_id)
    elif kind == Kind.ORGANISATION:
        refers = JsonArrayHas(
            "body", path=["partners"], element_key="organisation", value=record_id
        )
    else:
        return StoredRecord.objects.none()
    projects = StoredRecord.objects.filter(kind=Kind.PROJECT, deleted=False).filter(
        refers
    )
    return projects.order_by("title")[:REFERRING_MAX]


def home_indexes(*, home: HubHomePage) -> QuerySet[Page]:
    """The live index pages of the hub, in tree order."""
    return home.get_children().live().specific()


def federated_records(*, kind: str | None = None) -> QuerySet[StoredRecord]:
    """Records received from other hubs (not deleted), newest change first."""
    records = StoredRecord.objects.exclude(received_from="").filter(deleted=False)
    if kind:
        records = records.filter(kind=kind)
    return records.order_by("-seq")


def federated_record_get(*, pk: int) -> StoredRecord | None:
    """One record received from another hub, None when there is none (or it is
    this hub's own)."""
    return StoredRecord.objects.exclude(received_from="").filter(pk=pk).first()
