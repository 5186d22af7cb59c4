"""``hubnet restore PATH [--restore-secrets]``: replace this hub's database with
a backup, then replay the index and poke the neighbours."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hubnet.backup import BackupError, hub_restore


class Command(BaseCommand):
    help = (
        "Replace this hub's database with a backup made by 'hubnet backup' "
        "(stop the hub's web and worker processes first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a folder made by hubnet backup")
        parser.add_argument(
            "--restore-secrets",
            action="store_true",
            help="also put the backup's key files back into the hub's folder "
            "(SECRET_KEY is shown in the backup; set it in the environment)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = hub_restore(
                path=options["path"], restore_secrets=options["restore_secrets"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        digest = result.digest
        files = (
            "no uploaded files (none in the backup)"
            if result.media_files is None
            else f"{result.media_files} uploaded files"
        )
        self.stdout.write(
            f"restored {digest['records']} records (sequence "
            f"{digest['latestSequence']}) and {files} from {result.path}; the index "
            "is being rebuilt from the store and the neighbours were asked to sync"
        )
