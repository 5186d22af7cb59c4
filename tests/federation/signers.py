"""An origin hub's signing keys, held by a test: it signs wire records and
writes key statements exactly as a hub does (the outside world of the hub
under test, which only sees what travels)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from federation.records import record_validate
from federation.signing import (
    b64encode,
    key_id,
    public_raw,
    record_canonical,
    sign,
    statement_canonical,
    timestamp,
)


class OriginKeys:
    """The key chain of one origin hub: its first key, then its rotations."""

    def __init__(self, origin: str, *, at: str = "2026-10-01T00:00:00+00:00") -> None:
        self.origin = origin
        self.private = Ed25519PrivateKey.generate()
        self.statements = [self._statement(self.private, self.private, None, at)]

    @property
    def key_id(self) -> str:
        return key_id(public_raw(self.private))

    def _statement(
        self,
        new: Ed25519PrivateKey,
        signer: Ed25519PrivateKey,
        previous: str | None,
        at: str,
    ) -> dict[str, Any]:
        statement: dict[str, Any] = {
            "type": "key",
            "origin": self.origin,
            "keyId": key_id(public_raw(new)),
            "publicKey": b64encode(public_raw(new)),
            "createdAt": timestamp(dt.datetime.fromisoformat(at)),
            "previousKeyId": previous,
            "signedBy": key_id(public_raw(signer)),
        }
        statement["signature"] = sign(signer, statement_canonical(statement))
        return statement

    def rotate(self, *, at: str) -> Ed25519PrivateKey:
        """A new key announced with the old one; returns the old private key."""
        old = self.private
        self.private = Ed25519PrivateKey.generate()
        self.statements.append(
            self._statement(self.private, old, key_id(public_raw(old)), at)
        )
        return old

    def revoke(self, revoked: str, *, at: str) -> dict[str, Any]:
        statement: dict[str, Any] = {
            "type": "revoke",
            "origin": self.origin,
            "keyId": revoked,
            "revokedAt": timestamp(dt.datetime.fromisoformat(at)),
            "signedBy": self.key_id,
        }
        statement["signature"] = sign(self.private, statement_canonical(statement))
        self.statements.append(statement)
        return statement

    def sign(
        self, wire: dict[str, Any], *, key: Ed25519PrivateKey | None = None
    ) -> dict[str, Any]:
        """``wire`` with the origin's signature and key id."""
        private = key or self.private
        record = record_validate(wire)
        return {
            **wire,
            "signature": sign(private, record_canonical(record)),
            "keyId": key_id(public_raw(private)),
        }
