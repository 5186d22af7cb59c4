"""``hubnet backup PATH [--include-secrets] [--no-media]``: back up this hub into a
new folder."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hubnet.backup import BackupError, hub_backup


class Command(BaseCommand):
    help = (
        "Back up this hub's database and uploaded files (and, when asked, its "
        "keys) into a new folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a new or empty folder")
        parser.add_argument(
            "--include-secrets",
            action="store_true",
            help="also copy SECRET_KEY and the key files of the hub's folder "
            "(readable by the owner only: keep the backup as safe as the keys)",
        )
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="leave the uploaded files (MEDIA_ROOT) out, e.g. when they are "
            "backed up on their own; a restore then keeps the files in place",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = hub_backup(
                path=options["path"],
                include_secrets=options["include_secrets"],
                include_media=not options["no_media"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        digest = result.digest
        files = (
            "no uploaded files (--no-media)"
            if result.media_files is None
            else f"{result.media_files} uploaded files"
        )
        self.stdout.write(
            f"backed up {digest['records']} records (sequence "
            f"{digest['latestSequence']}, {result.vendor}) and {files} to "
            f"{result.path}"
        )
        if result.secrets:
            print(
                f"WARNING: {result.path}/secrets holds {', '.join(result.secrets)} "
                "unencrypted: whoever reads it can sign as this hub and forge "
                "sessions. Encrypt the backup or store it where only you can read it.",
                file=sys.stderr,
            )
