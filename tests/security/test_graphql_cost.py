"""A flood of aliased searches against a real hub process is refused before the
search engine sees one query: the hub's engine sits behind a counting proxy."""

from collections.abc import Iterator

import pytest
import requests

from hubnet.localnet import HubSpec
from tests.security.servers import CountingProxy

pytestmark = pytest.mark.e2e

HUB = HubSpec("nl", "AI Hub Nederland", "national", country="NL", nuts="NL")


@pytest.fixture
def search_proxy(search_url: str) -> Iterator[tuple[CountingProxy, str]]:
    """A counting proxy in front of the real search node (started before the hub
    and stopped after it)."""
    proxy = CountingProxy(search_url)
    with proxy.serving() as url:
        yield proxy, url


def _post(url: str, query: str) -> requests.Response:
    return requests.post(f"{url}/graphql", json={"query": query}, timeout=30)


def test_fifty_aliased_searches_are_refused_with_no_engine_query(
    search_proxy, hub_network
):
    # given a real hub whose search engine is reached through the counting proxy
    proxy, proxy_url = search_proxy
    network = hub_network([HUB], search=proxy_url)
    url = network.network.url("nl")
    # and a search that runs goes through the proxy (the control)
    before_control = proxy.search_count()
    control = _post(url, "{ search(first: 1) { totalCount } }")
    assert control.status_code == 200
    assert "search" in control.json()["data"]
    assert proxy.search_count() > before_control
    # when 50 aliases of a full-page search are sent in one request
    flood = "{ " + " ".join(
        f"s{i}: search(first: 100) {{ totalCount hits {{ id title }} }}"
        for i in range(50)
    )
    before = proxy.search_count()
    refused = _post(url, flood + " }")
    # then it is refused as too complex, and the engine saw no query from it
    assert refused.status_code == 400
    body = refused.json()
    assert "data" not in body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["TOO_COMPLEX"]
    assert proxy.search_count() == before
