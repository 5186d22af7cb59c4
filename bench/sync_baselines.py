"""Baselines of the federation sync benchmark, in the same run: fetching the
feed over HTTP without applying it, and the raw bulk upsert of the same records
into the syncing hub's database (the physical limit of applying)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.e2e.driver import NetworkDriver

FEED_QUERY = "query($after: String) { changes(after: $after, first: 500) { pageInfo { hasNextPage endCursor } edges { cursor sequence wire } } }"  # noqa: E501

# The physical limit of applying: the same wire records upserted, page by page
# (one transaction each, as the sync commits), into a scratch table shaped like
# the store (same columns, constraints and indexes) of the syncing hub's own
# database, with no validation, no hashing and no signature check. PostgreSQL:
# COPY into a temporary table, then INSERT ... SELECT ... ON CONFLICT DO
# UPDATE; SQLite: executemany of INSERT ... ON CONFLICT DO UPDATE.
_RAW_UPSERT = """
import json, sys, time
from hubnet.cli import _setup_django
_setup_django()
from django.db import connection, transaction
from django.utils import timezone
from federation.models import StoredRecord
postgres = connection.vendor == "postgresql"
columns = [f.column for f in StoredRecord._meta.concrete_fields if not f.primary_key]
updated = [c for c in columns if c != "record_id"]
source = StoredRecord._meta.db_table
with connection.cursor() as cursor:
    cursor.execute("DROP TABLE IF EXISTS bench_raw_upsert")
    if postgres:
        cursor.execute(f"CREATE TABLE bench_raw_upsert (LIKE {source} INCLUDING ALL)")
    else:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL",
            [source],
        )
        for (sql,) in cursor.fetchall():
            sql = sql.replace(source, "bench_raw_upsert")
            for word in ("INDEX ", "INDEX IF NOT EXISTS "):
                sql = sql.replace(word + '"', word + '"bench_')
            cursor.execute(sql)
with open(sys.argv[1]) as lines:
    wires = [json.loads(line) for line in lines]
names = ", ".join(columns)
conflict = ", ".join(f"{c} = EXCLUDED.{c}" for c in updated)
started = time.perf_counter()
for first in range(0, len(wires), int(sys.argv[2])):
    page = wires[first : first + int(sys.argv[2])]
    now = timezone.now()
    rows = []
    for number, w in enumerate(page, start=first + 1):
        body = w["body"] or {}
        row = {
            "record_id": w["id"], "kind": w["kind"], "origin": w["origin"],
            "origin_path": json.dumps(w["originPath"]),
            "origin_level": w.get("originLevel") or "", "version": w["version"],
            "updated_at": w["updatedAt"], "deleted": w["deleted"],
            "language": w["language"], "url": w.get("url") or "",
            "schema_version": w["schemaVersion"],
            "body": json.dumps(w["body"]) if w["body"] is not None else None,
            "title": str(body.get("name") or body.get("title") or "")[:300],
            "country": "", "content_hash": "",
            "signature": w.get("signature") or "", "key_id": w.get("keyId") or "",
            "verified": False, "seq": number, "received_from": "bench",
            "stored_at": now,
        }
        rows.append([row[c] for c in columns])
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS bench_incoming ON COMMIT DROP "
                "AS SELECT * FROM bench_raw_upsert WITH NO DATA"
            )
            copying = f"COPY bench_incoming ({names}) FROM STDIN"
            with cursor.cursor.copy(copying) as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO bench_raw_upsert ({names}) SELECT {names} FROM "
                f"bench_incoming ON CONFLICT (record_id) DO UPDATE SET {conflict}"
            )
        else:
            cursor.executemany(
                f"INSERT INTO bench_raw_upsert ({names}) VALUES "
                f"({', '.join(['%s'] * len(columns))}) "
                f"ON CONFLICT (record_id) DO UPDATE SET {conflict}",
                rows,
            )
seconds = time.perf_counter() - started
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM bench_raw_upsert")
    held = cursor.fetchone()[0]
    cursor.execute("DROP TABLE bench_raw_upsert")
print("RAW", held, round(seconds, 3))
"""


def raw_upsert(network: NetworkDriver, slug: str, wires_file: Path) -> dict:
    """The physical limit of applying, in the syncing hub's database."""
    completed = subprocess.run(
        [sys.executable, "-c", _RAW_UPSERT, str(wires_file), "500"],
        env=network.environments[slug],
        capture_output=True,
        text=True,
        check=True,
    )
    held, seconds = completed.stdout.split("RAW", 1)[1].split()
    return {
        "records": int(held),
        "seconds": float(seconds),
        "records_per_second": round(int(held) / float(seconds)),
    }


def raw_fetch(
    network: NetworkDriver, source: str, token: str, wires_file: Path | None = None
) -> dict:
    """Baseline: page through the same feed over HTTP, parse JSON, apply nothing
    (the wire records are written to ``wires_file`` afterwards, untimed)."""
    started = time.perf_counter()
    after, count = None, 0
    pages = []
    with requests.Session() as session:
        while True:
            response = session.post(
                f"{network.network.url(source)}/graphql",
                json={"query": FEED_QUERY, "variables": {"after": after}},
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            )
            changes = response.json()["data"]["changes"]
            count += len(changes["edges"])
            if wires_file is not None:
                pages.append(changes["edges"])
            after = changes["pageInfo"]["endCursor"]
            if not changes["pageInfo"]["hasNextPage"]:
                break
    seconds = time.perf_counter() - started
    if wires_file is not None:
        with wires_file.open("w") as out:
            for edges in pages:
                for edge in edges:
                    out.write(json.dumps(edge["wire"]) + "\n")
    return {"records": count, "seconds": round(seconds, 3)}
