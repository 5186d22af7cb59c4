"""The catalogue's addresses: formats and content negotiation, paging, the
modified_since filter, bad parameters, caching and who may read it."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.http import http_date
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from federation.models import StoredRecord
from tests.cms.catalogue import federated, own_records
from tests.cms.factories import hub_home, logged_in, user_in
from tests.standards.dcat.builders import (
    BASE,
    CATALOGUE,
    HYDRA,
    PARSERS,
    all_datasets,
    catalogue_get,
    dataset_uri,
    hydra,
)

pytestmark = pytest.mark.django_db

FORMATS = [
    ("/catalog.ttl", "text/turtle; charset=utf-8"),
    ("/catalog.jsonld", "application/ld+json; charset=utf-8"),
    ("/catalog.rdf", "application/rdf+xml; charset=utf-8"),
]
WHOLE = "must be a whole number of at least 1"
JSON_LD = "application/ld+json; charset=utf-8"
NOT_ACCEPTABLE = (
    "Not acceptable: the catalogue is served as text/turtle, application/ld+json, "
    "application/rdf+xml. Ask for one of them in the Accept header, or fetch "
    "/catalog.ttl, /catalog.jsonld, /catalog.rdf.\n"
)


@pytest.fixture
def mixed_catalogue() -> list[StoredRecord]:
    """Two own datasets (updated now) and two federated ones (2026-11-01 10:00Z)."""
    return [
        *own_records("dataset", 2),
        federated("dataset", origin="nl", full=True),
        federated("dataset", origin="be"),
    ]


def test_every_format_carries_the_same_graph(client, mixed_catalogue):
    # given a hub with own and federated datasets
    # when the catalogue is fetched in each serialisation
    graphs = {}
    for path, content_type in FORMATS:
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        graphs[path] = Graph().parse(
            data=response.content, format=PARSERS[content_type.split(";")[0]]
        )
    # then they parse to one and the same graph, with every dataset in it
    turtle = graphs["/catalog.ttl"]
    assert isomorphic(turtle, graphs["/catalog.jsonld"])
    assert isomorphic(turtle, graphs["/catalog.rdf"])
    assert all_datasets(turtle) == {dataset_uri(s) for s in mixed_catalogue}


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("", "text/turtle; charset=utf-8"),
        ("*/*", "text/turtle; charset=utf-8"),
        ("text/turtle", "text/turtle; charset=utf-8"),
        ("application/ld+json", "application/ld+json; charset=utf-8"),
        ("application/rdf+xml", "application/rdf+xml; charset=utf-8"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/turtle; charset=utf-8"),
        ("application/rdf+xml;q=0.5, application/ld+json", JSON_LD),
        ("application/*", JSON_LD),
        ("text/turtle;q=0.1, application/*;q=0.9", JSON_LD),
        ("*/*;q=0.5, text/turtle;q=0", JSON_LD),
    ],
)  # fmt: skip
def test_catalog_negotiates_the_format_from_accept(client, accept, content_type):
    # given a catalogue
    own_records("dataset", 1)
    # when /catalog is asked for with an Accept header
    response = client.get("/catalog", headers={"Accept": accept} if accept else {})
    # then the best acceptable format answers, and caches know it varies
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "Accept" in response["Vary"]
    parsed = Graph().parse(data=response.content, format=PARSERS[content_type[:-15]])
    assert (CATALOGUE, None, None) in parsed


@pytest.mark.parametrize(
    "accept", ["text/html", "application/json", "text/turtle;q=0, application/xml"]
)
def test_catalog_refuses_an_unsupported_type_with_406(client, accept):
    # when /catalog is asked for in a type it is not served in
    response = client.get("/catalog", headers={"Accept": accept})
    # then it answers 406 and says what it offers
    assert response.status_code == 406
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == NOT_ACCEPTABLE


def test_a_format_suffix_ignores_accept(client):
    # when /catalog.rdf is asked for with an Accept of something else
    response = client.get("/catalog.rdf", headers={"Accept": "text/html"})
    # then RDF/XML answers all the same, and does not vary by Accept
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    assert "Accept" not in response.get("Vary", "").split(", ")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "0"}, f"page {WHOLE}, got '0'."),
        ({"page": "-1"}, f"page {WHOLE}, got '-1'."),
        ({"page": "two"}, f"page {WHOLE}, got 'two'."),
        ({"page_size": "0"}, f"page_size {WHOLE}, got '0'."),
        ({"page_size": "1.5"}, f"page_size {WHOLE}, got '1.5'."),
        ({"page_size": "1001"}, "page_size must be between 1 and 1000, got 1001."),
        (
            {"modified_since": "yesterday"},
            "modified_since must be an ISO 8601 date or date-time, e.g. 2026-11-01 "
            "or 2026-11-01T10:00:00Z, got 'yesterday'.",
        ),
        (
            {"modified_since": "2026-13-01"},
            "modified_since must be an ISO 8601 date or date-time, e.g. 2026-11-01 "
            "or 2026-11-01T10:00:00Z, got '2026-13-01'.",
        ),
    ],
)  # fmt: skip
def test_bad_parameters_answer_400_with_the_reason(client, params, message):
    # when the catalogue is asked for with a malformed parameter
    response = client.get("/catalog.ttl", params)
    # then it answers 400 and names the parameter and what it expects
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == f"Bad request: {message}\n"


def test_a_page_beyond_the_last_answers_404(client):
    # given three datasets, two to a page
    own_records("dataset", 3)
    # when page 3 is asked for
    response = client.get("/catalog.ttl", {"page": "3", "page_size": "2"})
    # then it does not exist
    assert response.status_code == 404
    assert response.content.decode() == (
        "Not found: Page 3 does not exist: the last page is 2.\n"
    )


def test_pages_hold_exactly_their_datasets_and_link_each_other(client):
    # given five datasets, own and federated (listed in record id order)
    records = [*own_records("dataset", 3), *(federated("dataset") for _ in range(2))]
    ordered = [dataset_uri(s) for s in sorted(records, key=lambda s: s.record_id)]
    url = f"{BASE}/catalog?page={{}}&page_size=2"
    seen = []
    for number, expected in [(1, ordered[0:2]), (2, ordered[2:4]), (3, ordered[4:])]:
        # when each page of two is fetched
        graph = catalogue_get(client, page=number, page_size=2)
        # then it describes exactly its datasets, and the whole has five
        assert all_datasets(graph) == set(expected)
        seen += expected
        assert graph.value(CATALOGUE, URIRef(f"{HYDRA}totalItems")).toPython() == 5
        view = URIRef(url.format(number))
        assert graph.value(CATALOGUE, URIRef(f"{HYDRA}view")) == view
        assert hydra(graph, view, "first") == url.format(1)
        assert hydra(graph, view, "last") == url.format(3)
        assert hydra(graph, view, "previous") == (
            url.format(number - 1) if number > 1 else None
        )
        assert hydra(graph, view, "next") == (
            url.format(number + 1) if number < 3 else None
        )
    assert seen == ordered


def test_the_default_page_holds_a_hundred(client):
    # given 101 datasets
    own_records("dataset", 101)
    # when the first page is fetched without a size
    graph = catalogue_get(client)
    # then it holds 100 and links to the second
    assert len(all_datasets(graph)) == 100
    view = URIRef(f"{BASE}/catalog?page=1")
    assert hydra(graph, view, "next") == f"{BASE}/catalog?page=2"
    assert len(all_datasets(catalogue_get(client, page=2))) == 1


@pytest.mark.parametrize(
    ("since", "listed"),
    [
        ("2026-11-01", {"own", "federated"}),
        ("2026-11-02", {"own"}),
        ("2026-11-01T10:00:00Z", {"own", "federated"}),
        ("2026-11-01T10:00:01Z", {"own"}),
        ("2026-11-01T11:00:00+02:00", {"own", "federated"}),
        ("2026-11-01T10:00:01", {"own"}),
        ("2999-01-01", set()),
    ],
)
def test_modified_since_lists_only_datasets_changed_from_then(client, since, listed):
    # given an own dataset changed now and a federated one changed 2026-11-01 10:00Z
    records = {
        "own": own_records("dataset", 1)[0],
        "federated": federated("dataset"),
    }
    # when the catalogue is asked for what changed since a moment
    graph = catalogue_get(client, modified_since=since)
    # then it lists those changed at or after it, counts them, and pages keep it
    assert all_datasets(graph) == {dataset_uri(records[name]) for name in listed}
    assert graph.value(CATALOGUE, URIRef(f"{HYDRA}totalItems")).toPython() == len(
        listed
    )
    view = URIRef(f"{BASE}/catalog?{urlencode({'page': 1, 'modified_since': since})}")
    assert graph.value(CATALOGUE, URIRef(f"{HYDRA}view")) == view
    assert hydra(graph, view, "first") == hydra(graph, view, "last") == str(view)


def test_responses_carry_cache_validators(client, mixed_catalogue):
    # when the catalogue is fetched
    response = client.get("/catalog.ttl")
    # then it may be cached for five minutes, with an ETag and Last-Modified
    changed = max(StoredRecord.objects.values_list("stored_at", flat=True))
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Last-Modified"] == http_date(changed.timestamp())
    etag = response["ETag"]
    assert etag[0] == etag[-1] == '"'
    assert len(etag) == 34
    # and the same page asked for again with its ETag is not sent again
    again = client.get("/catalog.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    # and another format is another representation
    assert client.get("/catalog.jsonld")["ETag"] != etag


def test_the_catalogue_is_read_only(client):
    # when something is posted to it
    response = client.post("/catalog.ttl", {})
    # then it is refused
    assert response.status_code == 405


def _reader(role: str) -> Client:
    if role == "anonymous":
        return logged_in(None)
    if role == "admin":
        return logged_in(user_in(None, username="root", superuser=True))
    return logged_in(user_in(role, username=role.lower()))


def test_anyone_reads_the_same_public_catalogue(mixed_catalogue):
    # given an anonymous visitor, an editor and an admin
    hub_home()  # the hub's groups
    graphs = {}
    for role in ["anonymous", "Editors", "admin"]:
        # when each fetches the catalogue
        response = _reader(role).get("/catalog.ttl")
        # then each gets it
        assert response.status_code == 200, role
        graphs[role] = Graph().parse(data=response.content, format="turtle")
    # and all get the same graph
    assert isomorphic(graphs["anonymous"], graphs["Editors"])
    assert isomorphic(graphs["anonymous"], graphs["admin"])
    assert User.objects.count() == 2


def test_the_site_points_to_the_catalogue(client):
    # given the hub's home page
    hub_home()
    # when it is shown
    response = client.get("/")
    # then its head links the Turtle catalogue as an alternate
    assert response.status_code == 200
    assert (
        '<link rel="alternate" type="text/turtle" href="/catalog.ttl" '
        'title="Dataset catalogue (DCAT-AP)">'
    ) in response.content.decode()
