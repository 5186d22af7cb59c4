"""Give a migrated hub its identity (run after every ``migrate``; idempotent).

    hubnet hub_bootstrap [--neighbours neighbours.json]

Names the default Wagtail Site and its home page after HUB_NAME
(``hubnet.bootstrap``) and, with ``--neighbours``, loads the hub's neighbours and
their tokens (as ``hubnet neighbours_load`` does). Prints one JSON line saying
what changed.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hubnet.bootstrap import hub_bootstrap


class Command(BaseCommand):
    help = "Name the site and home page after HUB_NAME; optionally load neighbours."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--neighbours",
            type=Path,
            default=None,
            help="a JSON list of neighbours to load (see neighbours_load)",
        )

    def handle(self, *_args, neighbours: Path | None, **_options) -> None:
        try:
            result = hub_bootstrap(neighbours_file=neighbours)
        except (ValueError, LookupError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(result))
