"""Limits of the endpoint: depth, cost, body size; errors that leak nothing;
CSRF and GraphiQL."""

import json
import time
from typing import Any

import pytest
from django.test import Client
from graphql import (
    build_schema,
    get_introspection_query,
    parse,
    validate,
)

from federation.graphql import limits, operations
from federation.graphql.limits import (
    MAX_COST,
    MAX_DEPTH,
    MAX_REQUEST_BYTES,
    CostLimitRule,
    DepthLimitRule,
    validation_rules,
)
from federation.wire import CHANGES_QUERY, HUB_QUERY
from hubnet.graphql import schema
from tests.federation.factories import graphql_post, neighbour_with_token

# The one schema the endpoint serves (federation's part with search composed in).
ROOT = schema.graphql_schema

pytestmark = pytest.mark.django_db

RECURSIVE_SCHEMA = build_schema(
    """
    type Query { node: Node, nodes(first: Int): [Node!]! }
    type Node { name: String, child: Node }
    """
)


def _nested(levels: int) -> str:
    """``{ node { child { child ... { name } } } }`` with ``levels`` fields."""
    return "{ node { " + "child { " * (levels - 2) + "name" + " }" * (levels - 1) + " }"


def _codes(body: dict[str, Any]) -> list[str | None]:
    return [error.get("extensions", {}).get("code") for error in body["errors"]]


@pytest.fixture
def token() -> str:
    return neighbour_with_token(slug="nl", role="child")[1]


# Depth ------------------------------------------------------------------------


def test_depth_rule_allows_the_maximum_and_refuses_one_more():
    # given queries of exactly MAX_DEPTH and MAX_DEPTH + 1 nested fields
    at_limit, over = parse(_nested(MAX_DEPTH)), parse(_nested(MAX_DEPTH + 1))
    # when each is validated with the depth rule
    allowed = validate(RECURSIVE_SCHEMA, at_limit, [DepthLimitRule])
    refused = validate(RECURSIVE_SCHEMA, over, [DepthLimitRule])
    # then
    assert allowed == []
    assert [error.message for error in refused] == [
        "Query rejected: the query nests deeper than 12 fields."
    ]
    assert refused[0].extensions == {"code": "TOO_COMPLEX"}


def test_depth_rule_follows_fragments():
    # given depth hidden in a chain of fragments
    document = parse(
        "{ node { ...A } } "
        "fragment A on Node { child { ...B } } "
        "fragment B on Node { child { child { child { child { child { ...C } } } } } }"
        "fragment C on Node { child { child { child { child { child { name } } } } } }"
    )
    # when
    errors = validate(RECURSIVE_SCHEMA, document, [DepthLimitRule])
    # then
    assert [error.extensions for error in errors] == [{"code": "TOO_COMPLEX"}]


def test_deep_query_is_refused_over_http_before_execution(client):
    # given a query nesting one field more than allowed (our schema has no
    # recursive type, so it is also invalid in other ways)
    query = "{ hub { " + "neighbours { " * MAX_DEPTH + "slug" + " }" * MAX_DEPTH
    query += " } }"
    # when
    status, body = graphql_post(client, query)
    # then validation refuses it, with the depth among the reasons
    assert status == 400
    assert "data" not in body
    assert "TOO_COMPLEX" in _codes(body)


def test_introspection_is_served_but_not_its_recursion(client):
    # given the standard introspection query and a recursive one
    recursive = (
        "{ __schema { types { fields { type { fields { type { fields { name } } } } } }"
        " } }"
    )
    # when
    standard_status, standard = graphql_post(client, get_introspection_query())
    recursive_status, refused = graphql_post(client, recursive)
    # then
    assert standard_status == 200
    assert standard["data"]["__schema"]["queryType"]["name"] == "Query"
    assert recursive_status == 400
    assert _codes(refused) == ["TOO_COMPLEX"]
    assert refused["errors"][0]["message"] == (
        "Query rejected: Maximum introspection depth exceeded."
    )


# Cost -------------------------------------------------------------------------


def _aliased_feed(times: int, first: str = "500") -> str:
    pages = " ".join(
        f"p{i}: changes(first: {first}) {{ edges {{ cursor wire }} }}"
        for i in range(times)
    )
    variables = "($n: Int!)" if first.startswith("$") else ""
    return f"query Many{variables} {{ {pages} }}"


def test_cost_of_the_sync_clients_page_is_well_below_the_limit():
    # when the feed query is costed at its largest page
    errors = validate(
        ROOT,
        parse(CHANGES_QUERY),
        validation_rules(variables={"first": 500}),
    )
    # then
    assert errors == []


def test_costly_query_is_refused_before_execution(
    client, token, django_assert_num_queries
):
    # given the feed asked for five times over in one document (5 x 500 x 22)
    query = _aliased_feed(5)
    # when, then: refused with no query to the database beyond the token's
    # (checked first: a peer's requests have their own rate limit)
    with django_assert_num_queries(1):
        status, body = graphql_post(client, query, token=token)
    assert status == 400
    assert "data" not in body
    assert _codes(body) == ["TOO_COMPLEX"]
    assert body["errors"][0]["message"] == (
        f"Query rejected: the query would cost more than {MAX_COST} (estimated fields)."
    )


