"""``hubnet search status|drain|reindex|redrive|replicas``: the shared index from
the command line.

- ``status``: backlog (changes not yet in the index), the alias and its physical
  indices with document counts, live and deleted records, engine health, the
  change that holds the drain and the dead letters (changes refused for good);
- ``drain``: drain the outbox now (what the beat task does), until it is empty;
- ``reindex``: build a new physical index and swap the alias (``search.rebuild``);
  searches keep answering meanwhile;
- ``redrive --all | --record ID ...``: send dead-lettered records again (after the
  cause is fixed); the ones the engine takes leave the dead letters;
- ``replicas``: give the index behind the alias the replicas of
  ``SEARCH_INDEX_REPLICAS`` (``search.replicas``).

Add ``--json`` for machine-readable output.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.embeddings.status import embedding_status
from search.engine import SearchError
from search.indexing import index_drain
from search.rebuild import index_rebuild
from search.redrive import dead_letters_redrive
from search.replicas import index_replicas_apply
from search.selectors import IndexStatus, index_status


class Command(BaseCommand):
    help = (
        "Shared search index: status, drain, reindex, redrive dead letters or "
        "apply the replica setting."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["status", "drain", "reindex", "redrive", "replicas"]
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print JSON"
        )
        parser.add_argument(
            "--all",
            dest="redrive_all",
            action="store_true",
            help="redrive: every dead letter",
        )
        parser.add_argument(
            "--record",
            dest="record_ids",
            action="append",
            metavar="ID",
            help="redrive: this record's dead letter (repeat for more)",
        )

    def handle(
        self,
        *args: Any,
        action: str,
        as_json: bool,
        redrive_all: bool,
        record_ids: list[str] | None,
        **options: Any,
    ) -> None:
        if action != "redrive" and (redrive_all or record_ids):
            raise CommandError("--all and --record go with `redrive` only")
        if action == "redrive" and redrive_all == bool(record_ids):
            raise CommandError("redrive needs either --all or --record ID (not both)")
        try:
            if action == "status":
                self._status(as_json=as_json)
            elif action == "drain":
                self._drain(as_json=as_json)
            elif action == "redrive":
                self._redrive(record_ids=record_ids, as_json=as_json)
            elif action == "replicas":
                applied = index_replicas_apply()
                summary = {"index": applied.index, **applied.settings}
                self.stdout.write(_dumps(summary) if as_json else _line(summary))
            else:
                self._reindex(as_json=as_json)
        except SearchError as error:
            raise CommandError(f"search engine: {error}") from error

    def _status(self, *, as_json: bool) -> None:
        status = index_status()
        vectors = embedding_status()
        if as_json:
            answer = {**status.as_dict(), "vectors": vectors.as_dict()}
            self.stdout.write(_dumps(answer))
            return
        engine = status.engine
        lines = [
            f"engine:     {engine.engine} {engine.version or ''} {engine.status}"
            + (f" ({engine.detail})" if engine.detail else ""),
            f"alias:      {status.alias} -> {', '.join(status.alias_targets) or '-'}",
            f"backlog:    {status.backlog} (indexed up to seq {status.watermark} "
            f"of {status.latest_seq})",
            f"records:    {_count(status.live)} live, "
            f"{_count(status.tombstones)} deleted",
        ]
        lines += [
            f"index:      {name} {docs} docs" for name, docs in status.indices.items()
        ]
        if status.last_error:
            lines.append(
                f"last error: {status.last_error_at:%Y-%m-%d %H:%M:%S} "
                f"{status.last_error}"
            )
        lines += _dead_letter_lines(status)
        lines += vectors.lines()
        self.stdout.write("\n".join(lines))

    def _redrive(self, *, record_ids: list[str] | None, as_json: bool) -> None:
        result = dead_letters_redrive(record_ids=record_ids)
        summary = result.as_dict()
        self.stdout.write(_dumps(summary) if as_json else _line(summary))
        if result.unknown:
            raise CommandError(
                f"no dead letter for: {', '.join(result.unknown)} "
                "(see `hubnet search status`)"
            )

    def _drain(self, *, as_json: bool) -> None:
        totals = {"written": 0, "stale": 0, "failed": 0, "dead_lettered": 0, "pages": 0}
        while True:
            result = index_drain()
            for key in totals:
                totals[key] += getattr(result, key)
            if result.busy or result.failed or not result.pages or not result.backlog:
                break
        totals.update(
            watermark=result.watermark, backlog=result.backlog, busy=result.busy
        )
        self.stdout.write(_dumps(totals) if as_json else _line(totals))
        if result.failed:
            raise CommandError("the engine refused changes; see `hubnet search status`")

    def _reindex(self, *, as_json: bool) -> None:
        result = index_rebuild(
            progress=None if as_json else lambda line: self.stdout.write(line)
        )
        summary = {
            "old": result.old_index,
            "new": result.new_index,
            "copied": result.copied,
            "ownWritten": result.own_written,
            "caughtUp": result.caught_up,
            "documents": result.documents,
            "seconds": result.seconds,
        }
        self.stdout.write(_dumps(summary) if as_json else _line(summary))


def _dead_letter_lines(status: IndexStatus) -> list[str]:
    """The change holding the drain, and the dead letters with their reasons."""
    lines = []
    if status.failing_seq is not None:
        since = status.failing_since
        counted = (
            f"attempt {status.failing_attempts} of {status.max_attempts}"
            if status.failing_attempts
            else "a transient refusal, retried without counting"
        )
        lines.append(
            f"held at:    seq {status.failing_seq}, {counted}"
            + (f", failing since {_when(since)}" if since else "")
        )
    lines.append(
        f"dead letters: {status.dead_letters}"
        + (" (re-drive: hubnet search redrive --all)" if status.dead_letters else "")
    )
    for row in status.dead_letters_recent:
        reason = row.reason if len(row.reason) <= 300 else row.reason[:299] + "…"
        lines += [
            f"  {row.record_id} v{row.version} (seq {row.seq}): {row.status} {reason}",
            f"      {row.attempts} attempt{'' if row.attempts == 1 else 's'}, "
            f"failing since "
            f"{_when(row.first_failed_at)}, last {_when(row.last_failed_at)}",
        ]
    hidden = status.dead_letters - len(status.dead_letters_recent)
    if hidden > 0:
        lines.append(f"  ... and {hidden} more")
    return lines


def _when(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC"


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, default=str)


def _line(data: dict[str, Any]) -> str:
    return " ".join(f"{key}={value}" for key, value in data.items())


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)
