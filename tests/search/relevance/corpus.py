"""The relevance set's corpus: the demo's seed (as a hub indexes it) and the real
algorithm register entries of ../shared/data, as published records in wire form.

Demo records keep their demo ids and texts, so their vectors come from the
shipped file; the register entries are embedded live by the fill step.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from federation.records import body_validate, record_validate
from hubnet.demo.data import demo_plan
from hubnet.demo.hubs import demo_network
from standards.algoritmeregister.legacy import legacy_translate
from standards.algoritmeregister.mapping import body_from_entry
from standards.algoritmeregister.schema import entry_validate
from tests.standards.algoritmeregister.helpers import DATA

# A copy of ../shared/data/algoritmeregister_entries_nl.json (the real export).
REGISTER_FILE = DATA / "algoritmeregister_entries_nl.json"
REGISTER_HUB = "nl"
UPDATED_AT = "2026-01-01T00:00:00Z"


def register_source(entry: dict[str, Any]) -> str:
    """The source key the needs file names a register entry by."""
    return f"register:{entry['organization'].strip()}/{entry['name'].strip()}"


def relevance_corpus() -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Every record (wire form) and the record id of every source key."""
    network = demo_network()
    records: list[dict[str, Any]] = []
    ids: dict[str, str] = {}
    for items in demo_plan(network.hubs).values():
        for item in items:
            records.append(
                _wire(
                    network,
                    item.hub,
                    item.record_id,
                    item.kind,
                    item.language,
                    body_validate(kind=item.kind, body=item.body),
                )
            )
            ids[item.source] = item.record_id
    for entry in json.loads(REGISTER_FILE.read_text(encoding="utf-8")):
        translated = legacy_translate(entry)
        checked = entry_validate(translated.entry, legacy=True)
        checked = checked.model_copy(update=translated.full_texts)
        body = body_validate(kind="project", body=body_from_entry(checked))
        source = register_source(entry)
        record_id = f"{REGISTER_HUB}:project:{uuid.uuid5(uuid.NAMESPACE_URL, source)}"
        records.append(_wire(network, REGISTER_HUB, record_id, "project", "nl", body))
        ids[source] = record_id
    return records, ids


def _wire(
    network: Any,
    hub: str,
    record_id: str,
    kind: str,
    language: str,
    body: dict[str, Any],
) -> dict[str, Any]:
    data = {
        "id": record_id,
        "kind": kind,
        "origin": hub,
        "originPath": network.path(hub),
        "originLevel": network.hub(hub).level,
        "version": 1,
        "updatedAt": UPDATED_AT,
        "deleted": False,
        "language": language,
        "url": f"https://{hub}.example.org/r/{record_id}",
        "schemaVersion": 1,
        "body": body,
    }
    return record_validate(data).wire()
