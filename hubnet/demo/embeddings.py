"""The demo seed's vectors, computed once and shipped (``hubnet embeddings cache``).

Every demo record's embedding text is built exactly as a hub builds it from the
published record (body validated, then ``search.documents.document_build``), so
the text hashes match what the hubs look up. Vectors already in the output file
are kept, and the file is rewritten every few batches: a long run that is stopped
resumes where it was. The file also holds the vectors of the seed's catalogue
phrases (``search.embeddings.phrases``), so a demo hub's first phrase vocabulary
is built without encoding.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from federation.records import body_validate
from hubnet.demo.data import SeedItem, demo_plan
from hubnet.demo.hubs import demo_network
from search.documents import document_build
from search.embeddings.encoders import Encoder
from search.embeddings.phrases import phrase_hash, phrases_count
from search.embeddings.seed_file import seed_file_read, seed_file_write
from search.embeddings.texts import embedding_text, text_hash

SAVE_EVERY = 8  # batches between two writes of the output file


@dataclass
class CacheResult:
    """What a cache run did: texts in the plan, computed now, seconds spent."""

    texts: int
    computed: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.computed / self.seconds if self.seconds else 0.0


def demo_texts() -> dict[str, str]:
    """The embedding text of every demo record with text, by text hash."""
    texts: dict[str, str] = {}
    for items in demo_plan(demo_network().hubs).values():
        for item in items:
            text = embedding_text(document_build(_wire(item)))
            if text:
                texts[text_hash(text)] = text
    return texts


def demo_phrases() -> dict[str, str]:
    """The catalogue phrases of the whole seed (every demo hub's are among
    them), by phrase hash."""
    sources: list[str] = []
    for items in demo_plan(demo_network().hubs).values():
        for item in items:
            if item.language != settings.SEARCH_PHRASE_LANGUAGE:
                continue
            wire = _wire(item)
            document = document_build(wire)
            body: dict[str, Any] = wire["body"]  # type: ignore[assignment]
            sources.append(str(document.get("title") or ""))
            for name in ("keywords", "themes"):
                sources += [str(value) for value in body.get(name) or []]
    return {phrase_hash(phrase): phrase for phrase in phrases_count(sources)}


def _wire(item: SeedItem) -> dict[str, object]:
    return {
        "id": item.record_id,
        "kind": item.kind,
        "origin": item.hub,
        "originPath": [item.hub],
        "language": item.language,
        "version": 1,
        "updatedAt": "2026-01-01T00:00:00Z",
        "body": body_validate(kind=item.kind, body=item.body),
    }


def demo_embeddings_cache(
    *,
    encoder: Encoder,
    out: Path,
    batch_size: int = 32,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CacheResult:
    """Embed the demo texts missing from ``out`` (at most ``limit``) and write
    ``out``; returns the counts and the time spent encoding."""
    passages = demo_texts()
    phrases = demo_phrases()
    texts = {**passages, **phrases}
    known = dict(seed_file_read.__wrapped__(str(out), encoder.model_id))
    missing = [h for h in texts if h not in known][: limit if limit else None]
    started = time.monotonic()
    for number, first in enumerate(range(0, len(missing), batch_size), start=1):
        batch = missing[first : first + batch_size]
        rows = [
            encoder.encode_query(phrases[h])
            for h in batch
            if h in phrases  # a phrase is encoded as a query
        ]
        records = [h for h in batch if h not in phrases]
        if records:
            rows += list(encoder.encode_passages([passages[h] for h in records]))
        batch = [h for h in batch if h in phrases] + records
        known.update(zip(batch, rows, strict=True))
        if progress:
            progress(first + len(batch), len(missing))
        if number % SAVE_EVERY == 0:
            _save(out, encoder.model_id, known, texts)
    seconds = time.monotonic() - started
    _save(out, encoder.model_id, known, texts)
    return CacheResult(texts=len(texts), computed=len(missing), seconds=seconds)


def _save(
    out: Path, model_id: str, known: dict[str, np.ndarray], texts: dict[str, str]
) -> None:
    hashes = sorted(h for h in known if h in texts)
    vectors = np.stack([known[h] for h in hashes]) if hashes else np.zeros((0, 1))
    seed_file_write(path=out, model_id=model_id, hashes=hashes, vectors=vectors)
