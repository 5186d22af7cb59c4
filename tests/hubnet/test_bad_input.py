"""Bad input from a client is a 400 naming the parameter, an overloaded search
engine is a 503 with ``Retry-After``: never a 500, on every public face (the
records API, the search API and pages, the exports, the DCAT catalogue, the
algorithm register API and the GraphQL connections)."""

from __future__ import annotations

import base64
import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client, override_settings

from federation.wire import CHANGES_QUERY
from search import engine as engine_module
from search.engine import RETRY_AFTER_SECONDS
from tests.cms.catalogue import federated
from tests.federation.factories import graphql_post, neighbour_with_token
from tests.federation.test_graphql_browse import RECORDS_QUERY
from tests.search.conftest import search_alias  # noqa: F401 - a fixture
from tests.search.faces import face_corpus_index

pytestmark = pytest.mark.django_db

SUPERSCRIPT_TWO = "²"  # str.isdigit() is True, int() refuses it
FORGED_CURSOR = "cD1hYmM="  # base64 of "p=abc": a DRF cursor with a word as position


def search_cursor(sort: str, values: list[Any]) -> str:
    """A search cursor as a client could forge it (the format is public)."""
    text = json.dumps({"s": sort, "v": values})
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# (path, query, the parameter the answer must name)
BAD_INPUTS = [
    ("/api/v1/records/", {"page_size": SUPERSCRIPT_TWO}, "page_size"),
    ("/api/v1/records/", {"page_size": "9" * 5000}, "page_size"),
    ("/api/v1/records/", {"cursor": FORGED_CURSOR}, "cursor"),
    ("/api/v1/records/", {"cursor": "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk="}, "cursor"),
    ("/api/v1/algoritmeregister/", {"page_size": SUPERSCRIPT_TWO}, "page_size"),
    ("/api/v1/algoritmeregister/", {"page": ""}, "page"),
    ("/api/v1/algoritmeregister/", {"page": "0"}, "page"),
    ("/api/v1/algoritmeregister/", {"page": "last"}, "page"),
    ("/api/v1/algoritmeregister/", {"page": SUPERSCRIPT_TWO}, "page"),
    ("/catalog", {"page_size": SUPERSCRIPT_TWO}, "page_size"),
    ("/catalog.ttl", {"page": SUPERSCRIPT_TWO}, "page"),
    ("/catalog.jsonld", {"page": "9" * 5000}, "page"),
    ("/api/v1/search", {"size": SUPERSCRIPT_TWO}, "size"),
    ("/api/v1/suggest", {"prefix": "a", "size": SUPERSCRIPT_TWO}, "size"),
    ("/api/v1/search", {"after": search_cursor("relevance", ["x"])}, "after"),
    (
        "/api/v1/search",
        {"after": search_cursor("newest", ["yesterday", "nl:project:x"])},
        "after",
    ),
    (
        "/api/v1/search",
        {"after": search_cursor("newest", [10**30, "nl:project:x"])},
        "after",
    ),
    (
        "/api/v1/search/export.csv",
        {"after": search_cursor("title", [{"a": 1}, "x"])},
        "after",
    ),
]


@pytest.fixture(scope="module")
def corpus(search_alias: str) -> list[dict[str, Any]]:  # noqa: F811
    """Records in the index: a forged cursor only fails when there are hits."""
    return face_corpus_index()


def _named(response: Any) -> str:
    """The parameter a 400 names: a JSON body's ``field`` or its keys (DRF), or
    the plain text of the catalogue (``Bad request: page must be ...``)."""
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        return body.get("field") or next(iter(body))
    text = response.content.decode()
    assert text.startswith("Bad request: "), text[:200]
    return text.removeprefix("Bad request: ").split()[0]


