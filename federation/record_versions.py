"""Which record schema version an own record is written in.

A record is written with the lowest version that has every field its body uses,
so a hub still on an older schema keeps reading the records that need nothing
newer; only a record using a newer field waits at such a hub (quarantined with
the reason) until it is upgraded.
"""

from __future__ import annotations

from typing import Any

# The body fields each schema version added, by kind (wire names).
FIELDS_ADDED: dict[int, dict[str, frozenset[str]]] = {
    4: {"dataset": frozenset({"source"})},
}


def schema_version_of(*, kind: str, body: dict[str, Any] | None) -> int:
    """The lowest schema version that has every field of ``body`` (wire names)."""
    for version in sorted(FIELDS_ADDED, reverse=True):
        if body and FIELDS_ADDED[version].get(kind, frozenset()) & body.keys():
            return version
    return min(FIELDS_ADDED) - 1
