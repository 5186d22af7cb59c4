"""Verifying the origin's signature of records from neighbours before they are
applied: a record of an origin whose key is pinned here must carry a valid
signature by one of its keys that was neither replaced nor revoked before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from nacl.signing import VerifyKey

from federation.records import Record
from federation.signing import public_key_load, record_canonical, verify
from hubs.models import HubKey


@dataclass(frozen=True)
class _Pinned:
    public: VerifyKey
    rotated_at: dt.datetime | None
    revoked: bool


class KeyPin(Protocol):
    """What the ring reads of a pinned key (a ``HubKey`` row)."""

    origin: str
    key_id: str
    public_key: str
    rotated_at: dt.datetime | None
    revoked_at: dt.datetime | None


class KeyRing:
    """The pinned keys of a set of origins, loaded once (one query) and parsed
    once, for checking a page of records. ``pins`` gives the pinned keys of a
    store other than this hub's database (then nothing is queried)."""

    def __init__(
        self, origins: Iterable[str], *, pins: Iterable[KeyPin] | None = None
    ) -> None:
        self._keys: dict[str, dict[str, _Pinned]] = {}
        wanted = set(origins)
        rows = (
            HubKey.objects.filter(origin__in=wanted)
            if pins is None
            else (pin for pin in pins if pin.origin in wanted)
        )
        for pinned in rows:
            self._keys.setdefault(pinned.origin, {})[pinned.key_id] = _Pinned(
                public=public_key_load(pinned.public_key),
                rotated_at=pinned.rotated_at,
                revoked=pinned.revoked_at is not None,
            )

    def knows(self, origin: str) -> bool:
        return origin in self._keys

    def refusal(self, record: Record) -> str | None:
        """Why ``record`` may not be applied (None: it verifies, or its origin
        has no pinned key yet and it travels as unverified)."""
        keys = self._keys.get(record.origin)
        if keys is None:
            return None
        if not record.signature or not record.key_id:
            return f"unsigned, but the key of {record.origin} is pinned here"
        pinned = keys.get(record.key_id)
        if pinned is None:
            return (
                f"signed with key {record.key_id}, not a pinned key of {record.origin}"
            )
        if pinned.revoked:
            return f"signed with key {record.key_id} of {record.origin}, revoked"
        if pinned.rotated_at is not None and record.updated_at > pinned.rotated_at:
            return (
                f"signed with key {record.key_id} of {record.origin} after its "
                f"rotation at {pinned.rotated_at.isoformat()}"
            )
        if not verify(pinned.public, record.signature, record_canonical(record)):
            return f"the signature of {record.origin} does not verify"
        return None