@pytest.mark.parametrize(("path", "query", "parameter"), BAD_INPUTS)
def test_bad_input_is_a_400_naming_the_parameter(corpus, path, query, parameter):
    # given a dataset in the catalogue and records in the index
    federated("dataset")
    client = Client(raise_request_exception=False)
    # when the bad input is sent
    response = client.get(path, query)
    # then it is refused with 400, saying which parameter was wrong
    assert response.status_code == 400, response.content[:300]
    assert _named(response) == parameter
    assert len(response.content) < 1000  # a huge value is not echoed whole


def test_the_cursors_the_search_hands_out_are_still_accepted(corpus):
    # given a first page in every sort order
    client = Client()
    for query in (
        {"sort": "relevance", "text": "ai"},
        {"sort": "relevance"},
        {"sort": "newest"},
        {"sort": "title"},
        {"sort": "distance", "near": "51.44,5.47"},
    ):
        first = client.get("/api/v1/search", {**query, "size": 2}).json()
        assert first["next_cursor"], query
        # when the next page is asked for with its cursor
        second = client.get(
            "/api/v1/search", {**query, "size": 2, "after": first["next_cursor"]}
        )
        # then it comes, without the first page's hits
        assert second.status_code == 200, (query, second.content[:300])
        ids = {hit["id"] for hit in second.json()["hits"]}
        assert ids
        assert not ids & {hit["id"] for hit in first["hits"]}


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (RECORDS_QUERY, {"first": 5, "after": FORGED_CURSOR}),
        (CHANGES_QUERY, {"first": 5, "after": FORGED_CURSOR}),
        (CHANGES_QUERY, {"first": 5, "after": "c2VxOrI="}),  # "seq:²" in bytes
        (
            CHANGES_QUERY,
            {"first": 5, "after": base64.b64encode(b"seq:" + b"9" * 5000).decode()},
        ),
    ],
)
def test_a_forged_cursor_is_a_graphql_error(client, query, variables):
    # given a peer allowed to read the feed
    _, token = neighbour_with_token(slug="nl", role="child")
    # when it sends a forged cursor
    status, body = graphql_post(client, query, variables, token=token)
    # then GraphQL answers an error naming the cursor, not a server error
    assert status == 200
    assert body["errors"][0]["extensions"]["code"] == "BAD_CURSOR"


@contextlib.contextmanager
def overloaded_engine() -> Iterator[list[str]]:
    """A search engine on loopback that refuses every request with 429, as
    OpenSearch does when its search queue is full; yields the paths asked."""
    asked: list[str] = []
    body = json.dumps(
        {
            "error": {"type": "es_rejected_execution_exception"},
            "status": 429,
        }
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def _refuse(self) -> None:
            asked.append(self.path)
            length = int(self.headers.get("Content-Length", 0))
            self.rfile.read(length)
            self.send_response(429)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _refuse

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with override_settings(SEARCH_URL=url, SEARCH_ENGINE="opensearch"):
            engine_module.search_engine.cache_clear()
            yield asked
    finally:
        engine_module.search_engine.cache_clear()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("path", "query", "is_json"),
    [
        ("/api/v1/search", {"text": "ai"}, True),
        ("/api/v1/suggest", {"prefix": "par"}, True),
        ("/api/v1/partners", {"need": "vision", "nuts": "NL41"}, True),
        ("/api/v1/search/export.csv", {"text": "ai"}, True),
        ("/api/v1/search/export.xlsx", {}, True),
        ("/search/", {"text": "ai"}, False),
        ("/insight/", {}, False),
        ("/api/v1/insight", {"country": "NL"}, True),
        ("/search/partners/", {"need": "vision"}, False),
    ],
)
def test_an_overloaded_engine_is_a_503_with_retry_after(path, query, is_json):
    client = Client(raise_request_exception=False)
    # given an engine that answers 429 (too many requests)
    with overloaded_engine() as asked:
        # when a client searches or exports
        response = client.get(path, query)
    # then the engine was asked, and the client is told to come back later
    assert asked
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    if is_json:
        assert "unavailable" in response.json()["detail"]
    else:
        assert "unavailable" in response.content.decode()
