"""Seed this hub with its share of the demo data (run by ``hubnet demo``).

    hubnet demo_seed [--hub-data var/demo/hubs/<slug>/seed.json]
        [--credentials var/demo/credentials.json]
        [--neighbours var/demo/hubs/<slug>/neighbours.json]

Prints one JSON line per batch (``{"done": n, "total": m}``) and a last line with
the result, so the runner can show progress. It first bootstraps the hub (as
``hubnet hub_bootstrap`` does: its name, and the ``--neighbours`` given), saving
the runner a process start per hub.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from federation.records import RecordInvalid
from federation.services.store import NotOwnRecord
from hubnet.bootstrap import hub_bootstrap
from hubnet.demo.register import demo_register_publish
from hubnet.demo.seed import (
    coordinator_ensure,
    demo_records_publish,
    seed_file_read,
    seed_register_read,
)
from hubs.identity import hub_identity


class Command(BaseCommand):
    help = "Publish this hub's demo records and ensure its coordinator account."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--hub-data", type=Path, default=None)
        parser.add_argument("--neighbours", type=Path, default=None)
        parser.add_argument(
            "--credentials",
            type=Path,
            default=None,
            help="JSON {slug: {username, password, superuser}}; this hub's entry",
        )

    def handle(
        self,
        *args,
        hub_data: Path | None,
        credentials: Path | None,
        neighbours: Path | None,
        **options,
    ) -> None:
        identity = hub_identity()
        # In place of the launcher's ``hub_bootstrap`` (one process per hub).
        result: dict = hub_bootstrap(neighbours_file=neighbours)
        if hub_data is not None:
            result.update(self._seed(identity, hub_data))
        if credentials is not None:
            try:
                account = json.loads(credentials.read_text())[identity.slug]
            except (OSError, ValueError, KeyError) as error:
                raise CommandError(f"no credentials for {identity.slug}") from error
            result["coordinator"] = coordinator_ensure(
                username=account["username"],
                password=account["password"],
                email=account.get("email", ""),
                superuser=bool(account.get("superuser")),
            )
        self._line(**result)

    def _seed(self, identity, hub_data: Path) -> dict:
        try:
            items = seed_file_read(hub_data)
            entries = seed_register_read(hub_data)
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read {hub_data}: {error}") from error
        try:
            seeded = demo_records_publish(
                items=items,
                on_batch=lambda done, total: self._line(done=done, total=total),
            )
        except (RecordInvalid, NotOwnRecord, KeyError) as error:
            raise CommandError(f"{identity.slug}: {error}") from error
        result = seeded.as_dict()
        if entries:
            result.update(demo_register_publish(entries=entries).as_dict())
            self._line(done=len(items) + len(entries), total=len(items) + len(entries))
        return result

    def _line(self, **values) -> None:
        self.stdout.write(json.dumps(values))
        self.stdout.flush()
