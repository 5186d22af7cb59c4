"""Fixtures of the alerts tests: a real local SMTP server the hub sends to, and
a private alias on the real search node."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.test import override_settings

from search import engine as engine_module
from tests.alerts.smtp import SmtpServer
from tests.search.conftest import indices_delete


@pytest.fixture
def smtp(settings) -> Iterator[SmtpServer]:
    """A started SMTP server, and this process's mail going to it."""
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.DEFAULT_FROM_EMAIL = "AI Hub Eindhoven <alerts@hub.example>"
        yield server


@pytest.fixture
def alias(search_url: str) -> Iterator[str]:
    """A private index alias on the real node for one test."""
    name = f"test-{uuid.uuid4().hex[:10]}"
    with override_settings(SEARCH_URL=search_url, SEARCH_INDEX_ALIAS=name):
        engine_module.search_engine.cache_clear()
        try:
            yield name
        finally:
            indices_delete(name)
            engine_module.search_engine.cache_clear()
