"""This hub's vector cache (``EmbeddingCache``) with the shipped file behind it."""

from __future__ import annotations

import numpy as np
from django.conf import settings

from search.embeddings.seed_file import seed_file_read
from search.models import EmbeddingCache


def vectors_known(*, model_id: str, hashes: list[str]) -> dict[str, np.ndarray]:
    """The vectors of ``model_id`` known for these text hashes: cached by this
    hub, or in the shipped file."""
    rows = EmbeddingCache.objects.filter(model_id=model_id, text_hash__in=hashes)
    known = {
        row.text_hash: np.frombuffer(bytes(row.vector), dtype="<f4") for row in rows
    }
    shipped = seed_file_read(settings.SEARCH_EMBEDDING_CACHE_FILE, model_id)
    for digest in hashes:
        if digest not in known and digest in shipped:
            known[digest] = shipped[digest]
    return known


def vectors_remember(*, model_id: str, vectors: dict[str, np.ndarray]) -> None:
    """Cache freshly computed vectors (a concurrent insert of the same key wins)."""
    EmbeddingCache.objects.bulk_create(
        [
            EmbeddingCache(
                model_id=model_id,
                text_hash=digest,
                vector=np.asarray(vector, dtype="<f4").tobytes(),
            )
            for digest, vector in vectors.items()
        ],
        ignore_conflicts=True,
    )
