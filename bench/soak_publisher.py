"""The soak's publisher at one hub: a long-lived process with the hub's
environment that creates, edits and withdraws the hub's own records through the
federation store services, one command a line on stdin, one JSON answer a line
on stdout (so a publish costs no Django start).

Commands: ``{"op": "seed", "count": N}``, ``{"op": "create"}``,
``{"op": "edit", "id": ID}``, ``{"op": "withdraw", "id": ID}``. Every answer
carries the state the hub's database holds after the command (id, version,
deleted) and the wall-clock time it was committed, also when the command failed
(a failure after the commit, such as a broker error, still changed the record).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import traceback
import uuid
from typing import Any

import django

KINDS = ("project", "dataset", "organisation")


def body_new(kind: str, rng: random.Random, *, revision: int = 0) -> dict[str, Any]:
    """A valid body of ``kind``; ``revision`` makes an edit differ from before."""
    tag = f"{uuid.uuid4().hex[:8]} r{revision}"
    lat, lon = round(rng.uniform(50.8, 53.4), 5), round(rng.uniform(3.4, 7.1), 5)
    if kind == "project":
        return {
            "name": f"Soak project {tag}",
            "shortDescription": f"A synthetic project of the soak test ({tag}).",
            "organisation": "Soak test",
            "status": rng.choice(["idea", "pilot", "in-use"]),
            "aiActClass": rng.choice(["minimal", "limited"]),
            "location": {"lat": lat, "lon": lon, "country": "NL"},
        }
    if kind == "dataset":
        return {
            "title": f"Soak dataset {tag}",
            "publisher": "Soak test",
            "accessRights": "public",
        }
    return {
        "name": f"Soak organisation {tag}",
        "type": rng.choice(["sme", "company", "knowledge-institution"]),
        "location": {"lat": lat, "lon": lon, "country": "NL"},
    }


class _Publisher:
    """Runs one command against the federation store and reports the state held
    afterwards (Django is set up before this is built)."""

    def __init__(self) -> None:
        self.rng = random.Random()
        self.revisions: dict[str, int] = {}

    def state(self, record_id: str) -> dict[str, Any]:
        from federation.models import StoredRecord

        stored = StoredRecord.objects.filter(record_id=record_id).first()
        if stored is None:
            return {"id": record_id, "version": None, "deleted": None}
        return {"id": record_id, "version": stored.version, "deleted": stored.deleted}

    def run(self, command: dict[str, Any]) -> list[dict[str, Any]]:
        from federation.services.store import (
            PublishItem,
            record_publish,
            record_tombstone,
            records_publish,
        )

        op, rng = command["op"], self.rng
        if op == "seed":
            items = [
                PublishItem(kind=kind, body=body_new(kind, rng))
                for kind in (rng.choice(KINDS) for _ in range(int(command["count"])))
            ]
            return [
                self.state(stored.record_id) for stored in records_publish(items=items)
            ]
        if op == "create":
            kind = rng.choice(KINDS)
            stored = record_publish(kind=kind, body=body_new(kind, rng))
            return [self.state(stored.record_id)]
        record_id = command["id"]
        if op == "edit":
            kind = record_id.split(":")[1]
            self.revisions[record_id] = self.revisions.get(record_id, 0) + 1
            body = body_new(kind, rng, revision=self.revisions[record_id])
            record_publish(kind=kind, body=body, record_id=record_id)
            return [self.state(record_id)]
        if op == "withdraw":
            record_tombstone(record_id=record_id)
            return [self.state(record_id)]
        raise ValueError(f"unknown op {op!r}")

    def answer(self, command: dict[str, Any]) -> dict[str, Any]:
        """The answer line to ``command``: the records' state, and on failure the
        error with the state held anyway (the commit may have happened)."""
        answer: dict[str, Any] = {"op": command["op"]}
        try:
            answer["records"] = self.run(command)
        except Exception as error:
            answer["error"] = f"{error!r}"
            answer["traceback"] = traceback.format_exc(limit=5)
            if "id" in command:
                try:
                    answer["records"] = [self.state(command["id"])]
                except Exception:
                    answer["records"] = []
        answer["at"] = time.time()
        return answer


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubnet.settings.base")
    django.setup()
    publisher = _Publisher()
    for line in sys.stdin:
        if not line.strip():
            continue
        print(json.dumps(publisher.answer(json.loads(line))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
