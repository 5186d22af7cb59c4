"""schemathesis over the REST API of a real hub process (gunicorn), from the
OpenAPI schema the hub serves (``/api/schema/``): valid and invalid requests
made up for every operation, and not one answer may be a server error.

The hub holds records of every kind (``catalogue_seed``) and a search index,
so the generated ids, filters and cursors reach real code; its rates are raised
out of the way (the rate limits have their own attack test). Examples per
operation are bounded so the run takes about a minute.
"""

from __future__ import annotations

import json

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from hubnet.localnet import HubSpec
from hubnet.processes import wait_until
from tests.e2e.conftest import start_test_network
from tests.e2e.driver import NetworkDriver

pytestmark = pytest.mark.e2e

HUB = HubSpec("nl", "Nederland", "national", country="NL", nuts="NL")
SEEDED = 40
EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 8}
# Generated requests carry made-up basic credentials too: failed sign-ins.
UNTHROTTLED = {
    name: "1000000/hour"
    for name in (
        "API_THROTTLE_ANON",
        "API_THROTTLE_USER",
        "EXPORT_THROTTLE",
        "ADMIN_LOGIN_THROTTLE",
    )
}


@pytest.fixture
def hub(search_url, tmp_path) -> NetworkDriver:
    network = start_test_network(
        [HUB], var_dir=tmp_path, search_url=search_url, extra_env=UNTHROTTLED
    )
    try:
        network.command(HUB.slug, "catalogue_seed", "--count", str(SEEDED))
        url = network.network.url(HUB.slug)

        def searchable() -> bool:
            answer = requests.get(f"{url}/api/v1/search", timeout=10)
            return answer.ok and answer.json().get("total", 0) >= SEEDED

        assert wait_until(searchable, timeout=90, interval=1)
        yield network
    finally:
        network.stop()


def _server_errors(
    operation, url: str, mode: GenerationMode, calls: list[int]
) -> list[str]:
    """The server errors schemathesis finds in ``operation`` (after shrinking);
    the status of every answer goes to ``calls``."""
    found: list[str] = []
    session = requests.Session()
    session.trust_env = False

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case) -> None:
        response = case.call(base_url=url, session=session, timeout=60)
        calls.append(response.status_code)
        case.validate_response(response, checks=[not_a_server_error])

    try:
        fuzz()
    except Unsatisfiable:
        # No invalid request exists for it (a path's only string parameter).
        assert mode is GenerationMode.NEGATIVE, operation.label
    except Exception as failure:  # every failure is reported, then asserted
        found.append(f"{operation.label} ({mode.value}): {failure}"[:2000])
    finally:
        session.close()
    return found


def test_no_request_makes_the_api_answer_a_server_error(hub):
    # given: the OpenAPI schema the hub serves
    url = hub.network.url(HUB.slug)
    schema = schemathesis.openapi.from_url(f"{url}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = sorted(operation.label for operation in operations)
    assert "GET /api/v1/records/" in labels, labels
    assert "GET /api/v1/search" in labels, labels
    # when: every operation is fuzzed with valid and invalid requests
    calls: list[int] = []
    errors = [
        error
        for operation in operations
        for mode in EXAMPLES
        for error in _server_errors(operation, url, mode, calls)
    ]
    # then: no server error; and the requests did reach the API
    assert errors == [], json.dumps(errors, indent=1)
    assert len(calls) >= len(operations) * EXAMPLES[GenerationMode.POSITIVE] // 2
    assert {200, 400, 404} <= set(calls), sorted(set(calls))
    assert 429 not in calls
    print(f"{len(operations)} operations, {len(calls)} requests, 0 server errors")
