"""The composed root schema: the search field's cost counts against the GraphQL
budget, and every query real clients send stays within it."""

from typing import Any

import pytest
from django.test import Client
from graphql import get_named_type, is_leaf_type, parse, validate

from federation.graphql import limits
from federation.graphql.limits import MAX_COST, validation_rules
from federation.wire import CHANGES_QUERY, HUB_QUERY
from hubnet.demo.hubs import DEMO_HUBS
from hubnet.demo.status import KINDS, count_query
from hubnet.graphql import schema
from search.graphql import ENGINE_QUERY_WEIGHT, HIT_WEIGHT
from tests.federation.factories import graphql_post
from tests.federation.test_graphql_browse import RECORDS_QUERY
from tests.search.test_api import SEARCH_QUERY

ROOT = schema.graphql_schema
# ``search(first: 100) { totalCount }``: the faceted query, 100 hits, one field.
FULL_SEARCH_COST = ENGINE_QUERY_WEIGHT + 100 * HIT_WEIGHT + 1


def _cost(query: str, variables: dict[str, Any] | None = None) -> int:
    operation = parse(query).definitions[0]
    walk = limits._Walk(schema=ROOT, fragments={}, variables=variables or {})
    return walk.cost(operation.selection_set, ROOT.query_type)  # type: ignore[arg-type]


def _refusals(query: str, variables: dict[str, Any] | None = None) -> list[Any]:
    errors = validate(ROOT, parse(query), validation_rules(variables=variables))
    return [error.extensions for error in errors]


def _searches(times: int, first: int = 100) -> str:
    return " ".join(
        f"s{i}: search(first: {first}) {{ totalCount }}" for i in range(times)
    )


def _every_field(type_name: str) -> str:
    """Every field of a type, nested object types expanded."""
    parts = []
    for name, field in ROOT.get_type(type_name).fields.items():  # type: ignore[union-attr]
        named = get_named_type(field.type)
        parts.append(
            name if is_leaf_type(named) else f"{name} {{ {_every_field(named.name)} }}"
        )
    return " ".join(parts)


def _demo_counts() -> str:
    """The demo's count of records per origin and kind at the EU hub."""
    fields = {
        f"h{number}_{kind}": f'origin: "{hub.slug}" kinds: [{kind}]'
        for number, hub in enumerate(DEMO_HUBS)
        for kind in KINDS
    }
    return count_query(fields)


def _lookups(times: int) -> tuple[str, dict[str, str]]:
    """The soak's batch of record lookups (bench/soak_traffic.py)."""
    variables = {f"i{n}": f"eu:course:{n}" for n in range(times)}
    query = (
        "query Lag("
        + ", ".join(f"$i{n}: ID!" for n in range(times))
        + ") { "
        + " ".join(f"r{n}: record(id: $i{n}) {{ version }}" for n in range(times))
        + " }"
    )
    return query, variables


TYPED_PAGE = (
    "{ records(first: 100) { totalCount pageInfo { hasNextPage endCursor } "
    "edges { cursor node { "
    + " ".join(
        f"... on {name} {{ {_every_field(name)} }}"
        for name in (f"{kind.capitalize()}Record" for kind in KINDS)
    )
    + " } } } }"
)

# What real clients send: the sync client, the demo, the soak, the search and
# browse examples, a page of typed records with every field.
CLIENT_QUERIES = {
    "sync feed page": (CHANGES_QUERY, {"first": 500}),
    "demo counts": (_demo_counts(), {}),
    "soak lookups": _lookups(50),
    "search page": (SEARCH_QUERY, {"first": 5000, "text": "ai"}),
    "browse page": (RECORDS_QUERY, {"first": 100}),
    "typed page": (TYPED_PAGE, {}),
    "hub": (HUB_QUERY, {}),
}


@pytest.mark.parametrize("name", list(CLIENT_QUERIES))
def test_every_real_client_query_is_within_the_budget(name):
    # given a query a real client sends
    query, variables = CLIENT_QUERIES[name]
    # when it is validated with the API's rules, then it passes with room to spare
    assert _refusals(query, variables) == []
    assert _cost(query, variables) < MAX_COST / 2


@pytest.mark.parametrize(
    ("query", "cost"),
    [
        ("{ search(first: 100) { totalCount } }", 2_501),
        ("{ search(first: 0) { totalCount } }", 1_001),
        # absent: the argument's default page of 20; over the cap: the cap
        ("{ search { totalCount } }", 1_301),
        ("{ search(first: 5000) { totalCount } }", 2_501),
        # only the hits multiply by the page; a hit's record weighs 20
        ("{ search(first: 2) { hits { id record } facets { name } } }", 1_076),
    ],
)
def test_the_search_field_costs_an_engine_query_and_its_hits(query, cost):
    # when, then: 1,000 for the faceted query, 15 a hit, plus the fields
    assert _cost(query) == cost


def test_the_most_searches_that_fit_pass_and_one_more_is_refused():
    # given 19 full-page searches (47,519), the most that fit
    fitting = MAX_COST // FULL_SEARCH_COST
    assert fitting == 19
    # when, then: one alias more is refused
    assert _refusals(f"{{ {_searches(fitting)} }}") == []
    assert _refusals(f"{{ {_searches(fitting + 1)} }}") == [{"code": "TOO_COMPLEX"}]


def test_a_search_page_one_hit_larger_is_refused_at_the_edge():
    # given 19 full pages and one more whose size is a variable: 1,001 + 15 a
    # hit, so 98 hits fit (49,990) and 99 do not (50,005)
    query = (
        f"query Edge($n: Int) {{ {_searches(19)} "
        "last: search(first: $n) { totalCount } }"
    )
    # when, then
    assert _refusals(query, {"n": 98}) == []
    assert _refusals(query, {"n": 99}) == [{"code": "TOO_COMPLEX"}]


def test_the_search_flood_that_fitted_in_one_request_is_refused_over_http():
    # given 2,800 aliases of a full-page search in one request under 100 KB (no
    # engine is configured: had one search run, the answer would be a 200 with
    # errors, not a 400)
    query = "{" + "".join(f"a{i}:search(first:100){{totalCount}}" for i in range(2800))
    query += "}"
    assert len(query) < limits.MAX_REQUEST_BYTES
    # when
    status, body = graphql_post(Client(), query)
    # then refused in validation
    assert status == 400
    assert "data" not in body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["TOO_COMPLEX"]
