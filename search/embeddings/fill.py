"""The vector fill step: put sentence vectors into the shared index, off the
request path and after the lexical write.

Lexical indexing (``search.indexing``) writes documents without vectors and never
waits for the encoder. This step, run by beat every ``SEARCH_EMBED_INTERVAL``
seconds, asks the index for documents that lack a vector of this hub's model and
adds one:

- **once per record version in the network**: a hub embeds the records it
  originated at once, and records from under it (its slug in ``originPath``) only
  after they waited ``SEARCH_EMBED_GRACE`` seconds for their origin (say it has no
  encoder). The shared index is the only coordination: a version that holds a
  vector of the model is never embedded again by any hub;
- **never twice for the same text**: vectors are kept by (model id, text hash) in
  ``EmbeddingCache`` and looked up there, then in the shipped file
  (``SEARCH_EMBEDDING_CACHE_FILE``), before encoding;
- **never over a newer version**: the document is written back whole with its own
  version and ``version_type: external_gte``, so the write lands only while the
  index still holds that version (a newer version or a tombstone refuses it with a
  conflict, counted ``stale``; the new version is a candidate of a later run), and
  the document's version does not move (a partial update would bump it and then
  refuse the next real version);
- **one model per index**: the index's ``_meta`` names the model that fills it; a
  hub with another model writes nothing and logs why (rebuild the index to switch).

A vector written while a rebuild copies the index may miss the new index (the
copy reads what was refreshed); the document is then a candidate again and gets
its vector back from the cache, without encoding.

A failing or missing encoder logs one clear line per run and leaves the records
lexical-only; a later run adds the vectors. A record without text is marked with
the model id and an empty hash, so it is not asked for again.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone

from search.embeddings.encoders import (
    EncoderUnavailable,
    encoder_get,
    encoder_model_id,
)
from search.embeddings.lease import fill_lease, fill_record
from search.embeddings.store import vectors_known, vectors_remember
from search.embeddings.texts import embedding_text, text_hash
from search.embeddings.vectors import (
    HASH_FIELD,
    MODEL_FIELD,
    VECTOR_FIELD,
    index_embedding_model,
)
from search.engine import SearchEngine, SearchError, search_engine
from search.index import index_alias

logger = logging.getLogger(__name__)

# A run stops after the batch that passes this many seconds, so a worker with one
# process turns to the index drain in between (lexical indexing never waits long).
RUN_SECONDS = 5.0


@dataclass
class FillResult:
    """What one fill run did; ``skipped`` says why it did nothing."""

    candidates: int = 0
    encoded: int = 0
    cached: int = 0
    written: int = 0
    stale: int = 0
    failed: int = 0
    skipped: str = ""
    # No record was left to embed when the run ended.
    exhausted: bool = False
    done_ids: set[str] = field(default_factory=set)


def embeddings_fill(
    *, engine: SearchEngine | None = None, seconds: float = RUN_SECONDS
) -> FillResult:
    """Add vectors of this hub's model to the documents it should embed (see the
    module docstring). Idempotent; one run per hub at a time (a lease)."""
    result = FillResult()
    model_id = encoder_model_id()
    if model_id is None:
        return _skip(result, "SEARCH_ENCODER is none")
    engine = engine or search_engine()
    index_model = index_embedding_model(engine=engine)
    if index_model != model_id:
        reason = (
            f"the index is filled by model {index_model!r}, this hub has "
            f"{model_id!r}: rebuild the index (`hubnet search reindex`)"
        )
        return _skip(result, reason, error=True)
    with fill_lease() as held:
        if not held:
            return _skip(result, "another fill run holds the lease")
        _batches(engine, model_id, result, deadline=time.monotonic() + seconds)
    if not result.skipped:
        fill_record(embedded=result.written, error="")
    return result


def _skip(result: FillResult, reason: str, *, error: bool = False) -> FillResult:
    result.skipped = reason
    if error:
        logger.error("vector fill skipped, records stay lexical-only: %s", reason)
        fill_record(embedded=0, error=reason)
    return result


def _batches(
    engine: SearchEngine, model_id: str, result: FillResult, *, deadline: float
) -> None:
    size = settings.SEARCH_EMBED_BATCH_SIZE
    while time.monotonic() < deadline:
        hits = _candidates(engine, model_id, size, exclude=result.done_ids)
        if not hits:
            result.exhausted = True
            return
        result.candidates += len(hits)
        result.done_ids.update(hit["_id"] for hit in hits)
        try:
            vectors = _vectors(hits, model_id, result)
        except EncoderUnavailable as error:
            _skip(result, f"encoder unavailable: {error}", error=True)
            return
        except Exception as error:  # the encoder's own failures, whatever they are
            message = f"encoder failed: {type(error).__name__}: {error}"
            _skip(result, message, error=True)
            return
        _write(engine, hits, vectors, model_id, result)
        if len(hits) < size:
            result.exhausted = True
            return


def _candidates(
    engine: SearchEngine, model_id: str, size: int, *, exclude: set[str]
) -> list[dict[str, Any]]:
    """Documents this hub should embed now that lack a vector of ``model_id``."""
    slug = settings.HUB_SLUG
    waited = timezone.now() - dt.timedelta(seconds=settings.SEARCH_EMBED_GRACE)
    mine = {"term": {"origin": slug}}
    below = {
        "bool": {
            "filter": [
                {"term": {"originPath": slug}},
                {"range": {"indexedAt": {"lt": waited.isoformat()}}},
            ]
        }
    }
    must_not: list[dict[str, Any]] = [{"term": {MODEL_FIELD: model_id}}]
    if exclude:
        must_not.append({"ids": {"values": sorted(exclude)}})
    body = {
        "size": size,
        "version": True,
        "query": {
            "bool": {
                "filter": [
                    {"term": {"deleted": False}},
                    {"bool": {"should": [mine, below], "minimum_should_match": 1}},
                ],
                "must_not": must_not,
            }
        },
    }
    answer = engine.search(index=index_alias(), body=body)
    return list(answer["hits"]["hits"])


def _vectors(
    hits: list[dict[str, Any]], model_id: str, result: FillResult
) -> dict[str, np.ndarray]:
    """A vector per text hash of the hits: from the cache, the shipped file, else
    the encoder (one batch; loaded only then, so a hub whose records are all
    known never loads the model)."""
    texts = {}
    for hit in hits:
        text = embedding_text(hit["_source"])
        if text:
            texts[text_hash(text)] = text
    known = vectors_known(model_id=model_id, hashes=list(texts))
    result.cached += len(known)
    missing = [h for h in texts if h not in known]
    if missing:
        encoder = encoder_get()
        if encoder is None or encoder.model_id != model_id:
            raise EncoderUnavailable(f"no encoder of model {model_id}")
        rows = encoder.encode_passages([texts[h] for h in missing])
        fresh = dict(zip(missing, rows, strict=True))
        vectors_remember(model_id=model_id, vectors=fresh)
        known.update(fresh)
        result.encoded += len(missing)
    return known


def _write(
    engine: SearchEngine,
    hits: list[dict[str, Any]],
    vectors: dict[str, np.ndarray],
    model_id: str,
    result: FillResult,
) -> None:
    operations: list[dict[str, Any]] = []
    for hit in hits:
        document = dict(hit["_source"])
        text = embedding_text(document)
        digest = text_hash(text) if text else ""
        document[MODEL_FIELD] = model_id
        document[HASH_FIELD] = digest
        vector = vectors.get(digest) if digest else None
        if vector is not None:
            document[VECTOR_FIELD] = np.round(vector.astype(np.float64), 6).tolist()
        action = {
            "_index": hit["_index"],
            "_id": hit["_id"],
            "version": hit["_version"],
            "version_type": "external_gte",
        }
        operations += [{"index": action}, document]
    try:
        answer = engine.bulk(operations=operations)
    except SearchError as error:
        logger.warning("vector fill: the engine refused the write: %s", error)
        result.failed += len(hits)
        return
    result.written += answer.succeeded
    result.stale += answer.stale
    result.failed += len(answer.failed)
    if answer.failed:
        logger.error("vector fill: %s writes refused: %s", *_first(answer.failed))


def _first(failed: list[dict[str, Any]]) -> tuple[int, Any]:
    return len(failed), failed[0]
