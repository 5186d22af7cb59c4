"""Fixtures of the vector tests: the real encoder behind a switch that makes it
fail, as a broken or overloaded encoder would, and a private alias per test."""

import uuid
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from django.test import override_settings

from search.embeddings import encoders
from search.embeddings.encoders import NumpyE5Encoder
from tests.search.conftest import indices_delete


class SwitchableEncoder(NumpyE5Encoder):
    """The real (default) encoder that raises while ``failing`` is set and calls
    ``before_encode`` (if set) first: a test's way to act while encoding runs."""

    failing = False
    calls = 0
    before_encode: Callable[[], None] | None = None

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        type(self).calls += 1
        if type(self).before_encode is not None:
            type(self).before_encode()
        if type(self).failing:
            raise RuntimeError("encoder crashed (test switch)")
        return super().encode_passages(texts)


@pytest.fixture
def switchable_encoder(monkeypatch) -> Iterator[type[SwitchableEncoder]]:
    monkeypatch.setitem(encoders.ENCODERS, "switchable", SwitchableEncoder)
    SwitchableEncoder.failing = False
    SwitchableEncoder.calls = 0
    SwitchableEncoder.before_encode = None
    encoders._encoder_load.cache_clear()
    with override_settings(SEARCH_ENCODER="switchable", HUB_SLUG="nl"):
        yield SwitchableEncoder
    encoders._encoder_load.cache_clear()


@pytest.fixture
def fresh_alias(search_alias: str) -> Iterator[str]:
    alias = f"{search_alias}-{uuid.uuid4().hex[:6]}"
    with override_settings(SEARCH_INDEX_ALIAS=alias, SEARCH_EMBEDDING_CACHE_FILE=""):
        try:
            yield alias
        finally:
            indices_delete(alias)
