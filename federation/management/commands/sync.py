"""``hubnet sync``: pull neighbours' change feeds now, in this process.

For operators and scripts (the demo, a cron job, debugging a neighbour): it runs
the same ``neighbour_sync`` the worker runs, records the run the same way, and
prints one line per neighbour. The exit status is 1 when any sync failed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from federation.models import SyncRun
from federation.selectors_sync import (
    neighbour_get,
    neighbour_is_pulled,
    neighbours_pulled,
)
from federation.services.sync import SyncLocked, SyncTransportError, neighbour_sync
from hubs.models import Neighbour

logger = logging.getLogger(__name__)
TRIGGER = "command"


def run_line(slug: str, run: SyncRun) -> str:
    """One neighbour's result, e.g. ``nl: ok fetched=2 applied=2 ... duration=31ms``."""
    return (
        f"{slug}: ok fetched={run.fetched} applied={run.applied} "
        f"unchanged={run.unchanged} stale={run.stale} own={run.own} "
        f"quarantined={run.quarantined} pages={run.pages} "
        f"duration={run.duration_ms}ms"
    )


class Command(BaseCommand):
    """Sync one neighbour (``--neighbour SLUG``) or every neighbour this hub pulls
    from (``--all``: enabled, with a role in ``SYNC_PULL_ROLES``) now."""

    help = (
        "Pull new changes from one neighbour or from all neighbours this hub pulls "
        "from, now, in this process. Exit status 1 when any sync failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--neighbour", metavar="SLUG", help="sync this neighbour only"
        )
        which.add_argument(
            "--all",
            action="store_true",
            help="sync every enabled neighbour with a role in SYNC_PULL_ROLES",
        )

    def handle(self, *args: Any, neighbour: str | None, **options: Any) -> None:
        neighbours = [self._one(neighbour)] if neighbour else list(neighbours_pulled())
        if not neighbours:
            self.stdout.write(
                "no neighbours to sync (roles pulled: "
                f"{', '.join(settings.SYNC_PULL_ROLES)})"
            )
            return
        failed = sum(not self._sync(each) for each in neighbours)
        if failed:
            raise CommandError(
                f"{failed} of {len(neighbours)} neighbour sync(s) failed", returncode=1
            )

    def _one(self, slug: str) -> Neighbour:
        try:
            found = neighbour_get(slug=slug)
        except Neighbour.DoesNotExist:
            raise CommandError(f"no neighbour with slug {slug!r}") from None
        if not neighbour_is_pulled(found):
            state = "disabled" if not found.enabled else f"a {found.role}"
            raise CommandError(
                f"this hub does not pull from {found.slug}: it is {state} "
                f"(roles pulled: {', '.join(settings.SYNC_PULL_ROLES)})"
            )
        return found

    def _sync(self, neighbour: Neighbour) -> bool:
        """Sync one neighbour and print its line; False when it failed."""
        try:
            run = neighbour_sync(neighbour_id=neighbour.pk, trigger=TRIGGER)
        except SyncLocked as locked:
            self.stderr.write(f"{neighbour.slug}: locked: {locked}")
            return False
        except SyncTransportError as error:
            self.stderr.write(f"{neighbour.slug}: error: {error}")
            return False
        except Exception as error:
            # Not a transport problem (a bug, the database): report it, go on with
            # the other neighbours, and fail the command.
            logger.exception("sync of %s failed", neighbour.slug)
            self.stderr.write(
                f"{neighbour.slug}: error: {type(error).__name__}: {error}"
            )
            return False
        self.stdout.write(run_line(neighbour.slug, run))
        return True
