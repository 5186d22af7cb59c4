"""The partner finder page (``/search/partners/``) on the real node: a GET form
that works without JavaScript, matches labelled where they were found (the
municipality first), bad input and a dead engine explained."""

import re

import pytest
from django.test import Client
from django.test.utils import override_settings

from hubs.identity import hub_identity
from search import engine as engine_module
from tests.cms.factories import logged_in, user_in
from tests.conftest import free_port
from tests.search.test_partners import network

pytestmark = pytest.mark.django_db

__all__ = ["network"]


def _found(html: str) -> list[tuple[str, str]]:
    """(organisation, found-at) of each card, in order."""
    return re.findall(r'data-found-at="(\w+)">\s*<h3><a href="[^"]*">([^<]+)</a>', html)


def test_the_municipality_comes_first_then_the_region(network):
    # when an SME at Den Bosch (NUTS 3 NL413) needs computer vision
    response = Client().get(
        "/search/partners/", {"need": "computer vision", "nuts": "NL413"}
    )
    # then the page lists the local match, then Noord-Brabant's, then NL's
    assert response.status_code == 200
    html = response.content.decode()
    found = [(name, level) for level, name in _found(html)]
    assert found[0] == ("Camerabouw", "local")
    assert sorted(found[1:4]) == [
        ("Beeldwerk", "regional"),
        ("Kijkdoos", "regional"),
        ("Zichtbaar", "regional"),
    ]
    assert found[4] == ("Grachtvision", "national")
    # and each step is named by its level's label and the area's name
    assert (
        'data-level="local"><strong>1</strong> '
        "Local hub (NL413 Noordoost-Noord-Brabant)"
    ) in html
    assert (
        'data-level="regional"><strong>3</strong> Regional hub (NL41 Noord-Brabant)'
    ) in html
    assert 'data-level="national"><strong>1</strong> National hub (Netherlands)' in html
    # and the project the Helmond organisation coordinates is named
    assert "Partner in: Computer vision voor verkeer (coordinator)" in html


def test_types_and_open_to_partnership_narrow(network):
    html = (
        Client()
        .get(
            "/search/partners/",
            {"need": "computer vision", "nuts": "NL413", "open_only": "1"},
        )
        .content.decode()
    )
    assert [name for _, name in _found(html)] == ["Zichtbaar"]
    assert 'name="open_only" value="1" checked' in html
    # the type is shown by its label, and offered by the vocabulary's labels
    assert '<li class="badge">SME or start-up</li>' in html
    assert '<li class="badge">sme</li>' not in html
    assert 'value="knowledge-institution"> Knowledge institution (university,' in html
    companies = (
        Client()
        .get("/search/partners/", {"need": "computer vision", "types": "company"})
        .content.decode()
    )
    assert _found(companies) == [("eu", "Camerabouw")]


@pytest.fixture
def eindhoven_hub(settings):
    settings.HUB_NUTS = "NL414"
    settings.HUB_COUNTRY = "NL"
    hub_identity.cache_clear()
    yield
    hub_identity.cache_clear()


def test_the_form_starts_at_the_hubs_own_region_without_a_search(eindhoven_hub):
    # when opening the page without a need
    response = Client().get("/search/partners/")
    # then the form, the hub's region filled in, the places of its country
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="nuts" value="NL414"' in html
    assert "Zuidoost-Noord-Brabant" in html
    assert '<option value="NL413">' in html
    assert '<option value="BE211">' not in html
    assert 'id="partner-list"' not in html


def test_bad_input_is_explained(network):
    response = Client().get("/search/partners/", {"need": "vision", "nuts": "x1"})
    assert response.status_code == 400
    assert "is not a NUTS code" in response.content.decode()


def test_a_dead_engine_is_explained(network):
    with override_settings(SEARCH_URL=f"http://127.0.0.1:{free_port()}"):
        engine_module.search_engine.cache_clear()
        try:
            response = Client().get("/search/partners/", {"need": "vision"})
        finally:
            engine_module.search_engine.cache_clear()
    assert response.status_code == 503
    assert "The search engine is unavailable" in response.content.decode()


@pytest.mark.parametrize(
    "role", [None, "Editors", "Coordinators", "superuser"], ids=str
)
def test_every_visitor_gets_the_same_public_page(network, role):
    # given anonymous, an editor, a coordinator and an admin of this hub
    user = (
        None
        if role is None
        else user_in(
            None if role == "superuser" else role,
            username="u",
            superuser=role == "superuser",
        )
    )
    # when
    response = logged_in(user).get(
        "/search/partners/", {"need": "computer vision", "nuts": "NL413"}
    )
    # then
    assert response.status_code == 200
    assert len(_found(response.content.decode())) == 7
