"""Publish one of this hub's own records from a JSON body (scripts, tests)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from federation.records import Kind, RecordInvalid
from federation.services.store import NotOwnRecord, record_publish


class Command(BaseCommand):
    help = "Publish (a new version of) an own record; prints its id and version."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--kind", required=True, choices=[kind.value for kind in Kind]
        )
        parser.add_argument("--body-file", type=Path, required=True)
        parser.add_argument("--id", dest="record_id", default=None)
        parser.add_argument("--language", default="en")
        parser.add_argument("--url", default="")

    def handle(
        self, *args, kind, body_file, record_id, language, url, **options
    ) -> None:
        try:
            body = json.loads(body_file.read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read {body_file}: {error}") from error
        try:
            stored = record_publish(
                kind=kind, body=body, record_id=record_id, language=language, url=url
            )
        except (RecordInvalid, NotOwnRecord) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            json.dumps({"id": stored.record_id, "version": stored.version})
        )
