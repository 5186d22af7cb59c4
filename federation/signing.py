"""Signed provenance: the canonical form a record version is signed in, and the
Ed25519 primitives both the signer (the origin hub) and every verifier use.

The canonical form of a record version is the UTF-8 encoding of
``"hubnet-record-v1\\n"`` followed by the JSON object of the fields that say
what a version is, with sorted keys, no whitespace and non-ASCII characters as
they are (``ensure_ascii=False``):

    id, kind, origin, originPath, originLevel, version, updatedAt (UTC,
    ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``), deleted, language, url,
    schemaVersion, body (the body in its validated wire form, null for a
    tombstone)

``signature`` and ``keyId`` are not part of it. A key statement (a hub's key,
a rotation, a revocation) is signed the same way with the prefix
``"hubnet-key-v1\\n"`` over the statement without its ``signature``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

if TYPE_CHECKING:
    from federation.records import Record

RECORD_PREFIX = b"hubnet-record-v1\n"
STATEMENT_PREFIX = b"hubnet-key-v1\n"
KEY_ID_CHARS = 16


class SignatureInvalid(ValueError):
    """A signature, key or statement that does not hold; the message says why."""


def canonical_json(value: Any) -> bytes:
    """JSON with sorted keys, no whitespace, UTF-8, non-ASCII kept as is."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def timestamp(value: dt.datetime) -> str:
    """A moment in the one text form signed statements and records use."""
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def record_canonical(record: Record) -> bytes:
    """The bytes the origin signs for one version of a record."""
    return RECORD_PREFIX + canonical_json(
        {
            "id": record.id,
            "kind": record.kind.value,
            "origin": record.origin,
            "originPath": list(record.origin_path),
            "originLevel": record.origin_level,
            "version": record.version,
            "updatedAt": timestamp(record.updated_at),
            "deleted": record.deleted,
            "language": record.language,
            "url": str(record.url) if record.url else None,
            "schemaVersion": record.schema_version,
            "body": record.body,
        }
    )


def statement_canonical(statement: dict[str, Any]) -> bytes:
    """The bytes a key statement's signature covers."""
    unsigned = {k: v for k, v in statement.items() if k != "signature"}
    return STATEMENT_PREFIX + canonical_json(unsigned)


def b64encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def b64decode(text: Any, *, what: str) -> bytes:
    if not isinstance(text, str) or len(text) > 200:
        raise SignatureInvalid(f"{what} must be base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureInvalid(f"{what} is not valid base64") from None


def public_raw(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def private_raw(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def private_key_load(raw: bytes) -> Ed25519PrivateKey:
    if len(raw) != 32:
        raise SignatureInvalid("an Ed25519 private key is 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_load(text: str) -> VerifyKey:
    """A public key (base64 of the raw 32 bytes) ready to verify with.

    Verification goes through libsodium (PyNaCl): about twice as fast as
    OpenSSL's Ed25519 on the same machine, and every record a hub applies pays
    for one. Signatures are plain Ed25519 either way.
    """
    raw = b64decode(text, what="publicKey")
    if len(raw) != 32:
        raise SignatureInvalid("an Ed25519 public key is 32 bytes")
    return VerifyKey(raw)


def key_id(public: bytes) -> str:
    """A key's id: the first 16 hex digits of SHA-256 of the raw public key."""
    return hashlib.sha256(public).hexdigest()[:KEY_ID_CHARS]


def sign(private_key: Ed25519PrivateKey, message: bytes) -> str:
    return b64encode(private_key.sign(message))


def verify(public_key: VerifyKey, signature: Any, message: bytes) -> bool:
    """Whether ``signature`` (base64) is the key's signature of ``message``."""
    try:
        raw = b64decode(signature, what="signature")
        if len(raw) != 64:
            return False
        public_key.verify(message, raw)
    except (SignatureInvalid, BadSignatureError):
        return False
    return True
