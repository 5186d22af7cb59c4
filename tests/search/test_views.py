"""The server-rendered search pages on the real node: they work without
JavaScript (a GET form, facets, breadcrumb, cards, paging) and the statistics
page redirects to the dashboard."""

import re

import pytest
from django.test import Client
from django.test.utils import override_settings

from search import engine as engine_module
from tests.conftest import free_port
from tests.search.faces import face_corpus_index

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def corpus(search_alias):
    return face_corpus_index()


def _page(query: dict) -> str:
    response = Client().get("/search/", query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_search_page_without_javascript(corpus):
    html = _page({"text": "parkeerscan"})
    # a GET form, a highlighted card with kind, origin and level
    assert 'method="get"' in html
    assert "<mark>Parkeerscan</mark>" in html
    assert "den-bosch" in html
    # the badges show the kind's and the level's labels
    assert '<li class="badge">Project</li>' in html
    assert '<li class="badge">Local hub</li>' in html
    assert '<span id="result-total">1</span>' in html


def test_facets_narrow(corpus):
    html = _page({"kinds": "project"})
    assert 'name="kinds" value="project" checked' in html
    # the facets show labels, not codes
    assert re.search(
        r'name="ai_act_classes" value="high"[^>]*>\s*'
        r"High risk \(AI Act, article 6 and Annex III\) <span",
        html,
    )
    assert re.search(r'name="kinds" value="project"[^>]*>\s*Project <span', html)
    assert '<span class="count" data-value="high">(3)</span>' in html
    narrowed = _page({"kinds": "project", "ai_act_classes": "high"})
    assert '<span id="result-total">3</span>' in narrowed


def test_scope_breadcrumb_widens(corpus):
    html = _page({"nuts": "NL413"})
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    labels = re.findall(r">([^<>]+)</(?:a|span)>", crumbs)
    assert labels[0] == "EU"
    assert labels[1] == "Nederland"
    assert labels[-2] == "Noord-Brabant"
    assert labels[-1] == "Noordoost-Noord-Brabant"
    assert 'href="?nuts=NL"' in crumbs
    # and a hub scope adds the hubs down to it
    crumbs = _page({"nuts": "NL4", "scope": "den-bosch"}).replace("&amp;", "&")
    assert "Hub nl-nb</a>" in crumbs
    assert 'aria-current="location">Hub den-bosch' in crumbs
    # and a drill-down link narrows from the EU
    assert "?nuts=NL41" in _page({}).replace("&amp;", "&")


def test_paging_with_the_next_cursor(corpus):
    html = _page({"size": "5"})
    link = re.search(r'id="next-page" rel="next" href="([^"]+)"', html).group(1)
    second = Client().get("/search/" + link.replace("&amp;", "&"))
    assert second.status_code == 200
    assert "First page" in second.content.decode()


def test_bad_parameter_and_engine_down(corpus):
    response = Client().get("/search/", {"trl_min": "12"})
    assert response.status_code == 400
    assert "trl_min" in response.content.decode()
    with override_settings(SEARCH_URL=f"http://127.0.0.1:{free_port()}"):
        engine_module.search_engine.cache_clear()
        try:
            response = Client().get("/search/")
            assert response.status_code == 503
            assert "unavailable" in response.content.decode()
        finally:
            engine_module.search_engine.cache_clear()


def test_statistics_redirects_to_the_dashboard_over_the_whole_network():
    # when the old statistics page is asked for
    response = Client().get("/search/statistics/", {"kinds": "project"})
    # then the dashboard answers it, over the whole network as it counted
    assert response.status_code == 301
    assert response["Location"] == "/insight/?kinds=project&scope="
    # and a scope given stays
    narrowed = Client().get("/search/statistics/", {"scope": "nl"})
    assert narrowed["Location"] == "/insight/?scope=nl"


def test_leaflet_is_served_locally():
    html = Client().get("/search/").content.decode()
    assert "/static/search/vendor/leaflet/leaflet.js" in html
    assert "unpkg" not in html
    assert "cdn" not in html.lower()
