"""Property-based tests of the API against its own OpenAPI schema
(schemathesis, in-process through the WSGI app): whatever valid request
schemathesis makes up, the API answers without a server error, with a status
code, content type and body the schema documents.

The schema is loaded when the module is collected (the view needs no database);
schemathesis' lazy fixture loader does not run on pytest 9.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from federation.services.store import record_tombstone
from hubnet.wsgi import application
from tests.cms.catalogue import federated, own_records

# Enough to walk every parameter's space, few enough to stay quick (bounded).
MAX_EXAMPLES = 40

# The search endpoints need the search node: tests/search/test_api_schemathesis.py.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application).exclude(
    tag="search"
)


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Requests through the bare WSGI app must not close the test's database
    connection when they start or end (Django's test client does the same)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def held_records(db, settings, wsgi_keeps_the_test_connection):
    """Records of every kind (own, federated, a tombstone); throttling out of
    the way."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    for kind in ("project", "dataset", "course", "organisation"):
        federated(kind, full=True)
    gone = own_records("course", 2)[0]
    record_tombstone(record_id=gone.record_id)
    cache.clear()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_conforms_to_its_schema(case, held_records):
    # A cursor is opaque: a made-up one is refused with 400 (schema-valid as a
    # string, yet no cursor this hub handed out), so only then may valid-looking
    # data be rejected.
    made_up_cursor = "cursor" in (case.query or {})
    case.call_and_validate(
        excluded_checks=[positive_data_acceptance] if made_up_cursor else []
    )
