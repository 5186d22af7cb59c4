"""``hubnet backup PATH [--include-secrets]``: back up this hub into a new folder."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hubnet.backup import BackupError, hub_backup


class Command(BaseCommand):
    help = "Back up this hub's database (and, when asked, its keys) into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a new or empty folder")
        parser.add_argument(
            "--include-secrets",
            action="store_true",
            help="also copy SECRET_KEY and the key files of the hub's folder "
            "(readable by the owner only: keep the backup as safe as the keys)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = hub_backup(
                path=options["path"], include_secrets=options["include_secrets"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        digest = result.digest
        self.stdout.write(
            f"backed up {digest['records']} records (sequence "
            f"{digest['latestSequence']}, {result.vendor}) to {result.path}"
        )
        if result.secrets:
            print(
                f"WARNING: {result.path}/secrets holds {', '.join(result.secrets)} "
                "unencrypted: whoever reads it can sign as this hub and forge "
                "sessions. Encrypt the backup or store it where only you can read it.",
                file=sys.stderr,
            )
