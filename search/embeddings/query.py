"""The query side: a query vector for k-NN, or None when vectors cannot serve.

Search must never fail for vectors: with the encoder off, missing or failing, or
an index filled by another model, ``query_vector`` logs why and returns None,
and the caller searches lexically only.

Encoding a query costs tens of milliseconds on two cores, more than the engine's
whole answer, and people repeat queries (the next page, a facet clicked, the
same words from many users): vectors are kept by model and text in a small LRU
(``QUERY_VECTOR_CACHE`` entries); a failure is never cached. The vector is then
pulled towards its nearest catalogue phrase (``search.embeddings.phrases``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from search.embeddings.encoders import encoder_get, encoder_model_id
from search.embeddings.phrases import query_vector_pulled
from search.embeddings.vectors import index_embedding_model
from search.engine import SearchEngine, SearchError
from search.index import index_alias

logger = logging.getLogger(__name__)

# How long the index's model id is trusted before it is read again (a rebuild
# that switched the model is seen within this time).
INDEX_MODEL_TTL = 60.0
_index_model: dict[tuple[str, str], tuple[float, str | None]] = {}
# Query vectors kept (384 float32: 1.5 kB each).
QUERY_VECTOR_CACHE = 2048
_vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_vectors_lock = threading.Lock()


@dataclass(frozen=True)
class QueryVector:
    """A query's vector and the model id it was made with (filter k-NN on it)."""

    vector: list[float]
    model_id: str
    # The catalogue phrase the vector was pulled towards, if any.
    phrase: str | None = None


def query_vector(*, text: str, engine: SearchEngine) -> QueryVector | None:
    """The vector of ``text`` as a query, if the index holds vectors of this
    hub's model and the encoder works; else None (and a log line why)."""
    model_id = encoder_model_id()
    if model_id is None or not text.strip():
        return None
    if _index_model_cached(engine) != model_id:
        logger.warning("k-NN off: the index holds no vectors of %s", model_id)
        return None
    key = (model_id, text)
    with _vectors_lock:
        vector = _vectors.get(key)
        if vector is not None:
            _vectors.move_to_end(key)
    if vector is None:
        try:
            encoder = encoder_get()
            vector = encoder.encode_query(text) if encoder else None
        except Exception as error:  # any encoder failure: lexical results instead
            logger.error("k-NN off for this query: encoder failed: %s", error)
            return None
        if vector is None:
            return None
        _vector_keep(key, vector)
    pulled, phrase = query_vector_pulled(vector, model_id=model_id)
    return QueryVector(
        vector=[float(value) for value in pulled], model_id=model_id, phrase=phrase
    )


def _vector_keep(key: tuple[str, str], vector: np.ndarray) -> None:
    with _vectors_lock:
        _vectors[key] = np.array(vector, dtype=np.float32)  # a copy: never shared
        _vectors.move_to_end(key)
        while len(_vectors) > QUERY_VECTOR_CACHE:
            _vectors.popitem(last=False)


def query_vectors_forget() -> None:
    """Empty the query vector cache (an encoder swapped in a running process)."""
    with _vectors_lock:
        _vectors.clear()


def _index_model_cached(engine: SearchEngine) -> str | None:
    key = (engine.name, index_alias())
    now = time.monotonic()
    cached = _index_model.get(key)
    if cached and now - cached[0] < INDEX_MODEL_TTL:
        return cached[1]
    try:
        model = index_embedding_model(engine=engine)
    except SearchError as error:
        logger.warning("k-NN off: the index model cannot be read: %s", error)
        return None
    _index_model[key] = (now, model)
    return model
