"""Costs of the root fields against the GraphQL budget: a call and a page for
``records`` and ``changes``, a lookup for ``record``; aliases, fragments and
variables counted; over budget refused in validation, before any SQL."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql import (
    FragmentDefinitionNode,
    OperationDefinitionNode,
    build_schema,
    parse,
    validate,
)

from federation.graphql import limits
from federation.graphql.limits import (
    MAX_COST,
    FieldCost,
    field_costs_declare,
    validation_rules,
)
from federation.wire import CHANGES_QUERY
from hubnet.graphql import schema
from tests.federation.factories import graphql_post

pytestmark = pytest.mark.django_db


def _codes(body: dict[str, Any]) -> list[str | None]:
    return [error.get("extensions", {}).get("code") for error in body["errors"]]


# The one schema the endpoint serves (federation's part with search composed in).
ROOT = schema.graphql_schema
# ``records(first: 1) { totalCount }``: the page 200 + one row 10 + the COUNT 200.
COUNT_COST = 410


def _cost(query: str, variables: dict[str, Any] | None = None) -> int:
    """The estimated cost of ``query``'s operation on the federation schema."""
    document = parse(query)
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    (operation,) = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    ]
    walk = limits._Walk(schema=ROOT, fragments=fragments, variables=variables or {})
    return walk.cost(operation.selection_set, ROOT.query_type)


def _refusals(query: str, variables: dict[str, Any] | None = None) -> list[Any]:
    errors = validate(ROOT, parse(query), validation_rules(variables=variables))
    return [error.extensions for error in errors]


def _counts(times: int) -> str:
    return " ".join(f"c{i}: records(first: 1) {{ totalCount }}" for i in range(times))


@pytest.mark.parametrize(
    ("query", "variables", "cost"),
    [
        ('{ record(id: "x") { version } }', {}, 150 + 1),
        ("{ records(first: 1) { totalCount } }", {}, COUNT_COST),
        # absent: the argument's default page of 20
        ("{ records { totalCount } }", {}, 200 + 20 * 10 + 200),
        # over the cap: costed at the cap (the resolver refuses it)
        ("{ records(first: 5000) { edges { cursor } } }", {}, 200 + 1_000 + 200),
        # a variable: its value; a variable not given: the cap
        ("query($n: Int) { records(first: $n) { edges { cursor } } }", {"n": 3}, 236),
        ("query($n: Int) { records(first: $n) { edges { cursor } } }", {}, 1_400),
        # the sync client's full page: 5,200 for the page, 23 a edge, 4 around,
        # and 1 for the key statements
        (CHANGES_QUERY, {"first": 500}, 16_705),
    ],
)
def test_root_fields_cost_their_call_and_their_page(query, variables, cost):
    # when the query is costed, then
    assert _cost(query, variables) == cost


def test_the_most_counts_that_fit_pass_and_one_alias_more_is_refused():
    # given as many aliased counts as the budget holds, and one more
    fitting = MAX_COST // COUNT_COST
    # when each is validated, then
    assert fitting == 121
    assert _refusals(f"{{ {_counts(fitting)} }}") == []
    assert _refusals(f"{{ {_counts(fitting + 1)} }}") == [{"code": "TOO_COMPLEX"}]


def test_a_page_one_item_larger_is_refused_at_the_edge():
    # given 35 full pages of cursors (35 x 1,400 = 49,000) and one more page whose
    # size comes from a variable: 200 + 12 per item, so 66 items fit and 67 do not
    pages = " ".join(
        f"p{i}: records(first: 100) {{ edges {{ cursor }} }}" for i in range(35)
    )
    query = (
        f"query Edge($n: Int) {{ {pages} "
        "last: records(first: $n) { edges { cursor } } }"
    )
    # when, then
    assert _cost(query, {"n": 66}) == 49_992
    assert _refusals(query, {"n": 66}) == []
    assert _refusals(query, {"n": 67}) == [{"code": "TOO_COMPLEX"}]


def test_aliases_in_fragments_and_inline_fragments_count():
    # given 121 counts split between a named fragment and an inline one, and the
    # same with one count more in the inline fragment
    named = f"fragment Counts on Query {{ {_counts(60)} }}"

    def document(inline: int) -> str:
        extra = " ".join(
            f"i{i}: records(first: 1) {{ totalCount }}" for i in range(inline)
        )
        return f"{{ ...Counts ... on Query {{ {extra} }} }} {named}"

    # when, then
    assert _refusals(document(61)) == []
    assert _refusals(document(62)) == [{"code": "TOO_COMPLEX"}]


