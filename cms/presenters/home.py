"""What the hub's home page shows: the hub itself (level, region, what it is
part of), the newest records of each kind with their index pages, and the
public face of its neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from cms.models import HubHomePage, HubIndexPage
from cms.presenters.listing import CatalogueItem, latest_by_kind
from cms.selectors import KINDS, catalogue_counts, home_indexes
from federation.records import Kind
from federation.vocabularies import KIND_PLURALS, country_name, nuts_label
from federation.vocabularies.labels import code_label
from hubs.identity import hub_identity
from hubs.selectors import neighbour_list


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
