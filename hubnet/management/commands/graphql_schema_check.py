"""``hubnet graphql_schema_check``: fail when hubnet/schema.graphql is stale."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hubnet.graphql import SCHEMA_FILE, schema_file_status


class Command(BaseCommand):
    help = "Check that the committed GraphQL schema matches the live schema."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--file", type=Path, default=SCHEMA_FILE, help="The committed SDL file."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problem = schema_file_status(options["file"])
        if problem:
            raise CommandError(problem)
        self.stdout.write(f"{options['file']} matches the live schema.")