@pytest.mark.parametrize(
    "query",
    [
        f"{{ {_counts(MAX_COST // COUNT_COST + 1)} }}",
        "{ "
        + " ".join(f'r{i}: record(id: "x:{i}") {{ id }}' for i in range(332))
        + " }",
    ],
    ids=["records", "record"],
)
def test_over_budget_browsing_is_refused_without_sql(client, query):
    # given one alias more than the budget holds (counts, or lookups at 151 each)
    # when it is posted
    with CaptureQueriesContext(connection) as queries:
        status, body = graphql_post(client, query)
    # then it is refused in validation: not one SQL query ran
    assert status == 400
    assert _codes(body) == ["TOO_COMPLEX"]
    assert [run["sql"] for run in queries.captured_queries] == []


def test_validation_stops_at_the_first_over_budget_operation():
    # given an over-budget document whose last alias is also an unknown field
    query = f"{{ {_counts(MAX_COST // COUNT_COST + 1)} last: records {{ nope }} }}"
    # when it is validated with every rule
    errors = validate(ROOT, parse(query), validation_rules())
    # then only the cost refusal comes back: no other rule walked the document
    assert [(error.message, error.extensions) for error in errors] == [
        (
            f"Query rejected: the query would cost more than {MAX_COST} "
            "(estimated fields).",
            {"code": "TOO_COMPLEX"},
        )
    ]


PAGED_SCHEMA = build_schema(
    """
    type Query { page(first: Int = 3): Page, other: Page }
    type Page { items: [Item!]!, tags: [String!]! }
    type Item { name: String }
    """
)


def test_a_declared_cost_is_read_from_the_schema():
    # given a schema whose paged field declares its cost
    costly = FieldCost(weight=100, per_item=5, cap=10, items="items")
    field_costs_declare(PAGED_SCHEMA, {("Query", "page"): costly})
    walk = limits._Walk(schema=PAGED_SCHEMA, fragments={}, variables={})

    def cost(query: str) -> int:
        operation = parse(query).definitions[0]
        return walk.cost(operation.selection_set, PAGED_SCHEMA.query_type)

    # when, then: the default page of 3, the cap of 10; only ``items`` multiplies
    assert cost("{ page { items { name } tags } }") == 100 + 15 + 3 * 2 + 1
    assert cost("{ page(first: 50) { items { name } } }") == 100 + 50 + 10 * 2
    assert cost("{ other { items { name } } }") == 1 + 1 + 1


def test_declaring_an_unknown_field_or_a_half_paged_cost_fails():
    # when, then
    with pytest.raises(ValueError, match="Query.missing is not in the schema"):
        field_costs_declare(PAGED_SCHEMA, {("Query", "missing"): FieldCost()})
    with pytest.raises(ValueError, match="names both its cap and its items list"):
        FieldCost(weight=5, cap=10)


def _names(tokens: int) -> str:
    """A document of exactly ``tokens`` tokens: braces around field names."""
    return "{ " + " ".join(f"f{n}" for n in range(tokens - 2)) + " }"


def test_a_document_at_the_token_limit_is_left_to_the_parser():
    # given a document of exactly MAX_TOKENS tokens, and one with a syntax error
    # when its tokens are counted, then neither is refused for its length
    assert limits.document_token_error(_names(limits.MAX_TOKENS)) is None
    assert limits.document_token_error("{ records(first: ) }") is None


def test_a_document_over_the_token_limit_is_refused_before_parsing(client):
    # given one token more than the limit (within MAX_REQUEST_BYTES)
    query = _names(limits.MAX_TOKENS + 1)
    assert len(query) < limits.MAX_REQUEST_BYTES
    # when it is posted
    with CaptureQueriesContext(connection) as queries:
        status, body = graphql_post(client, query)
    # then it is refused with a short message, and nothing ran
    assert status == 400
    assert body["errors"] == [
        {
            "message": "Query rejected: the document holds more than 5000 tokens.",
            "extensions": {"code": "TOO_COMPLEX"},
        }
    ]
    assert [run["sql"] for run in queries.captured_queries] == []
