"""The REST faces of search (/api/v1/search, /suggest, /partners) on the real
OpenSearch node: filters, facets, errors, the OpenAPI schema, read-only access."""

import pytest
from django.test import Client
from django.test.utils import override_settings

from search import engine as engine_module
from tests.cms.factories import logged_in, user_in
from tests.search.faces import face_corpus_index

SEARCH = "/api/v1/search"
SUGGEST = "/api/v1/suggest"
PARTNERS = "/api/v1/partners"


@pytest.fixture(scope="module")
def corpus(search_alias):
    return face_corpus_index()


@pytest.fixture
def api(corpus) -> Client:
    return Client()


def _titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {hit["title"] for hit in response.json()["hits"]}


def test_text_and_facets(api):
    # when searching all projects
    response = api.get(SEARCH, {"kinds": "project", "size": 50})
    data = response.json()
    # then all nine come with facets whose counts add up
    assert data["total"] == 9
    kinds = {b["value"]: b["count"] for b in data["facets"]["kinds"]}
    assert kinds == {"project": 9, "organisation": 3}
    classes = {b["value"]: b["count"] for b in data["facets"]["ai_act_classes"]}
    assert classes == {"high": 3, "limited": 2, "minimal": 3, "not-ai": 1}
    assert next(b for b in data["facets"]["kinds"] if b["value"] == "project")[
        "selected"
    ]


def test_highlights_are_marked(api):
    response = api.get(SEARCH, {"text": "parkeerscan"})
    hit = response.json()["hits"][0]
    assert hit["title"] == "Parkeerscan Den Bosch"
    assert "<mark>" in hit["highlights"]["title"][0]
    assert hit["origin"] == "den-bosch"
    assert hit["location"]["lat"] == pytest.approx(51.6978)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"scope": "nl-nb", "kinds": "project"}, 4),
        ({"nuts": "NL41", "kinds": "project"}, 4),
        ({"country": "BE"}, 2),
        ({"level": "local", "kinds": "project"}, 4),
        ({"ai_act_class": "high,limited"}, 5),
        ({"ai_act_class": ["high", "limited"], "themes": "health"}, 2),
        ({"status": "pilot"}, 9),
        ({"open_to_partnership": "true"}, 3),
        (
            {"near": "51.4416,5.4697", "radius_km": "20"},
            3,
        ),  # Eindhoven, Helmond, Veldhoven
    ],
)
def test_filters(api, query, expected):
    assert api.get(SEARCH, {**query, "size": 50}).json()["total"] == expected


def test_distance_sort_and_cursor_paging(api):
    # when paging by distance from Eindhoven two at a time
    seen, after = [], None
    while True:
        query = {"near": "51.4416,5.4697", "sort": "distance", "size": 2}
        if after:
            query["after"] = after
        data = api.get(SEARCH, query).json()
        seen += [hit["distance_km"] for hit in data["hits"]]
        after = data["next_cursor"]
        if not after:
            break
    # then every record comes once, nearest first (those without a place last)
    assert len(seen) == 12
    located = [d for d in seen if d is not None]
    assert located == sorted(located)
    assert located[0] < 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"size": "500"}, "size"),
        ({"size": "many"}, "size"),
        ({"trl_min": "12"}, "trl_min"),
        ({"near": "north"}, "near"),
        ({"radius_km": "5"}, "radius_km"),
        ({"sort": "random"}, "sort"),
        ({"level": "planet"}, "level"),
        ({"nuts": "Brabant"}, "nuts"),
        ({"after": "garbage!"}, "after"),
        ({"open_to_partnership": "maybe"}, "open_to_partnership"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(api, query, field):
    response = api.get(SEARCH, query)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["detail"].startswith(field)


def test_suggest(api):
    response = api.get(SUGGEST, {"prefix": "verk"})
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()]
    assert "Verkeersalgoritme Eindhoven" in titles
    assert api.get(SUGGEST, {"prefix": ""}).status_code == 400