def test_cost_uses_page_sizes_given_as_variables(client, token):
    # given one document whose page size comes from a variable
    query = _aliased_feed(5, first="$n")
    # when it is sent with a small and a large page size
    small_status, small = graphql_post(client, query, {"n": 2}, token=token)
    large_status, large = graphql_post(client, query, {"n": 500}, token=token)
    # then only the large one is too costly
    assert small_status == 200
    assert set(small["data"]) == {f"p{i}" for i in range(5)}
    assert large_status == 400
    assert _codes(large) == ["TOO_COMPLEX"]


def test_cost_counts_the_costliest_record_kind_not_the_sum():
    # given a page of records asking every kind's body (four fragments)
    fragments = " ".join(
        f"... on {kind}Record {{ body {{ __typename }} id kind origin version }}"
        for kind in ("Project", "Dataset", "Course", "Organisation")
    )
    query = f"{{ records(first: 100) {{ edges {{ node {{ {fragments} }} }} }} }}"
    # when it is costed
    walk = limits._Walk(schema=ROOT, fragments={}, variables={})
    operation = parse(query).definitions[0]
    cost = walk.cost(operation.selection_set, ROOT.query_type)
    # then: the SQL page 200 and its 100 rows 1,000, edges 100, node 100, one
    # kind's 6 fields 600
    assert cost == 200 + 1_000 + 100 + 100 + 600


def test_exponential_fragments_are_refused_quickly():
    # given fragments that double at each of 40 levels (2^40 fields)
    levels = 40
    fragments = [
        f"fragment F{i} on Hub {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    ]
    fragments.append(f"fragment F{levels} on Hub {{ slug }}")
    document = parse("{ hub { ...F0 } } " + " ".join(fragments))
    # when
    started = time.monotonic()
    errors = validate(ROOT, document, [CostLimitRule, DepthLimitRule])
    # then
    assert [error.extensions for error in errors] == [{"code": "TOO_COMPLEX"}]
    assert time.monotonic() - started < 2


# Request size -----------------------------------------------------------------


def test_oversize_request_is_refused(client):
    # given a body over the limit
    padding = " " * MAX_REQUEST_BYTES
    # when
    response = client.post(
        "/graphql",
        data=json.dumps({"query": HUB_QUERY + padding}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 413
    assert response.json() == {
        "errors": [
            {
                "message": f"The request is larger than {MAX_REQUEST_BYTES} bytes.",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }


# Errors, CSRF, GraphiQL ---------------------------------------------------------


@pytest.mark.parametrize(
    ("debug", "message"),
    [
        (False, "Internal server error."),
        (True, "password=hunter2 at db.internal:5432"),
    ],
)
def test_unexpected_errors_leak_no_detail(
    client, monkeypatch, settings, debug, message
):
    # given a failure deep inside with a message that must not leave the hub
    settings.DEBUG = debug

    def broken() -> None:
        raise RuntimeError("password=hunter2 at db.internal:5432")

    monkeypatch.setattr(operations, "hub_identity", broken)
    # when
    status, body = graphql_post(client, HUB_QUERY)
    # then the message shows only under DEBUG; the code always
    assert status == 200
    assert body["data"] is None
    assert body["errors"] == [
        {
            "message": message,
            "locations": [{"line": 1, "column": 13}],
            "path": ["hub"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
    ]


def test_peers_post_without_a_csrf_token(token):
    # given a client that enforces CSRF like a browser session would
    strict = Client(enforce_csrf_checks=True)
    # when a peer posts the feed query
    status, body = graphql_post(strict, CHANGES_QUERY, {"first": 1}, token=token)
    # then
    assert status == 200
    assert body == {
        "data": {
            "changes": {
                "latestSequence": 0,
                "pageInfo": {"hasNextPage": False, "endCursor": None},
                "edges": [],
            }
        }
    }


@pytest.mark.parametrize(("debug", "html"), [(False, False), (True, True)])
def test_graphiql_only_when_debug(client, settings, debug, html):
    # given
    settings.DEBUG = debug
    # when a browser opens /graphql
    response = client.get("/graphql", headers={"Accept": "text/html"})
    # then
    assert ("graphiql" in response.content.decode().lower()) is html
    assert response.status_code == (200 if html else 400)


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        ("{ hub { slug ", {}, "Syntax Error: Expected Name, found <EOF>."),
        ("{ hub { token } }", {}, "Cannot query field 'token' on type 'Hub'."),
        (
            CHANGES_QUERY,
            {},
            "Variable '$first' of required type 'Int!' was not provided.",
        ),
    ],
)
def test_request_errors_are_typed_bad_request(client, query, variables, message):
    # when a malformed request is sent
    status, body = graphql_post(client, query, variables)
    # then it is refused before execution, typed
    assert status == 400
    assert "data" not in body
    assert [error["message"] for error in body["errors"]] == [message]
    assert _codes(body) == ["BAD_REQUEST"]
