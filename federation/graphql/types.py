"""GraphQL types: the hub, records (typed per kind), pages of changes and records.

Record types resolve from ``StoredRecord`` rows and their body JSON: no resolver
here runs a query. Connection types resolve from the page objects of
``federation.graphql.pages``.
"""

from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar

from federation.graphql.bodies import BODY_TYPES
from federation.graphql.pages import ChangePage, RecordPage
from federation.models import StoredRecord
from federation.records import Kind
from federation.selectors import cursor_encode, record_wire
from hubs.identity import HubIdentity
from hubs.models import Neighbour
from hubs.selectors import neighbour_list


class RecordKind(graphene.Enum):
    """The four kinds of record; the values are the record envelope's ``kind``."""

    project = Kind.PROJECT.value
    dataset = Kind.DATASET.value
    course = Kind.COURSE.value
    organisation = Kind.ORGANISATION.value

    @property
    def description(self) -> str:
        return {
            "project": "An AI project or algorithm in use.",
            "dataset": "A dataset (DCAT-AP 3).",
            "course": "A training course.",
            "organisation": "A partner organisation.",
        }[self.value]


def kind_values(kinds: list[Any] | None) -> list[str] | None:
    """The plain string values of a ``[RecordKind!]`` argument."""
    if not kinds:
        return None
    return [getattr(kind, "value", kind) for kind in kinds]


# The hub ----------------------------------------------------------------------


class GeoPoint(graphene.ObjectType):
    """A point in WGS 84."""

    lat = graphene.Float(required=True, description="Latitude in degrees.")
    lon = graphene.Float(required=True, description="Longitude in degrees.")


class NeighbourHub(graphene.ObjectType):
    """A hub this hub exchanges records with (public information only)."""

    class Meta:
        name = "Neighbour"

    slug = graphene.String(required=True, description="The neighbour's hub slug.")
    name = graphene.String(required=True, description="The neighbour's name.")
    role = graphene.String(
        required=True,
        description="What the neighbour is to this hub: parent, child or peer.",
    )
    endpoint_url = graphene.String(
        required=True, description="The base URL of the neighbour hub."
    )

    @staticmethod
    def resolve_endpoint_url(neighbour: Neighbour, _info: Any) -> str:
        return neighbour.endpoint_url


class Hub(graphene.ObjectType):
    """This hub: who it is, where it sits in the network, and its neighbours."""

    slug = graphene.String(required=True, description="The hub's slug.")
    name = graphene.String(required=True, description="The hub's name.")
    level = graphene.String(
        required=True, description="One of: local, regional, national, eu."
    )
    country = graphene.String(description="ISO 3166-1 alpha-2 code, if any.")
    nuts = graphene.String(description="The NUTS code of the hub's area, if any.")
    path = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The hub's ancestors and itself, top first.",
    )
    url = graphene.String(required=True, description="The hub's public base URL.")
    location = graphene.Field(GeoPoint, description="Where the hub is, if known.")
    neighbours = graphene.List(
        graphene.NonNull(NeighbourHub),
        required=True,
        description="The enabled neighbours of this hub.",
    )

    @staticmethod
    def resolve_country(identity: HubIdentity, _info: Any) -> str | None:
        return identity.country or None

    @staticmethod
    def resolve_nuts(identity: HubIdentity, _info: Any) -> str | None:
        return identity.nuts or None

    @staticmethod
    def resolve_path(identity: HubIdentity, _info: Any) -> list[str]:
        return list(identity.path)

    @staticmethod
    def resolve_url(identity: HubIdentity, _info: Any) -> str:
        return identity.public_url

    @staticmethod
    def resolve_location(identity: HubIdentity, _info: Any) -> dict | None:
        return identity.as_dict()["location"]  # type: ignore[return-value]

    @staticmethod
    def resolve_neighbours(_identity: HubIdentity, _info: Any) -> list[Neighbour]:
        return list(neighbour_list())


# Records ----------------------------------------------------------------------


