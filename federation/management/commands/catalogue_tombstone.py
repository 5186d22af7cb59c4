"""Delete one of this hub's own records (a tombstone version)."""

import json

from django.core.management.base import BaseCommand, CommandError

from federation.services.store import NotOwnRecord, RecordNotFound, record_tombstone


class Command(BaseCommand):
    help = "Unpublish an own record: writes a tombstone; prints its id and version."

    def add_arguments(self, parser) -> None:
        parser.add_argument("record_id")

    def handle(self, *args, record_id: str, **options) -> None:
        try:
            stored = record_tombstone(record_id=record_id)
        except (RecordNotFound, NotOwnRecord) as error:
            raise CommandError(f"cannot unpublish {record_id}: {error!r}") from error
        self.stdout.write(
            json.dumps({"id": stored.record_id, "version": stored.version})
        )
