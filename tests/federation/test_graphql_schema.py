"""The GraphQL types of federation, as the root schema (``hubnet.graphql``)
serves them: derived from the record schema, described field by field."""

from typing import Any, get_args, get_origin

import pytest
from graphql import (
    GraphQLNonNull,
    GraphQLObjectType,
    is_introspection_type,
    is_specified_scalar_type,
)
from pydantic import BaseModel

from federation.graphql.bodies import body_object_type
from federation.records import BODY_MODELS, Kind, Location
from hubnet.graphql import schema
from tests.federation.factories import FULL_BODIES, body_full

GRAPHQL = schema.graphql_schema


def _models_of(model: type[BaseModel]) -> set[type[BaseModel]]:
    """``model`` and every model nested in its fields."""
    found = {model}
    for info in model.model_fields.values():
        stack = [info.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                found |= _models_of(annotation)
            elif get_origin(annotation) is not None:
                stack += get_args(annotation)
    return found


ALL_MODELS = sorted(
    set().union(*(_models_of(model) for model in BODY_MODELS.values())),
    key=lambda model: model.__name__,
)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda model: model.__name__)
def test_every_model_field_is_a_described_graphql_field(model):
    # given the object type derived from a body model
    graphql_type = GRAPHQL.get_type(model.__name__)
    assert isinstance(graphql_type, GraphQLObjectType)
    assert graphql_type.description.endswith(
        f"Derived from federation.records.{model.__name__}."
    )
    # then it has exactly the model's fields, by their wire (camelCase) names,
    # non-null exactly where the model requires a value or gives a default
    expected = {info.alias or name: info for name, info in model.model_fields.items()}
    assert list(graphql_type.fields) == list(expected)
    for name, field in graphql_type.fields.items():
        info = expected[name]
        has_value = info.is_required() or info.get_default() is not None
        optional = type(None) in get_args(info.annotation)
        assert isinstance(field.type, GraphQLNonNull) is (has_value and not optional)
        assert field.description, f"{model.__name__}.{name} has no description"


def test_scalar_mapping():
    # then bounded ints are Int, unbounded or large ones BigInt, literals String
    def type_of(type_name: str, field: str) -> str:
        return str(GRAPHQL.get_type(type_name).fields[field].type)

    assert type_of("ProjectBody", "trl") == "Int"
    assert type_of("Funding", "amountEur") == "BigInt"
    assert type_of("Distribution", "byteSize") == "BigInt"
    assert type_of("CourseBody", "priceEur") == "Float"
    assert type_of("ProjectBody", "status") == "String!"
    assert type_of("ProjectBody", "startDate") == "String"
    assert type_of("ProjectBody", "partners") == "[Partner!]!"
    assert type_of("OrganisationBody", "identifiers") == "GenericScalar!"
    assert type_of("OrganisationBody", "openToPartnership") == "Boolean!"
    assert type_of("ProjectRecord", "version") == "BigInt!"
    assert type_of("ProjectRecord", "body") == "ProjectBody"
    assert (
        GRAPHQL.get_type("Location")
        is GRAPHQL.get_type("ProjectBody").fields["location"].type
    )
    assert body_object_type(Location).__name__ == "Location"


def test_records_are_typed_per_kind_behind_one_interface():
    # then one type per kind implements Record, each with its own body
    record = GRAPHQL.get_type("Record")
    implementations = GRAPHQL.get_possible_types(record)
    assert sorted(kind.name for kind in implementations) == [
        "CourseRecord",
        "DatasetRecord",
        "OrganisationRecord",
        "ProjectRecord",
    ]
    assert list(record.fields) == [
        "id",
        "kind",
        "origin",
        "originPath",
        "originLevel",
        "version",
        "updatedAt",
        "deleted",
        "language",
        "url",
        "schemaVersion",
        "signature",
        "keyId",
        "verified",
    ]
    assert list(GRAPHQL.get_type("RecordKind").values) == [k.value for k in Kind]


def test_every_field_of_the_api_is_described():
    # then every type and field this API defines says what it is
    undescribed = []
    for name, named in GRAPHQL.type_map.items():
        if is_introspection_type(named) or is_specified_scalar_type(named):
            continue
        if not named.description and name not in {"Query", "Mutation"}:
            undescribed.append(name)
        for field_name, field in getattr(named, "fields", {}).items():
            if not field.description:
                undescribed.append(f"{name}.{field_name}")
    assert undescribed == []


def test_connections_have_the_documented_shape():
    # then ChangeConnection and ChangeEdge are as federation.wire expects
    def shape(type_name: str) -> dict[str, str]:
        graphql_type: GraphQLObjectType = GRAPHQL.get_type(type_name)
        return {name: str(field.type) for name, field in graphql_type.fields.items()}

    assert shape("ChangeConnection") == {
        "latestSequence": "BigInt!",  # 64-bit, as the sequence column
        "pageInfo": "PageInfo!",
        "edges": "[ChangeEdge!]!",
    }
    assert shape("ChangeEdge") == {
        "cursor": "String!",
        "sequence": "BigInt!",
        "wire": "GenericScalar!",
        "node": "Record!",
    }
    assert shape("PageInfo") == {"hasNextPage": "Boolean!", "endCursor": "String"}
    changes = GRAPHQL.query_type.fields["changes"]
    assert {name: str(arg.type) for name, arg in changes.args.items()} == {
        "after": "String",
        "first": "Int!",
        "kinds": "[RecordKind!]",
    }


def _nested_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model an annotation holds, if any, and whether it is a list of them."""
    stack = [(annotation, False)]
    while stack:
        current, in_list = stack.pop()
        if isinstance(current, type) and issubclass(current, BaseModel):
            return current, in_list
        origin = get_origin(current)
        if origin is not None:
            stack += [(arg, in_list or origin is list) for arg in get_args(current)]
    return None, False


def _unset_fields(model: type[BaseModel], body: dict[str, Any], where: str) -> list:
    """The fields of ``model`` (nested ones too) that ``body`` leaves empty."""
    missing = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        value = body.get(key)
        if value in (None, "", [], {}):
            missing.append(f"{where}.{key}")
            continue
        nested, in_list = _nested_model(info.annotation)
        if nested is not None:
            for item in value if in_list else [value]:
                missing += _unset_fields(nested, item, f"{where}.{key}")
    return missing


@pytest.mark.parametrize("kind", [kind.value for kind in Kind])
def test_full_bodies_set_every_field(kind):
    # then the test factory's full body of each kind leaves no field empty, and
    # validates (so the typed-record tests see the whole schema)
    model = BODY_MODELS[Kind(kind)]
    assert _unset_fields(model, FULL_BODIES[kind], kind) == []
    model.model_validate(body_full(kind))