class RecordInterface(graphene.Interface):
    """A record: the envelope every kind shares. A tombstone (deleted: true)
    keeps the envelope and has no body."""

    class Meta:
        name = "Record"

    id = graphene.ID(
        required=True,
        source="record_id",
        description="Global and stable: <origin hub slug>:<kind>:<uuid>.",
    )
    kind = graphene.Field(
        graphene.NonNull(RecordKind), description="The kind of record."
    )
    origin = graphene.String(
        required=True, description="The slug of the hub that owns the record."
    )
    origin_path = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        source="origin_path",
        description="The origin hub's ancestors and itself, top first.",
    )
    origin_level = graphene.String(
        description="The origin hub's level: local, regional, national or eu."
    )
    version = graphene.BigInt(
        required=True,
        description="Raised by one by the origin on every change.",
    )
    updated_at = graphene.DateTime(
        required=True,
        source="updated_at",
        description="When the origin made this version.",
    )
    deleted = graphene.Boolean(
        required=True, description="True for a tombstone (a deleted record)."
    )
    language = graphene.String(
        required=True, description="The language of the record (ISO 639-1)."
    )
    url = graphene.String(description="The canonical page of the record at its origin.")
    schema_version = graphene.Int(
        required=True,
        source="schema_version",
        description="The version of the record schema the record follows.",
    )
    signature = graphene.String(
        description=(
            "The origin hub's Ed25519 signature (base64) of this version, "
            "forwarded untouched by every hub on the way; null if unsigned. It "
            'covers the canonical form: the UTF-8 bytes of "hubnet-record-v1\\n" '
            "followed by the JSON object {id, kind, origin, originPath, "
            "originLevel, version, updatedAt (UTC, "
            "YYYY-MM-DDTHH:MM:SS.ffffff+00:00), deleted, language, url, "
            "schemaVersion, body (null for a tombstone)} with sorted keys, no "
            "whitespace and non-ASCII characters unescaped."
        )
    )
    key_id = graphene.String(
        description=(
            "The id of the origin's key that made the signature: the first 16 "
            "hex digits of SHA-256 of the raw public key (see keys)."
        ),
    )
    verified = graphene.Boolean(
        required=True,
        description=(
            "Whether this hub checked the signature against a key of the origin "
            "it pinned (false: unsigned, or the origin's key is not known here)."
        ),
    )

    @classmethod
    def resolve_type(
        cls, stored: StoredRecord, _info: Any
    ) -> type[graphene.ObjectType]:
        return RECORD_TYPES[Kind(stored.kind)]

    @staticmethod
    def resolve_url(stored: StoredRecord, _info: Any) -> str | None:
        return stored.url or None

    @staticmethod
    def resolve_signature(stored: StoredRecord, _info: Any) -> str | None:
        return stored.signature or None

    @staticmethod
    def resolve_key_id(stored: StoredRecord, _info: Any) -> str | None:
        return stored.key_id or None


def _body(stored: StoredRecord, _info: Any) -> dict[str, Any] | None:
    return None if stored.deleted else stored.body


def _record_type(kind: Kind, name: str, what: str) -> type[graphene.ObjectType]:
    meta = type(
        "Meta",
        (),
        {
            "name": name,
            "interfaces": (RecordInterface,),
            "description": f"A record of kind {kind.value}: {what}",
        },
    )
    body = graphene.Field(
        BODY_TYPES[kind],
        resolver=_body,
        description=f"The {kind.value} itself; null for a tombstone.",
    )
    return type(name, (graphene.ObjectType,), {"Meta": meta, "body": body})


RECORD_TYPES: dict[Kind, type[graphene.ObjectType]] = {
    Kind.PROJECT: _record_type(
        Kind.PROJECT, "ProjectRecord", "an AI project or algorithm in use."
    ),
    Kind.DATASET: _record_type(Kind.DATASET, "DatasetRecord", "a dataset."),
    Kind.COURSE: _record_type(Kind.COURSE, "CourseRecord", "a training course."),
    Kind.ORGANISATION: _record_type(
        Kind.ORGANISATION, "OrganisationRecord", "a partner organisation."
    ),
}


