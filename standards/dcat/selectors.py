"""Read-only queries behind the DCAT-AP catalogue: the query of a request (page,
page size, modified since), and one page of the catalogue's datasets with what
describes them (the projects that use them, the hubs they come from).

A page costs a fixed number of queries whatever its size: the totals, the
catalogue's languages, the page's datasets, the projects using them and the
names of their origin hubs.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils.dateparse import parse_date, parse_datetime

from cms.jsonexpr import JsonArrayHasAny
from federation.models import StoredRecord
from federation.record_fields import RECORD_ID
from federation.records import Kind
from hubs.models import Neighbour

PAGE_SIZE_DEFAULT = 100
PAGE_SIZE_MAX = 1000
WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


class CatalogueQueryInvalid(ValueError):
    """A query parameter of the catalogue is malformed; the message says which
    and what is expected (answered as 400)."""


class CataloguePageMissing(LookupError):
    """The page asked for lies beyond the last page (answered as 404)."""


@dataclass(frozen=True)
class CatalogueQuery:
    """What a harvester asked for: a page of a given size, optionally only the
    datasets modified since a moment."""

    page: int = 1
    page_size: int = PAGE_SIZE_DEFAULT
    modified_since: dt.datetime | None = None
    # As the client wrote it, so the paging links repeat it unchanged.
    modified_since_text: str = ""


@dataclass(frozen=True)
class CataloguePage:
    """One page of the catalogue and the facts about the whole it needs."""

    query: CatalogueQuery
    total: int
    last_page: int
    datasets: list[StoredRecord]
    # Dataset id → the live projects that list it among their datasets.
    used_by: dict[str, list[StoredRecord]] = field(default_factory=dict)
    # Origin hub slug → its name, for the neighbours this hub knows.
    hub_names: dict[str, str] = field(default_factory=dict)
    hub_urls: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    # Newest change of a listed dataset (dct:modified of the catalogue).
    modified: dt.datetime | None = None
    # Newest change this hub stored of a dataset or project (Last-Modified).
    changed: dt.datetime | None = None


def catalogue_query_parse(params: Mapping[str, str]) -> CatalogueQuery:
    """The catalogue query of request parameters; raises ``CatalogueQueryInvalid``
    with a message fit for the client."""
    page = _positive_int(params.get("page"), name="page", default=1)
    page_size = _positive_int(
        params.get("page_size"), name="page_size", default=PAGE_SIZE_DEFAULT
    )
    if page_size > PAGE_SIZE_MAX:
        raise CatalogueQueryInvalid(
            f"page_size must be between 1 and {PAGE_SIZE_MAX}, got {page_size}."
        )
    text = (params.get("modified_since") or "").strip()
    return CatalogueQuery(
        page=page,
        page_size=page_size,
        modified_since=_moment(text) if text else None,
        modified_since_text=text,
    )


def _positive_int(value: str | None, *, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    # ASCII digits only: ``str.isdigit`` accepts "²", which ``int`` refuses.
    if not WHOLE_NUMBER.fullmatch(value) or int(value) < 1:
        raise CatalogueQueryInvalid(
            f"{name} must be a whole number of at least 1, got {value[:40]!r}."
        )
    return int(value)


def _moment(text: str) -> dt.datetime:
    """An ISO date (midnight UTC) or date-time (UTC when no zone is given)."""
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    if moment is None:
        raise CatalogueQueryInvalid(
            "modified_since must be an ISO 8601 date or date-time, e.g. "
            f"2026-11-01 or 2026-11-01T10:00:00Z, got {text!r}."
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def catalogue_page(*, query: CatalogueQuery) -> CataloguePage:
    """The datasets of one page (own and federated, live, in id order, so pages
    stay put while records change) and what describes them."""
    listed = Q(kind=Kind.DATASET, deleted=False)
    if query.modified_since is not None:
        listed &= Q(updated_at__gte=query.modified_since)
    totals = StoredRecord.objects.filter(
        kind__in=[Kind.DATASET, Kind.PROJECT]
    ).aggregate(
        total=Count("pk", filter=listed),
        modified=Max("updated_at", filter=listed),
        changed=Max("stored_at"),
    )
    total = totals["total"]
    last_page = max(1, math.ceil(total / query.page_size))
    if query.page > last_page:
        raise CataloguePageMissing(
            f"Page {query.page} does not exist: the last page is {last_page}."
        )
    start = (query.page - 1) * query.page_size
    datasets = list(
        StoredRecord.objects.filter(listed).order_by("record_id")[
            start : start + query.page_size
        ]
    )
    hubs = _hubs(sorted({stored.origin for stored in datasets}))
    return CataloguePage(
        query=query,
        total=total,
        last_page=last_page,
        datasets=datasets,
        used_by=_projects_using([stored.record_id for stored in datasets]),
        hub_names={slug: name for slug, (name, _) in hubs.items()},
        hub_urls={slug: url for slug, (_, url) in hubs.items()},
        languages=_languages(),
        modified=totals["modified"],
        changed=totals["changed"],
    )


def dataset_get(
    *, record_id: str
) -> tuple[StoredRecord, dict[str, list[StoredRecord]]] | None:
    """A live dataset this hub holds and the projects using it; None when the id
    names no such dataset."""
    stored = (
        StoredRecord.objects.filter(
            record_id=record_id, kind=Kind.DATASET, deleted=False
        ).first()
        if RECORD_ID.match(record_id)
        else None
    )
    if stored is None:
        return None
    return stored, _projects_using([stored.record_id])


def _languages() -> list[str]:
    """The languages the catalogue's dataset descriptions are written in."""
    return sorted(
        StoredRecord.objects.filter(kind=Kind.DATASET, deleted=False)
        .values_list("language", flat=True)
        .distinct()
        .order_by()
    )


def _hubs(slugs: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Name and address of the origin hubs this hub knows as neighbours."""
    return {
        slug: (name, url)
        for slug, name, url in Neighbour.objects.filter(slug__in=slugs).values_list(
            "slug", "name", "endpoint_url"
        )
    }


def _projects_using(dataset_ids: Sequence[str]) -> dict[str, list[StoredRecord]]:
    """Live projects listing any of ``dataset_ids``, by dataset id (one query)."""
    if not dataset_ids:
        return {}
    wanted = set(dataset_ids)
    projects = (
        StoredRecord.objects.filter(kind=Kind.PROJECT, deleted=False)
        .filter(JsonArrayHasAny("body", key="datasets", values=sorted(wanted)))
        .only("record_id", "url", "title", "body")
        .order_by("record_id")
    )
    used_by: dict[str, list[StoredRecord]] = {}
    for project in projects:
        for dataset_id in (project.body or {}).get("datasets") or []:
            if dataset_id in wanted:
                used_by.setdefault(dataset_id, []).append(project)
    return used_by
