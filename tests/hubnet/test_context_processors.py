"""The context every public page gets (hubnet.context_processors)."""

import pytest
from django.test import Client

from hubs.identity import hub_identity

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_hub(settings):
    settings.HUB_LEVEL = "local"
    settings.HUB_NAME = "AI Hub Eindhoven"
    hub_identity.cache_clear()
    yield
    hub_identity.cache_clear()


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Local hub"),
        ("nl", "Lokale hub"),
        ("fr", "Hub local"),
        ("de", "Lokaler Hub"),
    ],
)
def test_the_header_names_the_hubs_level_in_the_visitors_language(
    local_hub, language, label
):
    # when a visitor whose browser asks for the language opens a page
    html = Client().get("/search/partners/", HTTP_ACCEPT_LANGUAGE=language)
    # then the header shows the level's label, not its code
    assert (
        f'AI Hub Eindhoven <span class="level">{label}</span></a>'
        in html.content.decode()
    )