def test_partners_local_first(api):
    response = api.get(
        PARTNERS, {"need": "vision", "near": "51.4416,5.4697", "minimum": 2}
    )
    assert response.status_code == 200, response.content
    matches = response.json()["matches"]
    assert matches[0]["organisation"]["title"] == "Vision Lab Veldhoven"
    assert matches[0]["found_at"] == "local"
    assert len(matches) == 2
    assert matches[1]["found_at"] != "local"
    assert api.get(PARTNERS, {"need": ""}).json()["field"] == "need"


def test_engine_down_is_a_503(corpus, free_closed_url):
    with override_settings(SEARCH_URL=free_closed_url):
        engine_module.search_engine.cache_clear()
        try:
            for url, query in [
                (SEARCH, {"text": "x"}),
                (SUGGEST, {"prefix": "x"}),
                (PARTNERS, {"need": "x"}),
            ]:
                response = Client().get(url, query)
                assert response.status_code == 503
                assert "unavailable" in response.json()["detail"]
        finally:
            engine_module.search_engine.cache_clear()


@pytest.fixture
def free_closed_url() -> str:
    from tests.conftest import free_port

    return f"http://127.0.0.1:{free_port()}"


def test_openapi_documents_the_search_endpoints(corpus):
    schema = (
        Client()
        .get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        .json()
    )
    for path in (SEARCH, SUGGEST, PARTNERS):
        operation = schema["paths"][path]["get"]
        assert operation["tags"] == ["search"]
        assert {"400", "503", "200"} <= set(operation["responses"])
    names = {p["name"] for p in schema["paths"][SEARCH]["get"]["parameters"]}
    assert {"text", "kinds", "scope", "nuts", "near", "radius_km", "after"} <= names
    assert "SearchResults" in schema["components"]["schemas"]


ROLES = ["anonymous", "Editors", "superuser"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_get_only_for_everyone(corpus, role):
    if role == "anonymous":
        client = logged_in(None)
    elif role == "superuser":
        client = logged_in(user_in(None, username="root", superuser=True))
    else:
        client = logged_in(user_in(role, username=role.lower()))
    for url, query in [
        (SEARCH, {"text": "vision"}),
        (SUGGEST, {"prefix": "vis"}),
        (PARTNERS, {"need": "vision"}),
    ]:
        assert client.get(url, query).status_code == 200
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(
                url, data={}, content_type="application/json"
            )
            assert response.status_code == 405, (role, method, url)


SEARCH_QUERY = """
query($text: String, $first: Int, $after: String, $aiActClasses: [String!]) {
  search(text: $text, first: $first, after: $after, aiActClasses: $aiActClasses) {
    totalCount endCursor hasNextPage
    hits { id title kind origin level highlights }
    facets { name buckets { value count selected } }
  }
}
"""


def _graphql(variables: dict) -> dict:
    response = Client().post(
        "/graphql",
        data={"query": SEARCH_QUERY, "variables": variables},
        content_type="application/json",
    )
    return response.json()


def test_graphql_search_with_facets(corpus):
    data = _graphql({"aiActClasses": ["high"], "first": 2})["data"]["search"]
    assert data["totalCount"] == 3
    assert len(data["hits"]) == 2
    assert data["hasNextPage"]
    facets = {facet["name"]: facet["buckets"] for facet in data["facets"]}
    high = next(b for b in facets["ai_act_classes"] if b["value"] == "high")
    assert high == {"value": "high", "count": 3, "selected": True}
    rest = _graphql({"aiActClasses": ["high"], "first": 2, "after": data["endCursor"]})
    assert len(rest["data"]["search"]["hits"]) == 1
    # first is capped at 100, not an error
    capped = _graphql({"first": 5000})["data"]["search"]
    assert len(capped["hits"]) == 12


def test_graphql_search_errors(corpus):
    errors = _graphql({"after": "garbage!"})["errors"]
    assert errors[0]["extensions"]["code"] == "BAD_REQUEST"
    assert errors[0]["message"].startswith("after")


def test_a_format_parameter_is_ignored_not_a_404(api):
    # given: a value DRF's format override would look up as a renderer (found by
    # schemathesis: it used to answer an undocumented 404)
    response = api.get(SUGGEST, {"prefix": "verk", "format": "!x"})
    # then: the documented answer
    assert response.status_code == 200
    assert "Verkeersalgoritme Eindhoven" in [item["title"] for item in response.json()]
