"""What a kind reads from one page of a source: items, refusals and the way on."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


class ItemRefused(ValueError):
    """One item cannot be harvested; the message says why."""


@dataclass(frozen=True)
class Item:
    """One item of a source: its identifier there and what it maps to (page
    values for a dataset, the raw entry for the register)."""

    source_id: str
    data: dict[str, Any]
    name: str = ""
    deleted: bool = False
    # What was left out of the item, and why (reported on the run, not refused).
    note: str = ""

    @cached_property
    def content_hash(self) -> str:
        """A hash of the mapped content: equal hashes mean nothing to write
        (taken once; a page reader process takes it before sending the item)."""
        text = json.dumps(self.data, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Refusal:
    """An item of a source that is refused, with the reason."""

    source_id: str
    reason: str


@dataclass
class SourcePage:
    """One page of a source: its items in order and the URL of the next page."""

    items: list[Item | Refusal] = field(default_factory=list)
    next_url: str = ""
    watermark: str = ""
