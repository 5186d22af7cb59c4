"""Load neighbours and their tokens from a JSON file (provisioning)."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hubs.services import neighbour_upsert


class Command(BaseCommand):
    help = "Create or update neighbours from a JSON list (slug, name, role, ...)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            entries = json.loads(file.read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        if not isinstance(entries, list):
            raise CommandError(f"{file} must hold a JSON list of neighbours")
        for index, entry in enumerate(entries):
            try:
                neighbour = neighbour_upsert(**entry)
            except ValidationError as error:
                slug = (
                    entry.get("slug", f"#{index}") if isinstance(entry, dict) else index
                )
                raise CommandError(
                    f"neighbour {slug}: {'; '.join(error.messages)}"
                ) from None
            self.stdout.write(
                f"{neighbour.slug}: {neighbour.role} {neighbour.endpoint_url}"
            )
