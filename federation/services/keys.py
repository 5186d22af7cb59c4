"""Signing keys: this hub's own key (kept like the secret key), its rotation and
revocation, and the pinning of other origins' keys from signed key statements.

A key statement introduces a key (signed by itself the first time, by the key
it replaces after a rotation) or revokes one (signed by a key of the same
origin). A hub pins the first key it sees of an origin and afterwards accepts a
new key only through a statement signed by one it has pinned; it forwards every
statement it pinned, so the key set of a hub several hops down reaches the top.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from federation.services.key_pins import (
    PinResult as PinResult,
)
from federation.services.key_pins import (
    key_statements_apply as key_statements_apply,
)
from federation.services.key_pins import (
    key_statements_pin as key_statements_pin,
)
from federation.services.key_pins import statement_moment
from federation.signing import (
    b64decode,
    b64encode,
    key_id,
    private_key_load,
    private_raw,
    public_raw,
    sign,
    statement_canonical,
    timestamp,
)
from hubs.identity import hub_identity
from hubs.models import HubKey

logger = logging.getLogger(__name__)


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


def key_statement_build(
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
    statement = key_statement_build(
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
    statement = key_statement_build(
        origin=origin, new=new, signer=old.private, previous=old.key_id
    )
    created = statement_moment(statement, "createdAt")
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
