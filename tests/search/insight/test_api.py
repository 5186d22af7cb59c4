"""``GET /api/v1/insight`` on the real node: the page's numbers as JSON, public
and read-only, throttled like the search API, documented from the same
parameter table."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.utils import override_settings

from search import engine as engine_module
from tests.conftest import free_port
from tests.search.insight.test_views import page_figures

pytestmark = pytest.mark.django_db


def _api(query: dict) -> dict:
    response = Client().get("/api/v1/insight", query)
    assert response.status_code == 200, response.content[:300]
    return response.json()


@pytest.mark.parametrize(
    "query", [{}, {"scope": ""}, {"scope": "", "country": "NL", "ai_act_class": "high"}]
)
def test_the_api_gives_the_numbers_of_the_page(seeded, query):
    # when the same selection is asked of the API and of the page
    answer = _api(query)
    page = page_figures(Client().get("/insight/", query).content.decode())
    # then every panel has the same rows
    api = {
        panel["name"]: {str(row["value"]): row["count"] for row in panel["rows"]}
        for panel in answer["panels"]
    }
    assert api == page
    assert answer["scope"] == (query.get("scope", "nl-nb") or None)


def test_the_answer_shape(seeded):
    answer = _api({"scope": "", "panel": ["transparency", "funding"]})
    assert answer["total"] == 10
    assert [panel["name"] for panel in answer["panels"]] == ["transparency", "funding"]
    transparency, funding = answer["panels"]
    assert transparency["measure"] == "shares"
    assert transparency["rows"][0] == {
        "value": "objection_route",
        "label": "High-risk systems with an objection route",
        "count": 2,
        "amount": None,
        "base": 4,
        "percent": 50.0,
    }
    assert funding["rows"][0]["amount"] == 150_000
    assert funding["total"] == 6


def test_public_read_only(seeded):
    # anonymous reads are allowed, writes are not
    client = Client()
    assert client.get("/api/v1/insight").status_code == 200
    assert client.post("/api/v1/insight", {}).status_code == 405
    assert client.get("/insight/").status_code == 200


def test_throttled_like_the_search_api(seeded, settings):
    # given the anonymous API rate of the search API
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "2/minute",
            "pages": "2/minute",
        },
    }
    cache.clear()
    client = Client(REMOTE_ADDR="10.9.0.1")
    # when a third request comes within the minute
    statuses = [client.get("/api/v1/insight").status_code for _ in range(2)]
    refused = client.get("/api/v1/insight")
    pages = [client.get("/insight/").status_code for _ in range(3)]
    # then it is refused, as /api/v1/search would be, and so is the page's third
    assert statuses == [200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert client.get("/api/v1/search").status_code == 429
    assert pages == [200, 200, 429]
    cache.clear()


def test_bad_parameter_names_it(seeded):
    response = Client().get("/api/v1/insight", {"panel": "nope"})
    assert response.status_code == 400
    assert response.json()["field"] == "panel"


def test_engine_down(search_alias):
    with override_settings(SEARCH_URL=f"http://127.0.0.1:{free_port()}"):
        engine_module.search_engine.cache_clear()
        try:
            response = Client().get("/api/v1/insight")
        finally:
            engine_module.search_engine.cache_clear()
    assert response.status_code == 503
    assert response["Retry-After"] == str(engine_module.RETRY_AFTER_SECONDS)


def test_documented_from_the_search_parameters():
    schema = Client().get("/api/schema/").content.decode()
    assert "/api/v1/insight:" in schema
    assert "operationId: insight" in schema
