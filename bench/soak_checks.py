"""The soak's end checks: what each hub holds, what the shared index holds, the
digests, the hubs' health, and the tracebacks in the hubs' logs."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from hubnet.localnet import RunningNetwork, hub_health
from hubnet.processes import run_checked

State = dict[str, tuple[int, bool]]

_SNAPSHOT = (
    "import json, sys\n"
    "from federation.models import StoredRecord as R\n"
    "from federation.selectors import catalogue_digest\n"
    "origins = json.loads(sys.argv[-1])\n"
    "rows = R.objects.values_list('record_id', 'version', 'deleted')\n"
    "print(json.dumps({'digests': {o: catalogue_digest(origin=o) for o in origins},"
    " 'state': [list(row) for row in rows.iterator(chunk_size=5000)]}))"
)


def hub_snapshot(
    running: RunningNetwork, slug: str, origins: list[str]
) -> dict[str, Any]:
    """What hub ``slug`` holds, in one process with the hub's environment: the
    catalogue digest of each of ``origins`` (as ``hubnet catalogue_digest --origin``
    prints it) and every record's state, id → (version, deleted)."""
    answer = json.loads(
        run_checked(
            [sys.executable, "-c", _SHELL, _SNAPSHOT, json.dumps(origins)],
            env=running.environments[slug],
            timeout=300,
        )
        .strip()
        .splitlines()[-1]
    )
    state: State = {
        record_id: (version, bool(deleted))
        for record_id, version, deleted in answer["state"]
    }
    return {"digests": answer["digests"], "state": state}


# ``hubnet shell -c`` cannot pass arguments: run the code with django set up.
_SHELL = (
    "import os, sys, django\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hubnet.settings.base')\n"
    "django.setup()\n"
    "exec(sys.argv[1])"
)


def snapshots_read(
    running: RunningNetwork, eu: str, origins: list[str]
) -> dict[str, dict[str, Any]]:
    """``hub_snapshot`` of the EU hub (every origin) and of each origin (its
    own), two at a time."""

    def one(slug: str) -> dict[str, Any]:
        return hub_snapshot(running, slug, origins if slug == eu else [slug])

    slugs = [eu, *origins]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(slugs, pool.map(one, slugs), strict=True))


def digests_compare(snapshots: dict[str, dict[str, Any]], eu: str) -> dict:
    """Per origin: its own digest against the EU hub's digest of that origin."""
    compared = {}
    for origin, snapshot in snapshots.items():
        if origin == eu:
            continue
        own = snapshot["digests"][origin]
        held = snapshots[eu]["digests"][origin]
        compared[origin] = {
            "records": own["records"],
            "deleted": own["deleted"],
            "equal": (own["records"], own["digest"])
            == (held["records"], held["digest"]),
        }
    return compared


def index_state(search_url: str, alias: str, *, timeout: float = 30) -> State:
    """Every document of the shared index: id → (version, deleted), read from the
    engine directly (scroll)."""
    session = requests.Session()
    session.trust_env = False
    session.post(f"{search_url}/{alias}/_refresh", timeout=timeout).raise_for_status()
    answer = session.post(
        f"{search_url}/{alias}/_search",
        params={"scroll": "2m"},
        json={"size": 1000, "version": True, "_source": ["deleted"], "sort": ["_doc"]},
        timeout=timeout,
    )
    answer.raise_for_status()
    page = answer.json()
    state: State = {}
    scroll_id = page.get("_scroll_id")
    try:
        while page["hits"]["hits"]:
            for hit in page["hits"]["hits"]:
                state[hit["_id"]] = (
                    hit["_version"],
                    bool(hit["_source"].get("deleted")),
                )
            response = session.post(
                f"{search_url}/_search/scroll",
                json={"scroll": "2m", "scroll_id": scroll_id},
                timeout=timeout,
            )
            response.raise_for_status()
            page = response.json()
            scroll_id = page.get("_scroll_id", scroll_id)
    finally:
        if scroll_id:
            session.delete(
                f"{search_url}/_search/scroll",
                json={"scroll_id": scroll_id},
                timeout=timeout,
            )
    return state


def index_drop(search_url: str, alias: str) -> None:
    """Delete the physical indices of ``alias`` (a soak on a shared engine)."""
    session = requests.Session()
    session.trust_env = False
    session.delete(
        f"{search_url}/{alias}-v*",
        params={"expand_wildcards": "open,closed"},
        timeout=60,
    )


def differences(expected: State, actual: State) -> list[str]:
    """Record ids whose (version, deleted) differ or that one side lacks."""
    return sorted(
        record_id
        for record_id in set(expected) | set(actual)
        if expected.get(record_id) != actual.get(record_id)
    )


def unhealthy_hubs(running: RunningNetwork) -> dict[str, Any]:
    """Hubs whose /healthz is not ok, with their answer."""
    answers = {
        slug: hub_health(running.network.url(slug), timeout=10)
        for slug in running.network.ports
    }
    return {
        slug: answer
        for slug, answer in answers.items()
        if not answer or answer.get("status") != "ok"
    }


_EXCEPTION_LINE = re.compile(r"^(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Timeout)\b.*")


def log_tracebacks(log_dir: Path) -> dict[str, Any]:
    """Tracebacks per log file, and the most frequent exception lines."""
    per_file: dict[str, int] = {}
    kinds: Counter[str] = Counter()
    for path in sorted(log_dir.glob("*.log")):
        lines = path.read_text(errors="replace").splitlines()
        count = 0
        for index, line in enumerate(lines):
            if "Traceback (most recent call last)" not in line:
                continue
            count += 1
            for following in lines[index + 1 : index + 200]:
                if _EXCEPTION_LINE.match(following.strip()):
                    kinds[following.strip()[:160]] += 1
                    break
        if count:
            per_file[path.name] = count
    return {"per_file": per_file, "top": kinds.most_common(8)}


def report_write(path: Path, report: dict[str, Any]) -> None:
    path.write_text(json.dumps(report, indent=1))
