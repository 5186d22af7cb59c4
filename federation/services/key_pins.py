"""Pinning other origins' keys from the signed key statements a neighbour
forwards: a first key of an origin on first sight, later ones only through a
statement signed by a key of that origin pinned before.

The rules run over a small store of pinned keys: this hub's database
(``HubKeyPins``) or, in the network simulation, a dict of each simulated hub.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.dateparse import parse_datetime

from federation.signing import (
    SignatureInvalid,
    b64decode,
    key_id,
    public_key_load,
    statement_canonical,
    verify,
)
from hubs.identity import hub_identity
from hubs.models import HubKey

logger = logging.getLogger(__name__)
MAX_STATEMENTS = 10_000


class PinnedKey(Protocol):
    """What the rules read of a pinned key (a ``HubKey`` row)."""

    key_id: str
    public_key: str
    revoked_at: dt.datetime | None


class KeyPins(Protocol):
    """A store of pinned keys, by origin and key id."""

    def get(self, origin: str, key_id: str) -> Any: ...

    def has_origin(self, origin: str) -> bool: ...

    def add(
        self,
        *,
        origin: str,
        key_id: str,
        public_key: str,
        created_at: dt.datetime,
        statement: dict[str, Any],
    ) -> None: ...

    def mark_rotated(self, pinned: Any, *, at: dt.datetime) -> None: ...

    def mark_revoked(
        self, pinned: Any, *, at: dt.datetime, statement: dict[str, Any]
    ) -> None: ...


class HubKeyPins:
    """This hub's pinned keys: the ``HubKey`` table."""

    def get(self, origin: str, key_id: str) -> HubKey | None:
        return HubKey.objects.filter(origin=origin, key_id=key_id).first()

    def has_origin(self, origin: str) -> bool:
        return HubKey.objects.filter(origin=origin).exists()

    def add(
        self,
        *,
        origin: str,
        key_id: str,
        public_key: str,
        created_at: dt.datetime,
        statement: dict[str, Any],
    ) -> None:
        HubKey.objects.create(
            origin=origin,
            key_id=key_id,
            public_key=public_key,
            created_at=created_at,
            statements=[statement],
        )

    def mark_rotated(self, pinned: HubKey, *, at: dt.datetime) -> None:
        HubKey.objects.filter(pk=pinned.pk, rotated_at__isnull=True).update(
            rotated_at=at
        )

    def mark_revoked(
        self, pinned: HubKey, *, at: dt.datetime, statement: dict[str, Any]
    ) -> None:
        pinned.revoked_at = at
        pinned.statements = [*pinned.statements, statement]
        pinned.save(update_fields=["revoked_at", "statements"])


@dataclass
class PinResult:
    """What applying a neighbour's key statements did."""

    pinned: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    refused: list[tuple[dict[str, Any], str]] = field(default_factory=list)


def statement_moment(statement: dict[str, Any], name: str) -> dt.datetime:
    """The moment a statement gives under ``name``; SignatureInvalid unless it
    is one with a time zone."""
    value = statement.get(name)
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        raise SignatureInvalid(f"{name} must be a moment with a time zone")
    return parsed


def key_statements_apply(
    *,
    statements: Iterable[Any],
    pins: KeyPins | None = None,
    me: str | None = None,
) -> PinResult:
    """Pin the keys and revocations a neighbour forwards that hold: a first key
    of an origin on first sight, later ones only when signed by a pinned key of
    the same origin. Statements already held are skipped; bad ones are refused
    with the reason and change nothing. ``pins`` and ``me`` default to this
    hub's database and slug."""
    result = PinResult()
    store = pins if pins is not None else HubKeyPins()
    me = me if me is not None else hub_identity().slug
    items = [s for s in list(statements)[:MAX_STATEMENTS] if isinstance(s, dict)]
    items = [s for s in items if s.get("origin") != me]
    keys = sorted(
        (s for s in items if s.get("type") == "key"),
        key=lambda s: str(s.get("createdAt")),
    )
    revocations = [s for s in items if s.get("type") == "revoke"]
    for statement in [*keys, *revocations]:
        try:
            outcome = _statement_apply(statement, store)
        except SignatureInvalid as error:
            result.refused.append((statement, str(error)))
            continue
        if outcome == "pinned":
            result.pinned.append(f"{statement['origin']}:{statement['keyId']}")
        elif outcome == "revoked":
            result.revoked.append(f"{statement['origin']}:{statement['keyId']}")
    return result


def key_statements_pin(
    *,
    statements: list[Any],
    source: str,
    pins: KeyPins | None = None,
    me: str | None = None,
) -> PinResult:
    """Pin the key statements neighbour ``source`` forwards; refused ones are
    logged and change nothing (that origin's records keep verifying against
    the keys pinned before)."""
    result = key_statements_apply(statements=statements, pins=pins, me=me)
    if result.pinned or result.revoked:
        logger.info(
            "keys from %s: pinned %s, revoked %s",
            source,
            ", ".join(result.pinned) or "none",
            ", ".join(result.revoked) or "none",
        )
    for statement, reason in result.refused[:20]:
        logger.warning(
            "key statement from %s refused (%s): %s",
            source,
            reason,
            json.dumps(statement, default=str)[:500],
        )
    return result


def _signer(origin: str, statement: dict[str, Any], store: KeyPins) -> Any:
    signer = store.get(origin, str(statement.get("signedBy")))
    if signer is None:
        raise SignatureInvalid(f"signed by a key of {origin} not pinned here")
    if signer.revoked_at is not None:
        raise SignatureInvalid(f"signed by the revoked key {signer.key_id}")
    if not verify(
        public_key_load(signer.public_key),
        statement.get("signature"),
        statement_canonical(statement),
    ):
        raise SignatureInvalid("the statement's signature does not verify")
    return signer


def _statement_apply(statement: dict[str, Any], store: KeyPins) -> str:
    origin = str(statement.get("origin"))[:50]
    wanted = str(statement.get("keyId"))[:32]
    held = store.get(origin, wanted)
    if statement["type"] == "revoke":
        if held is None:
            raise SignatureInvalid(f"revokes a key of {origin} not pinned here")
        if held.revoked_at is not None:
            return "held"
        revoked_at = statement_moment(statement, "revokedAt")
        _signer(origin, statement, store)
        store.mark_revoked(held, at=revoked_at, statement=statement)
        return "revoked"
    if held is not None:
        return "held"
    public = public_key_load(str(statement.get("publicKey") or ""))
    raw = b64decode(statement["publicKey"], what="publicKey")
    if key_id(raw) != wanted:
        raise SignatureInvalid("keyId is not the id of publicKey")
    created = statement_moment(statement, "createdAt")
    if statement.get("signedBy") == wanted:
        if store.has_origin(origin):
            raise SignatureInvalid(
                f"a new key of {origin} signed by itself; "
                "only a rotation signed with a pinned key replaces it"
            )
        if not verify(
            public, statement.get("signature"), statement_canonical(statement)
        ):
            raise SignatureInvalid("the statement's signature does not verify")
    else:
        signer = _signer(origin, statement, store)
        store.mark_rotated(signer, at=created)
    store.add(
        origin=origin,
        key_id=wanted,
        public_key=statement["publicKey"],
        created_at=created,
        statement=statement,
    )
    return "pinned"