# Pages ------------------------------------------------------------------------


class PageInfo(graphene.ObjectType):
    """Where a page ends and whether more follow."""

    has_next_page = graphene.Boolean(
        required=True, description="Whether records follow after this page."
    )
    end_cursor = graphene.String(
        description=(
            "The cursor of the last edge: pass it as ``after`` for the next page. "
            "Null when the page is empty (keep the cursor you have)."
        )
    )


class ChangeEdge(graphene.ObjectType):
    """One change of the feed: the record as it is now."""

    cursor = graphene.String(required=True, description="Opaque; resume after it.")
    sequence = graphene.BigInt(
        required=True,
        description=(
            "This hub's change sequence value of the change (64-bit: above the "
            "range of Int)."
        ),
    )
    wire = GenericScalar(
        required=True,
        description=(
            "The record in its wire form, exactly as the record schema defines it "
            "(what a receiving hub validates and applies)."
        ),
    )
    node = graphene.Field(
        graphene.NonNull(RecordInterface), description="The record, typed."
    )

    @staticmethod
    def resolve_cursor(stored: StoredRecord, _info: Any) -> str:
        return cursor_encode(stored.seq)

    @staticmethod
    def resolve_sequence(stored: StoredRecord, _info: Any) -> int:
        return stored.seq

    @staticmethod
    def resolve_wire(stored: StoredRecord, _info: Any) -> dict[str, Any]:
        return record_wire(stored)

    @staticmethod
    def resolve_node(stored: StoredRecord, _info: Any) -> StoredRecord:
        return stored


class ChangeConnection(graphene.ObjectType):
    """A page of this hub's change feed, in change-sequence order."""

    latest_sequence = graphene.BigInt(
        required=True,
        description=(
            "This hub's newest committed change sequence value (read after the "
            "page, so never below the last edge's sequence; 64-bit)."
        ),
    )
    page_info = graphene.Field(
        graphene.NonNull(PageInfo), description="Where this page ends."
    )
    edges = graphene.List(
        graphene.NonNull(ChangeEdge),
        required=True,
        description="The changes, in change-sequence order.",
    )

    @staticmethod
    def resolve_page_info(page: ChangePage, _info: Any) -> ChangePage:
        return page

    @staticmethod
    def resolve_edges(page: ChangePage, _info: Any) -> list[StoredRecord]:
        return page.records


class RecordEdge(graphene.ObjectType):
    """One record of a browse page."""

    cursor = graphene.String(required=True, description="Opaque; resume after it.")
    node = graphene.Field(
        graphene.NonNull(RecordInterface), description="The record, typed."
    )

    @staticmethod
    def resolve_cursor(stored: StoredRecord, _info: Any) -> str:
        return cursor_encode(stored.seq)

    @staticmethod
    def resolve_node(stored: StoredRecord, _info: Any) -> StoredRecord:
        return stored


class RecordConnection(graphene.ObjectType):
    """A page of records, most recently changed first."""

    total_count = graphene.Int(
        required=True, description="How many records match the filters (all pages)."
    )
    page_info = graphene.Field(
        graphene.NonNull(PageInfo), description="Where this page ends."
    )
    edges = graphene.List(
        graphene.NonNull(RecordEdge),
        required=True,
        description="The records, most recently changed first.",
    )

    @staticmethod
    def resolve_total_count(page: RecordPage, _info: Any) -> int:
        return page.total_count

    @staticmethod
    def resolve_page_info(page: RecordPage, _info: Any) -> RecordPage:
        return page

    @staticmethod
    def resolve_edges(page: RecordPage, _info: Any) -> list[StoredRecord]:
        return page.records


class PokePayload(graphene.ObjectType):
    """The answer to a poke."""

    accepted = graphene.Boolean(
        required=True, description="Whether a sync of the caller was queued."
    )
