"""Reading Wagtail's audit log in tests: the one entry an act left, as text."""

from __future__ import annotations

import json

from wagtail.models import ModelLogEntry


def the_one_entry() -> ModelLogEntry:
    """The only entry in the audit log of non-page models (fails on none or more)."""
    (entry,) = ModelLogEntry.objects.all()
    return entry


def entry_text(entry: ModelLogEntry) -> str:
    """Everything the entry stores, as one string (to look for secrets in it)."""
    return " ".join(
        [
            entry.action,
            entry.label,
            entry.object_id,
            json.dumps(entry.data),
            str(entry.message),
        ]
    )
