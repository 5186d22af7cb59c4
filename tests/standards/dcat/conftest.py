"""Fixtures of the DCAT-AP tests: a regional hub with a known public address."""

import pytest

from hubs.identity import hub_identity
from tests.standards.dcat.builders import BASE


@pytest.fixture(autouse=True)
def brabant(settings):
    """This hub is AI Hub Noord-Brabant (NL41) at ``BASE``, below nl and eu."""
    settings.HUB_SLUG = "nl-nb"
    settings.HUB_NAME = "AI Hub Noord-Brabant"
    settings.HUB_LEVEL = "regional"
    settings.HUB_COUNTRY = "NL"
    settings.HUB_NUTS = "NL41"
    settings.HUB_PATH = ["eu", "nl", "nl-nb"]
    settings.HUB_PUBLIC_URL = BASE
    hub_identity.cache_clear()
    yield
    hub_identity.cache_clear()
