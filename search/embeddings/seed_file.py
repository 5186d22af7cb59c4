"""A shipped file of precomputed vectors, looked up before encoding.

The demo seeds about 3,900 records; embedding them all live would take longer
than the demo may. ``hubnet embeddings cache`` writes their vectors once into a
compressed ``.npz``: ``model`` (the model id), ``hashes`` (text hashes, see
``search.embeddings.texts``) and ``vectors`` (float16 rows, normalised). A file
of another model is ignored, so switching the encoder never mixes vectors.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)


def seed_file_write(
    *, path: Path, model_id: str, hashes: list[str], vectors: np.ndarray
) -> None:
    """Write vectors keyed by text hash for ``model_id`` (float16, compressed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        np.savez_compressed(
            handle,
            model=np.array(model_id),
            hashes=np.array(hashes, dtype="S32"),
            vectors=vectors.astype(np.float16),
        )


@cache
def seed_file_read(path: str, model_id: str) -> dict[str, np.ndarray]:
    """Vectors by text hash from ``path`` when it was made with ``model_id``;
    {} when there is no such file or it holds another model's vectors."""
    if not path or not Path(path).is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["model"]) != model_id:
                logger.info("%s holds other vectors: %s", path, data["model"])
                return {}
            rows = data["vectors"].astype(np.float32)
            hashes = [value.decode() for value in data["hashes"]]
            return dict(zip(hashes, rows, strict=True))
    except (OSError, KeyError, ValueError) as error:
        logger.warning("ignoring the embeddings file %s: %s", path, error)
        return {}
