"""The algorithm register kind: a URL serving a register export (JSON: an array
of entries, or pages ``{"results": [...], "next": url}``). Entries are mapped
and written by the register import (``standards.algoritmeregister``)."""

from __future__ import annotations

import json

from standards.algoritmeregister.services import (
    algoritmeregister_entries_parse,
    register_key,
)
from standards.harvest.dcat import PageMalformed
from standards.harvest.fetch import page_fetch
from standards.harvest.items import Item, Refusal, SourcePage


def register_page_read(*, url: str, deadline: float, publisher: str = "") -> SourcePage:  # noqa: ARG001  one signature for every kind
    """Fetch and read one page of a register export."""
    fetched = page_fetch(
        url=url,
        accept="application/json",
        media_types=("application/json",),
        deadline=deadline,
    )
    return register_page_parse(body=fetched.body, url=url)


def register_page_parse(*, body: bytes, url: str) -> SourcePage:
    """The entries of one page of a register export."""
    try:
        data = json.loads(body)
    except ValueError as error:
        raise PageMalformed(f"{url[:200]}: malformed JSON: {error}") from None
    page = SourcePage()
    if isinstance(data, dict) and isinstance(data.get("next"), str):
        page.next_url = data["next"]
    for entry in algoritmeregister_entries_parse(data=data):
        if not isinstance(entry, dict):
            page.items.append(Refusal("?", "an entry that is no JSON object"))
            continue
        national = entry.get("lars") or entry.get("uuid")
        key = register_key(entry=entry, national_id=str(national) if national else None)
        page.items.append(Item(key, entry, name=str(entry.get("name", ""))[:100]))
    return page
