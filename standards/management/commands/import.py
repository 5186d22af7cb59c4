"""``hubnet import <standard> FILE``: entries of an open standard as draft pages.

Standards: ``algoritmeregister`` (the Dutch algorithm register, 1.0 and 0.x).
Prints one line per entry (created, updated, unchanged, skipped with reason)
and a summary. Exit status 0 when every entry was imported, 1 when some were
skipped (the good ones are imported all the same).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from standards.algoritmeregister.services import (
    ImportReport,
    algoritmeregister_entries_parse,
    algoritmeregister_import,
)


def _algoritmeregister(data: Any, *, user: Any, dry_run: bool) -> ImportReport:
    return algoritmeregister_import(
        entries=algoritmeregister_entries_parse(data=data), user=user, dry_run=dry_run
    )


IMPORTERS: dict[str, Callable[..., ImportReport]] = {
    "algoritmeregister": _algoritmeregister,
}


class Command(BaseCommand):
    help = (
        "Import a file of an open standard as draft pages, e.g. `hubnet import "
        "algoritmeregister register.json` (Dutch algorithm register, standard 1.0 "
        "or 0.x). Prints one line per entry and a summary. Exit status 0 when "
        "every entry was imported, 1 when some were skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("standard", choices=sorted(IMPORTERS))
        parser.add_argument("file", type=Path, help="A JSON file of entries.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and report every entry, write nothing.",
        )
        parser.add_argument(
            "--user", help="Username to record as the author of the drafts."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path} is not a JSON file: {error}") from None
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}")
        report = IMPORTERS[options["standard"]](
            data, user=user, dry_run=options["dry_run"]
        )
        for line in report.lines:
            self.stdout.write(line.text())
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(
                f"{report.count('skipped')} of {len(report.lines)} entries skipped",
                returncode=1,
            )
