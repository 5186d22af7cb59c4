"""``hubnet export <standard> [--out FILE]``: this hub's records in an open
standard.

Standards: ``algoritmeregister`` (the Dutch algorithm register 1.0: a JSON
array of entries of this hub's published projects). Every entry is checked
against the standard; a project that breaks it is left out and reported with
the reason on stderr. Exit status 0 when every project was exported, 1 when
some were refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from standards.algoritmeregister.selectors import own_project_records
from standards.algoritmeregister.services import (
    ExportResult,
    algoritmeregister_export,
)


def _algoritmeregister() -> ExportResult:
    return algoritmeregister_export(records=own_project_records().iterator())


EXPORTERS: dict[str, Callable[[], ExportResult]] = {
    "algoritmeregister": _algoritmeregister,
}


class Command(BaseCommand):
    help = (
        "Export this hub's published records in an open standard, e.g. `hubnet "
        "export algoritmeregister --out register.json` (Dutch algorithm register "
        "1.0). Records that break the standard are reported on stderr with the "
        "reason; exit status 1 when any was refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("standard", choices=sorted(EXPORTERS))
        parser.add_argument(
            "--out", type=Path, help="Write to this file instead of stdout."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = EXPORTERS[options["standard"]]()
        text = json.dumps(result.entries, ensure_ascii=False, indent=2) + "\n"
        if options["out"]:
            options["out"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
        for refused in result.refused:
            self.stderr.write(
                f"refused {refused['id']} “{refused['name']}”: {refused['reason']}"
            )
        summary = f"{len(result.entries)} exported, {len(result.refused)} refused"
        # Keep stdout pure JSON when the entries go there.
        (self.stdout if options["out"] else self.stderr).write(summary)
        if result.refused:
            raise CommandError(
                f"{len(result.refused)} records break the standard", returncode=1
            )
