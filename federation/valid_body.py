"""A record body validated once and carried to its publish, which then does not
validate it a second time (a harvest checks each body before it writes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from federation.records import Kind, body_validate


@dataclass(frozen=True)
class ValidBody:
    """A body that ``body_validated`` validated and normalised for ``kind`` (only
    it makes one): publishing it does not validate it a second time."""

    kind: str
    body: dict[str, Any]


def body_validated(*, kind: str, body: dict[str, Any]) -> ValidBody:
    """``body_validate``'s result, marked as validated for ``kind``; raises
    ``RecordInvalid`` as it does."""
    return ValidBody(kind=Kind(kind).value, body=body_validate(kind=kind, body=body))
