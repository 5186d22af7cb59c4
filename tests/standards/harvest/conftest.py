"""Fixtures of the harvest tests: a local portal and a hub to harvest into."""

from collections.abc import Iterator

import pytest

from tests.cms.factories import hub_home
from tests.standards.harvest.server import Portal, portal_serving


@pytest.fixture
def portal(settings) -> Iterator[Portal]:
    """A local portal, with 127.0.0.1 allowed explicitly (refused by default)."""
    settings.HARVEST_ALLOW_HOSTS = ["127.0.0.1"]
    with portal_serving(Portal()) as serving:
        yield serving


@pytest.fixture
def hub(db) -> None:
    hub_home()
