"""Signing keys: this hub's own key (kept like the secret key), its rotation and
revocation, and the pinning of other origins' keys from signed key statements.

A key statement introduces a key (signed by itself the first time, by the key
it replaces after a rotation) or revokes one (signed by a key of the same
origin). A hub pins the first key it sees of an origin and afterwards accepts a
new key only through a statement signed by one it has pinned; it forwards every
statement it pinned, so the key set of a hub several hops down reaches the top.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from federation.signing import (
    SignatureInvalid,
    b64decode,
    b64encode,
    key_id,
    private_key_load,
    private_raw,
    public_key_load,
    public_raw,
    sign,
    statement_canonical,
    timestamp,
    verify,
)
from hubs.identity import hub_identity
from hubs.models import HubKey

logger = logging.getLogger(__name__)
MAX_STATEMENTS = 10_000


class KeyOperationRefused(RuntimeError):
    """A key operation that cannot be done as asked; the message says why."""


@dataclass(frozen=True)
class OwnKey:
    """This hub's current private key and its id."""

    private: Ed25519PrivateKey
    key_id: str


_cache: dict[str, Any] = {}
_lock = threading.Lock()


def _file_read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _file_write(path: Path, raw: bytes) -> None:
    """Write the key with mode 0600, replacing any older file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(raw)
    os.replace(temporary, path)


def _private_load() -> Ed25519PrivateKey:
    if settings.HUBNET_SIGNING_KEY:
        return private_key_load(
            b64decode(settings.HUBNET_SIGNING_KEY, what="HUBNET_SIGNING_KEY")
        )
    path = Path(settings.HUBNET_SIGNING_KEY_FILE)
    raw = _file_read(path)
    if raw is None:
        with _lock:
            raw = _file_read(path)
            if raw is None:
                raw = private_raw(Ed25519PrivateKey.generate())
                _file_write(path, raw)
                logger.info("generated this hub's signing key in %s", path)
    return private_key_load(raw)


def own_key() -> OwnKey:
    """This hub's current signing key (generated on first use), with its key
    statement pinned here. Cached per process; a rotation by another process
    (the ``keys`` command) is seen through the key file's change time."""
    path = Path(settings.HUBNET_SIGNING_KEY_FILE)
    stamp = _stamp(path)
    cached = _cache.get("own")
    if cached is not None and cached[0] == stamp and cached[2] == _db_alias():
        return cached[1]
    private = _private_load()
    key = OwnKey(private=private, key_id=key_id(public_raw(private)))
    _own_key_pin(key)
    _cache["own"] = (_stamp(path), key, _db_alias())
    return key


def _stamp(path: Path) -> tuple[str, str, int | None]:
    try:
        changed: int | None = path.stat().st_mtime_ns
    except FileNotFoundError:
        changed = None
    return (settings.HUBNET_SIGNING_KEY, str(path), changed)


def _db_alias() -> str:
    # Tests swap databases under one process: the pin must exist in each.
    return str(settings.DATABASES["default"].get("NAME"))


def own_key_pinned() -> OwnKey:
    """This hub's current key, making sure its statement is held here."""
    key = own_key()
    _own_key_pin(key)
    return key


def own_key_forget() -> None:
    """Drop the cached key (after the key or the database changed)."""
    _cache.pop("own", None)


def _statement_key(
    *, origin: str, new: Ed25519PrivateKey, signer: Ed25519PrivateKey, previous: str
) -> dict[str, Any]:
    public = public_raw(new)
    statement: dict[str, Any] = {
        "type": "key",
        "origin": origin,
        "keyId": key_id(public),
        "publicKey": b64encode(public),
        "createdAt": timestamp(timezone.now()),
        "previousKeyId": previous or None,
        "signedBy": key_id(public_raw(signer)),
    }
    statement["signature"] = sign(signer, statement_canonical(statement))
    return statement


def _own_key_pin(key: OwnKey) -> None:
    """Record the current key as this hub's, signed by itself when it is the
    first key (a key file replaced by hand starts a new chain peers refuse)."""
    origin = hub_identity().slug
    if HubKey.objects.filter(origin=origin, key_id=key.key_id).exists():
        return
    if HubKey.objects.filter(origin=origin, revoked_at__isnull=True).exists():
        logger.warning(
            "this hub's signing key changed without `hubnet keys rotate`: "
            "hubs that pinned the old key will quarantine its new records"
        )
    statement = _statement_key(
        origin=origin, new=key.private, signer=key.private, previous=""
    )
    HubKey.objects.get_or_create(
        origin=origin,
        key_id=key.key_id,
        defaults={
            "public_key": statement["publicKey"],
            "created_at": parse_datetime(statement["createdAt"]),
            "statements": [statement],
        },
    )


@transaction.atomic
def key_rotate() -> HubKey:
    """Replace this hub's signing key by a new one, announced by a statement
    signed with the old key; records signed by the old key stay valid, its
    records from now on are refused."""
    if settings.HUBNET_SIGNING_KEY:
        raise KeyOperationRefused(
            "HUBNET_SIGNING_KEY is set: generate a new key, set it, and restart "
            "(a rotation needs the old key to sign for the new one)"
        )
    old = own_key_pinned()
    origin = hub_identity().slug
    new = Ed25519PrivateKey.generate()
    statement = _statement_key(
        origin=origin, new=new, signer=old.private, previous=old.key_id
    )
    created = _moment(statement, "createdAt")
    pinned = HubKey.objects.create(
        origin=origin,
        key_id=statement["keyId"],
        public_key=statement["publicKey"],
        created_at=created,
        statements=[statement],
    )
    HubKey.objects.filter(origin=origin, key_id=old.key_id).update(rotated_at=created)
    transaction.on_commit(own_key_forget)
    _file_write(Path(settings.HUBNET_SIGNING_KEY_FILE), private_raw(new))
    return pinned


