"""Federation's part of the GraphQL API: the peer change feed, the public
catalogue, the hub, and the ``poke`` mutation.

Resolvers check who is asking and hand over to selectors and services. The one
schema is composed in ``hubnet.graphql`` (with the search field) and committed
as ``hubnet/schema.graphql``.
"""

from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar
from graphql import GraphQLResolveInfo

from federation.graphql.errors import ErrorCode, api_error
from federation.graphql.limits import (
    CHANGES_MAX_PAGE_SIZE,
    RECORDS_DEFAULT_PAGE_SIZE,
    RECORDS_MAX_PAGE_SIZE,
)
from federation.graphql.pages import ChangePage, RecordPage, change_page, record_page
from federation.graphql.types import (
    ChangeConnection,
    Hub,
    PokePayload,
    RecordConnection,
    RecordInterface,
    RecordKind,
    kind_values,
)
from federation.models import StoredRecord
from federation.selectors import record_get
from federation.services.keys import key_statements
from hubs.identity import HubIdentity, hub_identity
from hubs.models import Neighbour

# Where the view leaves the authenticated neighbour (or None) on the request.
NEIGHBOUR_ATTRIBUTE = "hubnet_neighbour"


def neighbour_required(info: GraphQLResolveInfo) -> Neighbour:
    """The neighbour the view authenticated by its peer token; UNAUTHENTICATED
    without one. Never says why a token failed (unknown, wrong, disabled)."""
    neighbour = getattr(info.context, NEIGHBOUR_ATTRIBUTE, None)
    if neighbour is None:
        raise api_error(
            ErrorCode.UNAUTHENTICATED,
            "A valid peer token is required: Authorization: Bearer <token>.",
        )
    return neighbour


class Query(graphene.ObjectType):
    """Read this hub: anyone may read the hub and browse records; the change feed
    is for neighbours with a peer token."""

    hub = graphene.Field(
        graphene.NonNull(Hub), description="This hub and its neighbours."
    )
    changes = graphene.Field(
        ChangeConnection,
        after=graphene.String(description="An endCursor of an earlier page."),
        first=graphene.Int(
            required=True,
            description=f"The page size, 1 to {CHANGES_MAX_PAGE_SIZE} (more is an "
            "error with code BAD_REQUEST, not clamped).",
        ),
        kinds=graphene.List(
            graphene.NonNull(RecordKind), description="Only these kinds (all if null)."
        ),
        description=(
            "This hub's change feed (own and federated records) in change-sequence "
            "order, one entry per record at its newest version; tombstones included. "
            "Requires a peer token (error code UNAUTHENTICATED)."
        ),
    )
    records = graphene.Field(
        RecordConnection,
        kinds=graphene.List(graphene.NonNull(RecordKind), description="Only these."),
        origin=graphene.String(description="Only records of this origin hub."),
        within=graphene.String(
            description="Only records whose originPath contains this hub slug."
        ),
        country=graphene.String(description="Only records in this country (NL)."),
        search=graphene.String(description="Only records whose title contains this."),
        first=graphene.Int(
            default_value=RECORDS_DEFAULT_PAGE_SIZE,
            description=f"The page size, 1 to {RECORDS_MAX_PAGE_SIZE}.",
        ),
        after=graphene.String(description="An endCursor of an earlier page."),
        description="Browse the published records, most recently changed first.",
    )
    record = graphene.Field(
        RecordInterface,
        id=graphene.ID(required=True, description="The record id."),
        description="One record (also a tombstone) by id, or null.",
    )
    keys = graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(GenericScalar))),
        description=(
            "The signed key statements this hub holds: its own signing keys and "
            "the ones it pinned of hubs below and beside it, forwarded as "
            'received. A statement is a JSON object: {type: "key", origin, '
            "keyId, publicKey (base64 of the raw Ed25519 key), createdAt, "
            "previousKeyId, signedBy, signature} introduces a key (signed by "
            "itself when it is an origin's first, else by the key it replaces: "
            'a rotation); {type: "revoke", origin, keyId, revokedAt, signedBy, '
            "signature} revokes one. keyId is the first 16 hex digits of SHA-256 "
            "of the raw public key; the signature is Ed25519 over "
            '"hubnet-key-v1\\n" + the statement without its signature as '
            "JSON with sorted keys, no whitespace, UTF-8. A hub pins an origin's "
            "first key on first sight and later ones only through a rotation "
            "signed with a pinned key. Records carry `signature` (Ed25519, "
            "base64) and `keyId` in their wire form; the signature covers "
            '"hubnet-record-v1\\n" + the JSON (same rules) of {id, kind, '
            "origin, originPath, originLevel, version, updatedAt (UTC, "
            "YYYY-MM-DDTHH:MM:SS.ffffff+00:00), deleted, language, url, "
            "schemaVersion, body}."
        ),
    )

    @staticmethod
    def resolve_hub(_root: Any, _info: GraphQLResolveInfo) -> HubIdentity:
        return hub_identity()

    @staticmethod
    def resolve_changes(
        _root: Any,
        info: GraphQLResolveInfo,
        first: int,
        after: str | None = None,
        kinds: list[Any] | None = None,
    ) -> ChangePage:
        neighbour_required(info)
        return change_page(after=after, first=first, kinds=kind_values(kinds))

    @staticmethod
    def resolve_records(
        _root: Any,
        _info: GraphQLResolveInfo,
        first: int = RECORDS_DEFAULT_PAGE_SIZE,
        after: str | None = None,
        kinds: list[Any] | None = None,
        origin: str | None = None,
        within: str | None = None,
        country: str | None = None,
        search: str | None = None,
    ) -> RecordPage:
        return record_page(
            first=first,
            after=after,
            kinds=kind_values(kinds),
            origin=origin,
            within=within,
            country=country,
            search=search,
        )

    @staticmethod
    def resolve_keys(_root: Any, _info: GraphQLResolveInfo) -> list[dict[str, Any]]:
        return key_statements()

    @staticmethod
    def resolve_record(
        _root: Any, _info: GraphQLResolveInfo, id: str
    ) -> StoredRecord | None:
        return record_get(record_id=id)


class Mutation(graphene.ObjectType):
    """What neighbours may ask of this hub."""

    poke = graphene.Field(
        PokePayload,
        description=(
            "A neighbour asks this hub to pull its change feed now (after it "
            "published). Requires a peer token; queues a sync of that neighbour."
        ),
    )

    @staticmethod
    def resolve_poke(_root: Any, info: GraphQLResolveInfo) -> PokePayload:
        neighbour = neighbour_required(info)
        # Imported here: the sync client pulls in requests and Celery tasks.
        from federation.services.sync import poke_receive

        return PokePayload(accepted=poke_receive(neighbour=neighbour))
