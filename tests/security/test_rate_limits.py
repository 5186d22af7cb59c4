"""An anonymous client hammering a real hub (gunicorn) while rotating a forged
``X-Forwarded-For`` is refused past the rate, on every surface: the REST API,
GraphQL, the search pages and the DCAT catalogue. Exactly ``RATE`` requests get
through, every later one is 429 with ``Retry-After``; the forged header never
buys a fresh count (``NUM_PROXIES`` is 0, its default)."""

from __future__ import annotations

import pytest
import requests

from hubnet.localnet import HubSpec
from tests.e2e.conftest import start_test_network
from tests.e2e.driver import NetworkDriver

pytestmark = pytest.mark.e2e

RATE = 25
REQUESTS = 200
HUB = HubSpec("nl", "Nederland", "national", country="NL", nuts="NL")
# Per hour, so the window cannot slide while the test runs on a slow machine.
LOW_RATES = {
    "API_THROTTLE_ANON": f"{RATE}/hour",
    "GRAPHQL_THROTTLE": f"{RATE}/hour",
    "PAGES_THROTTLE": f"{RATE}/hour",
    "EXPORT_THROTTLE": f"{RATE}/hour",
}


@pytest.fixture(scope="module")
def hub(hub_network_module) -> NetworkDriver:
    return hub_network_module([HUB], extra_env=LOW_RATES)


@pytest.fixture(scope="module")
def hub_network_module(search_url, tmp_path_factory):
    """``hub_network`` for a whole module: one hub serves every surface's run
    (each surface has its own count)."""
    started: list[NetworkDriver] = []

    def start(hubs, *, extra_env=None) -> NetworkDriver:
        network = start_test_network(
            hubs,
            var_dir=tmp_path_factory.mktemp("rate-limits"),
            search_url=search_url,
            extra_env=extra_env,
        )
        started.append(network)
        return network

    yield start
    for network in started:
        network.stop()


def _hammer(send) -> list[requests.Response]:
    with requests.Session() as session:
        session.trust_env = False
        return [
            send(session, {"X-Forwarded-For": f"198.51.{n // 250}.{n % 250 + 1}"})
            for n in range(REQUESTS)
        ]


SURFACES = {
    "rest-api": lambda url: (
        lambda session, headers: session.get(
            f"{url}/api/v1/records/", headers=headers, timeout=30
        )
    ),
    "graphql": lambda url: (
        lambda session, headers: session.post(
            f"{url}/graphql",
            json={"query": "{ hub { slug } }"},
            headers=headers,
            timeout=30,
        )
    ),
    "search-pages": lambda url: (
        lambda session, headers: session.get(
            f"{url}/search/", params={"q": "ai"}, headers=headers, timeout=30
        )
    ),
    "catalogue": lambda url: (
        lambda session, headers: session.get(
            f"{url}/catalog.ttl", headers=headers, timeout=30
        )
    ),
}


@pytest.mark.parametrize("surface", list(SURFACES))
def test_rotating_forwarded_for_is_refused_after_the_rate(hub, surface):
    # given: a hub whose anonymous rates are RATE an hour
    url = hub.network.url(HUB.slug)
    # when: 200 requests, each with another forged X-Forwarded-For
    responses = _hammer(SURFACES[surface](url))
    # then: exactly the first RATE get through, every later one is 429
    statuses = [response.status_code for response in responses]
    assert statuses[:RATE] == [200] * RATE, statuses[:RATE]
    assert statuses[RATE:] == [429] * (REQUESTS - RATE), statuses[RATE:]
    refused = responses[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    if surface in ("rest-api", "graphql"):
        assert refused.headers["Content-Type"].startswith("application/json")
    else:
        assert refused.headers["Content-Type"].startswith("text/html")