@transaction.atomic
def key_revoke(*, revoked_key_id: str) -> HubKey:
    """Revoke one of this hub's keys (rotating first when it is the current
    one): records signed with it that reach a hub afterwards are refused."""
    origin = hub_identity().slug
    own_key_pinned()
    target = HubKey.objects.filter(origin=origin, key_id=revoked_key_id).first()
    if target is None:
        raise KeyOperationRefused(f"this hub has no key {revoked_key_id}")
    if target.revoked_at is not None:
        return target
    if own_key().key_id == revoked_key_id:
        key_rotate()
        own_key_forget()
    signer = own_key()
    statement: dict[str, Any] = {
        "type": "revoke",
        "origin": origin,
        "keyId": revoked_key_id,
        "revokedAt": timestamp(timezone.now()),
        "signedBy": signer.key_id,
    }
    statement["signature"] = sign(signer.private, statement_canonical(statement))
    target.revoked_at = parse_datetime(statement["revokedAt"])
    target.statements = [*target.statements, statement]
    target.save(update_fields=["revoked_at", "statements"])
    return target


def key_statements() -> list[dict[str, Any]]:
    """Every key statement this hub holds (its own and the ones it pinned), in
    the order a receiver applies them; what the feed and the well-known URL serve."""
    own_key_pinned()
    statements: list[dict[str, Any]] = []
    for pinned in HubKey.objects.order_by("origin", "created_at"):
        statements.extend(pinned.statements)
    return statements


@dataclass
class PinResult:
    """What applying a neighbour's key statements did."""

    pinned: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    refused: list[tuple[dict[str, Any], str]] = field(default_factory=list)


def _moment(statement: dict[str, Any], name: str) -> dt.datetime:
    value = statement.get(name)
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        raise SignatureInvalid(f"{name} must be a moment with a time zone")
    return parsed


def key_statements_apply(*, statements: Iterable[Any]) -> PinResult:
    """Pin the keys and revocations a neighbour forwards that hold: a first key
    of an origin on first sight, later ones only when signed by a pinned key of
    the same origin. Statements already held are skipped; bad ones are refused
    with the reason and change nothing."""
    result = PinResult()
    me = hub_identity().slug
    items = [s for s in list(statements)[:MAX_STATEMENTS] if isinstance(s, dict)]
    items = [s for s in items if s.get("origin") != me]
    keys = sorted(
        (s for s in items if s.get("type") == "key"),
        key=lambda s: str(s.get("createdAt")),
    )
    revocations = [s for s in items if s.get("type") == "revoke"]
    for statement in [*keys, *revocations]:
        try:
            outcome = _statement_apply(statement)
        except SignatureInvalid as error:
            result.refused.append((statement, str(error)))
            continue
        if outcome == "pinned":
            result.pinned.append(f"{statement['origin']}:{statement['keyId']}")
        elif outcome == "revoked":
            result.revoked.append(f"{statement['origin']}:{statement['keyId']}")
    return result


def key_statements_pin(*, statements: list[Any], source: str) -> PinResult:
    """Pin the key statements neighbour ``source`` forwards; refused ones are
    logged and change nothing (that origin's records keep verifying against
    the keys pinned before)."""
    result = key_statements_apply(statements=statements)
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


def _signer(origin: str, statement: dict[str, Any]) -> HubKey:
    signer = HubKey.objects.filter(
        origin=origin, key_id=str(statement.get("signedBy"))
    ).first()
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


def _statement_apply(statement: dict[str, Any]) -> str:
    origin = str(statement.get("origin"))[:50]
    wanted = str(statement.get("keyId"))[:32]
    held = HubKey.objects.filter(origin=origin, key_id=wanted).first()
    if statement["type"] == "revoke":
        if held is None:
            raise SignatureInvalid(f"revokes a key of {origin} not pinned here")
        if held.revoked_at is not None:
            return "held"
        revoked_at = _moment(statement, "revokedAt")
        _signer(origin, statement)
        held.revoked_at = revoked_at
        held.statements = [*held.statements, statement]
        held.save(update_fields=["revoked_at", "statements"])
        return "revoked"
    if held is not None:
        return "held"
    public = public_key_load(str(statement.get("publicKey") or ""))
    raw = b64decode(statement["publicKey"], what="publicKey")
    if key_id(raw) != wanted:
        raise SignatureInvalid("keyId is not the id of publicKey")
    created = _moment(statement, "createdAt")
    if statement.get("signedBy") == wanted:
        if HubKey.objects.filter(origin=origin).exists():
            raise SignatureInvalid(
                f"a new key of {origin} signed by itself; "
                "only a rotation signed with a pinned key replaces it"
            )
        if not verify(
            public, statement.get("signature"), statement_canonical(statement)
        ):
            raise SignatureInvalid("the statement's signature does not verify")
    else:
        signer = _signer(origin, statement)
        HubKey.objects.filter(pk=signer.pk, rotated_at__isnull=True).update(
            rotated_at=created
        )
    HubKey.objects.create(
        origin=origin,
        key_id=wanted,
        public_key=statement["publicKey"],
        created_at=created,
        statements=[statement],
    )
    return "pinned"
