"""``hubnet harvest add|list|run|remove``: the hub's harvest sources.

``run`` harvests in this process and prints the run's report (one line per
refused item); exit status 1 when the run failed or was held.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from standards.harvest.fetch import HarvestTransient
from standards.harvest.models import HarvestKind, HarvestRun, HarvestSource
from standards.harvest.services import (
    HarvestSourceInvalid,
    harvest_run,
    harvest_source_add,
    harvest_source_remove,
)


class Command(BaseCommand):
    help = (
        "Manage harvest sources: `hubnet harvest add NAME URL --kind dcat`, "
        "`hubnet harvest list`, `hubnet harvest run NAME`, "
        "`hubnet harvest remove NAME`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Add a source.")
        add.add_argument("name")
        add.add_argument("url")
        add.add_argument("--kind", required=True, choices=HarvestKind.values)
        add.add_argument(
            "--every", type=int, default=1440, help="Minutes between runs (0: by hand)."
        )
        add.add_argument(
            "--publish",
            action="store_true",
            help="Publish harvested pages at once (default: drafts for review).",
        )
        actions.add_parser("list", help="List the sources and their last run.")
        run = actions.add_parser("run", help="Harvest a source now.")
        run.add_argument("name")
        run.add_argument("--full", action="store_true", help="Not incremental.")
        run.add_argument(
            "--confirm-shrink",
            action="store_true",
            help="Withdraw what a much smaller source no longer lists.",
        )
        remove = actions.add_parser("remove", help="Remove a source.")
        remove.add_argument("name")
        remove.add_argument(
            "--withdraw", action="store_true", help="Also withdraw its pages."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            getattr(self, f"_{action}")(options)
        except HarvestSourceInvalid as error:
            raise CommandError(str(error)) from None

    def _add(self, options: dict[str, Any]) -> None:
        source = harvest_source_add(
            name=options["name"],
            url=options["url"],
            kind=options["kind"],
            interval_minutes=options["every"],
            publish=options["publish"],
        )
        self.stdout.write(f"added {source.name} ({source.kind}) {source.url}")

    def _list(self, options: dict[str, Any]) -> None:  # noqa: ARG002  one signature
        for source in HarvestSource.objects.all():
            last = source.runs.first()
            state = _summary(last) if last else "never run"
            self.stdout.write(f"{source.name}\t{source.kind}\t{source.url}\t{state}")

    def _run(self, options: dict[str, Any]) -> None:
        source = HarvestSource.objects.filter(name=options["name"]).first()
        if source is None:
            raise CommandError(f"no source named {options['name']!r}")
        if options["confirm_shrink"]:
            HarvestSource.objects.filter(pk=source.pk).update(confirm_shrink=True)
        owner = f"{socket.gethostname()}:{os.getpid()}:command"
        try:
            run = harvest_run(source_id=source.pk, owner=owner, full=options["full"])
        except HarvestTransient as error:
            raise CommandError(f"the source failed, try again: {error}") from None
        if run is None:
            raise CommandError("another worker is harvesting this source now")
        for line in run.lines:
            self.stdout.write(f"{line['id']}: {line['reason']}")
        self.stdout.write(_summary(run))
        if run.status != "done":
            raise CommandError(run.reason or run.status)

    def _remove(self, options: dict[str, Any]) -> None:
        withdrawn = harvest_source_remove(
            name=options["name"], withdraw=options["withdraw"]
        )
        self.stdout.write(f"removed {options['name']}; {withdrawn} pages withdrawn")


def _summary(run: HarvestRun) -> str:
    duration = run.duration_seconds
    took = f" in {duration:.1f}s" if duration is not None else ""
    return (
        f"{run.status}{took}: {run.created} created, {run.updated} updated, "
        f"{run.unchanged} unchanged, {run.withdrawn} withdrawn, "
        f"{run.refused} refused"
    )
