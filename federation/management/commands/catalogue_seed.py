"""Publish synthetic organisation records in bulk (benchmarks and load tests).

The records say they are synthetic; real demo data comes from `hubnet demo`.
"""

import json
import random

from django.core.management.base import BaseCommand

from federation.services.store import PublishItem, records_publish

SECTORS = ["health", "mobility", "agriculture", "energy", "public administration"]
TECHNOLOGIES = [
    "computer vision",
    "nlp",
    "machine learning",
    "robotics",
    "optimisation",
]


class Command(BaseCommand):
    help = "Publish COUNT synthetic organisations in batches; prints JSON counts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--batch", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count: int, batch: int, seed: int, **options) -> None:
        rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        published = 0
        while published < count:
            size = min(batch, count - published)
            items = [
                PublishItem(
                    kind="organisation",
                    body={
                        "name": f"Synthetic organisation {published + i}",
                        "description": "<p>Synthetic record for load tests.</p>",
                        "type": rng.choice(["sme", "company", "knowledge-institution"]),
                        "sectors": rng.sample(SECTORS, 2),
                        "technologies": rng.sample(TECHNOLOGIES, 2),
                        "openToPartnership": rng.random() < 0.5,
                        "location": {
                            "lat": round(rng.uniform(50.8, 53.4), 5),
                            "lon": round(rng.uniform(3.4, 7.1), 5),
                            "country": "NL",
                        },
                    },
                )
                for i in range(size)
            ]
            records_publish(items=items)
            published += size
        self.stdout.write(json.dumps({"published": published}))
