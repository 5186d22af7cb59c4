"""Precompute sentence vectors of the demo seed.

    hubnet embeddings cache [--out hubnet/demo_data/embeddings-e5-small-q4.npz]
        [--limit N] [--batch-size 32]

Embeds the demo records missing from the file with the configured encoder
(``SEARCH_ENCODER``) and prints the speed; hubs look vectors up there
(``SEARCH_EMBEDDING_CACHE_FILE``) before encoding.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hubnet.demo.embeddings import demo_embeddings_cache
from search.embeddings.encoders import EncoderUnavailable, encoder_get


class Command(BaseCommand):
    help = "Precompute the demo seed's sentence vectors into a shipped file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["cache"])
        parser.add_argument(
            "--out", type=Path, default=Path(settings.SEARCH_EMBEDDING_CACHE_FILE)
        )
        parser.add_argument("--limit", type=int, default=None)
        parser.add_argument("--batch-size", type=int, default=32)

    def handle(self, *args, **options) -> None:
        try:
            encoder = encoder_get()
        except EncoderUnavailable as error:
            raise CommandError(f"no encoder: {error}") from None
        if encoder is None:
            raise CommandError("SEARCH_ENCODER is none: nothing to embed with")
        result = demo_embeddings_cache(
            encoder=encoder,
            out=options["out"],
            batch_size=options["batch_size"],
            limit=options["limit"],
            progress=lambda done, total: self.stderr.write(f"{done}/{total}"),
        )
        summary = {
            "model": encoder.model_id,
            "texts": result.texts,
            "computed": result.computed,
            "seconds": round(result.seconds, 1),
            "recordsPerSecond": round(result.per_second, 2),
            "file": str(options["out"]),
            "bytes": options["out"].stat().st_size,
        }
        self.stdout.write(json.dumps(summary))
