"""Fixtures of the search tests: a private alias on the real OpenSearch node.

Every test module gets its own alias (``SEARCH_INDEX_ALIAS``), so modules never see
each other's documents; its physical indices are deleted when the module ends.
"""

import uuid
from collections.abc import Iterator

import pytest
from django.test import override_settings

from search import engine as engine_module
from search.embeddings.query import query_vectors_forget
from search.engine import SearchEngine, search_engine
from search.index import index_pattern
from search.indexing import index_ensure
from tests.search.dead_letters import Refusal


def indices_delete(alias: str) -> None:
    """Delete every physical index of ``alias`` on the configured engine."""
    engine = search_engine()
    for name in engine.indices_docs(pattern=index_pattern(alias=alias)):
        engine.index_delete(name=name)


@pytest.fixture(scope="module")
def search_alias(search_url: str) -> Iterator[str]:
    """This module's alias, with the settings pointing at the real node."""
    alias = f"test-{uuid.uuid4().hex[:10]}"
    with override_settings(SEARCH_URL=search_url, SEARCH_INDEX_ALIAS=alias):
        engine_module.search_engine.cache_clear()
        try:
            yield alias
        finally:
            indices_delete(alias)
            engine_module.search_engine.cache_clear()


@pytest.fixture
def fresh_alias(search_alias: str) -> Iterator[str]:
    """A private alias for one test (the index state starts empty)."""
    alias = f"{search_alias}-{uuid.uuid4().hex[:6]}"
    with override_settings(SEARCH_INDEX_ALIAS=alias):
        try:
            yield alias
        finally:
            indices_delete(alias)


@pytest.fixture
def engine(search_alias: str) -> SearchEngine:
    """The adapter the services use (the module's settings)."""
    return search_engine()


@pytest.fixture
def refusal(search_alias, search_url) -> Iterator[Refusal]:
    """A private alias whose index refuses "Weigeraar" records for good."""
    alias = f"{search_alias}-{uuid.uuid4().hex[:6]}"
    pipeline = Refusal(search_url)
    pipeline.refuse()
    with override_settings(SEARCH_INDEX_ALIAS=alias):
        index_ensure(extra_settings={"index.default_pipeline": pipeline.name})
        try:
            yield pipeline
        finally:
            indices_delete(alias)
            pipeline.delete()


@pytest.fixture(autouse=True)
def query_vectors_fresh() -> Iterator[None]:
    """Every test encodes its queries itself (tests swap or break the encoder);
    the cache is emptied before and after."""
    query_vectors_forget()
    yield
    query_vectors_forget()
