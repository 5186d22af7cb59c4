"""Property-based tests of the search endpoints against their OpenAPI schema
(schemathesis, in process) on the real node: whatever request the schema
allows, the answer is documented (status, content type, body) and never a
server error. A 400 for a combination the schema cannot express (radius_km
without near, a made-up cursor) is a documented answer, so the check that
valid data is always accepted is left out; and the API is lenient where the
schema is strict (an empty ``nuts=`` means no filter, comma-separated lists are
split), so the check that invalid data is always refused is left out too."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)

from hubnet.wsgi import application
from tests.search.faces import face_corpus_index

schema = schemathesis.openapi.from_wsgi("/api/schema/", application).include(
    tag="search"
)


@pytest.fixture(scope="module")
def corpus(search_alias):
    return face_corpus_index()


@pytest.fixture
def wsgi_keeps_the_test_connection(db):
    """Requests through the bare WSGI app must not close the test's database
    connection (as in tests/cms/test_api_schemathesis.py)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def unthrottled(corpus, settings, wsgi_keeps_the_test_connection):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    cache.clear()


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_search_api_conforms_to_its_schema(case, unthrottled):
    case.call_and_validate(
        excluded_checks=[positive_data_acceptance, negative_data_rejection]
    )
