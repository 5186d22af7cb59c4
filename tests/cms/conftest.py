"""Fixtures of the cms tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def throttle_counts_cleared():
    """Every test starts with fresh API throttle counts (they live in the cache,
    which outlives a test)."""
    cache.clear()
    yield
    cache.clear()
