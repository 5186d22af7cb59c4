"""Print a digest of the catalogue: counts and a hash over (id, version, deleted,
content hash).

Two hubs that hold the same records print the same digest; tests and benchmarks
use it to check convergence without paging through everything.
"""

import json

from django.core.management.base import BaseCommand

from federation.selectors import catalogue_digest


class Command(BaseCommand):
    help = (
        "Print JSON: record counts and a digest of (id, version, deleted, "
        "content hash)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--origin", default=None, help="only records of this origin"
        )

    def handle(self, *args, origin: str | None, **options) -> None:
        self.stdout.write(json.dumps(catalogue_digest(origin=origin)))
