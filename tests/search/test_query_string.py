"""The query-string parameters (search.query_string) and the OpenAPI document
(/api/schema/) come from one table: whatever the parser accepts is documented,
with the bounds the parser checks, and nothing else is."""

import json
from typing import Any

import pytest
from django.test import Client

from search.query_string import (
    PARTNER_PARAMETERS,
    SEARCH_PARAMETERS,
    SUGGEST_PARAMETERS,
    query_parse,
    search_params_parse,
)
from search.types import FACETS, SearchParams, SearchParamsInvalid

ENDPOINTS = {
    "/api/v1/search": SEARCH_PARAMETERS,
    "/api/v1/search/export.csv": SEARCH_PARAMETERS,
    "/api/v1/search/export.xlsx": SEARCH_PARAMETERS,
    "/api/v1/suggest": SUGGEST_PARAMETERS,
    "/api/v1/partners": PARTNER_PARAMETERS,
}
# Names a client might try: every field of SearchParams, every facet, and the
# singular and short forms of the filters.
CANDIDATES = sorted(
    {field.name for field in SearchParams.__dataclass_fields__.values()}
    | set(FACETS)
    | {"q", "kind", "level", "country", "language", "target_group"}
    | {"ai_act_class", "annex_iii_area", "status", "type", "mode", "query"}
)


@pytest.fixture(scope="module")
def openapi(django_db_blocker) -> dict[str, Any]:
    """The OpenAPI document as the hub serves it."""
    with django_db_blocker.unblock():
        response = Client().get(
            "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
        )
    assert response.status_code == 200
    return json.loads(response.content)


def _documented(openapi: dict[str, Any], path: str) -> dict[str, dict[str, Any]]:
    """The query parameters of ``GET path``, by name."""
    parameters = openapi["paths"][path]["get"]["parameters"]
    return {p["name"]: p for p in parameters if p["in"] == "query"}


def _sample(parameter: dict[str, Any]) -> str:
    """A value of the documented type (within its bounds)."""
    schema = parameter["schema"]
    schema = schema.get("items", schema)
    if "enum" in schema:
        return str(schema["enum"][-1])  # the first is often the default
    if schema["type"] in ("integer", "number"):
        return str(schema.get("minimum", 1))
    if schema["type"] == "boolean":
        return "true"
    return "x"


def _accepted(name: str, value: str) -> bool:
    """Whether the parser reads ``name``: the parse differs from an empty
    query's, or the value is refused naming it."""
    try:
        return search_params_parse({name: [value]}) != search_params_parse({})
    except SearchParamsInvalid as error:
        return str(error).startswith(f"{name}:")


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_the_document_lists_exactly_the_table(openapi, path):
    # given an endpoint's documented query parameters
    documented = _documented(openapi, path)
    table = {parameter.name: parameter for parameter in ENDPOINTS[path]}
    # then they are the table's, with its bounds, choices and required flags
    assert sorted(documented) == sorted(table)
    for name, parameter in table.items():
        schema = documented[name]["schema"]
        items = schema.get("items", schema)
        assert documented[name].get("required", False) is parameter.required, name
        assert items.get("minimum") == parameter.minimum, name
        assert items.get("maximum") == parameter.maximum, name
        assert items.get("maxLength") == parameter.max_length, name
        assert tuple(items.get("enum", ())) == parameter.choices, name
        assert (schema["type"] == "array") is (parameter.read == "many"), name


def test_every_documented_search_parameter_is_read(openapi):
    # given every parameter the document offers for a search
    documented = _documented(openapi, "/api/v1/search")
    # then the parser reads each of them (none is documented and ignored)
    ignored = [
        name for name, item in documented.items() if not _accepted(name, _sample(item))
    ]
    assert ignored == []


@pytest.mark.parametrize("name", CANDIDATES)
def test_a_name_the_parser_reads_is_documented(openapi, name):
    # given a name a client might send, with a value of the right shape
    documented = _documented(openapi, "/api/v1/search")
    value = _sample(documented[name]) if name in documented else "1"
    # then the parser reads it exactly when the document lists it
    assert _accepted(name, value) is (name in documented)


def test_a_facet_bucket_becomes_the_next_request():
    # given every multi-select facet (trl is chosen as trl_min and trl_max)
    by_name = {parameter.name: parameter for parameter in SEARCH_PARAMETERS}
    for facet in set(FACETS) - {"trl", "scopes", "nuts1", "nuts2", "nuts3"}:
        parameter = by_name[facet]
        value = "true" if parameter.read == "bool" else (*parameter.choices, "a")[0]
        # then its name is a parameter filling the filter of the same name
        assert list(query_parse({facet: [value]}, SEARCH_PARAMETERS)) == [facet]


def test_values_under_both_names_add_up():
    # when a filter comes under its singular and its plural name
    params = search_params_parse({"level": ["local"], "levels": ["eu,national"]})
    # then all values are kept, in table order
    assert params.levels == ("local", "eu", "national")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"size": ["101"]}, "size: at least 0 and at most 100"),
        ({"size": ["many"]}, "size: a number"),
        ({"level": ["planet"]}, "level: unknown ['planet'], one of local, "),
        ({"text": ["x" * 501]}, "text: at most 500 characters"),
        ({"open_to_partnership": ["maybe"]}, "open_to_partnership: true or false"),
    ],
)
def test_a_bad_value_is_refused_naming_the_parameter_sent(query, message):
    with pytest.raises(SearchParamsInvalid) as refused:
        search_params_parse(query)
    assert str(refused.value).startswith(message)


def test_a_required_parameter_is_required():
    with pytest.raises(SearchParamsInvalid, match=r"^need: required$"):
        query_parse({"need": ["  "]}, PARTNER_PARAMETERS)
    assert query_parse({"need": [" vision "]}, PARTNER_PARAMETERS) == {"need": "vision"}
