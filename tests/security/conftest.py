"""Fixtures for the attack suite: real hub processes (gunicorn and workers, as
the e2e tests start them), driven over HTTP as an outsider would."""

from collections.abc import Callable, Iterator

import pytest

from hubnet.localnet import HubSpec
from tests.e2e.conftest import start_test_network
from tests.e2e.driver import NetworkDriver


@pytest.fixture
def hub_network(search_url, tmp_path) -> Iterator[Callable[..., NetworkDriver]]:
    """Start a network of real hubs (``start_test_network``) with the given
    specs and environment; every network started is stopped after the test."""
    started: list[NetworkDriver] = []

    def start(
        hubs: list[HubSpec],
        *,
        search: str | None = None,
        extra_env: dict[str, str] | None = None,
        hub_env: dict[str, dict[str, str]] | None = None,
    ) -> NetworkDriver:
        network = start_test_network(
            hubs,
            var_dir=tmp_path / f"network-{len(started)}",
            search_url=search or search_url,
            extra_env=extra_env,
            hub_env=hub_env,
        )
        started.append(network)
        return network

    yield start
    for network in started:
        network.stop()
