"""GraphQL object types derived from the pydantic body models of the record schema.

Nothing here is written by hand per field: ``body_object_type`` walks a model's
``model_fields`` and maps each annotation

- ``str``, ``HttpUrl``, ``date``, ``datetime`` and ``Literal[...]`` -> ``String``
  (literal values such as ``in-use`` are not valid GraphQL enum names, so they
  stay strings; the description lists them);
- ``int`` -> ``Int`` when the field's bounds fit in 32 bits, else ``BigInt``
  (``amountEur`` goes up to 10^12, ``byteSize`` is unbounded);
- ``float`` -> ``Float``, ``bool`` -> ``Boolean``, ``dict`` -> ``GenericScalar``;
- ``list[X]`` -> ``[X!]``, a nested model -> its own object type (one per model).

A field is non-null when the model requires it or gives it a non-None default;
its resolver reads the camelCase key from the stored body JSON and falls back to
that default, so a body resolves without any query. Each field's description is
the pydantic description or a generated sentence with the field's constraints.
An annotation the mapping does not know fails at import, so a change to the
record schema cannot silently drop a field from the API.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
import graphene
from graphene.types.generic import GenericScalar
from pydantic import AnyUrl, BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from federation.records import BODY_MODELS, RECORD_ID, Kind

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1

# Field names whose generated label reads better spelled out.
LABELS = {
    "amount_eur": "amount in euros",
    "price_eur": "price in euros",
    "byte_size": "size in bytes",
    "workload_hours": "workload in hours",
    "trl": "technology readiness level (TRL)",
    "eqf_level": "EQF level",
    "isced_field": "ISCED-F field",
    "annex_iii_area": "AI Act Annex III area",
    "ai_act_class": "AI Act class",
    "lat": "latitude",
    "lon": "longitude",
    "nuts": "NUTS codes",
    "url": "URL",
    "access_url": "access URL",
    "download_url": "download URL",
    "source_code_url": "source code URL",
    "human_influence": "influence a person has on the decision",
    "rights_impact": "impact on people's rights",
    "impact_level": "impact on people (from human influence and rights impact)",
}
# How a yes/no field reads: "Whether the <owner> <phrase>."
BOOLEAN_PHRASES = {
    "b2g_sharing": "is available for business-to-government sharing",
    "biometric_data": "uses biometric data",
    "procurement_clauses": "applies the standard AI procurement clauses",
    "publicly_funded": "is publicly funded",
    "open_to_partnership": "is open to partnership",
}
# What the record schema's string validators mean, by function name.
VALIDATOR_NOTES = {
    "_plain": "Plain text (markup is refused).",
    "_rich": "Sanitized HTML (p, br, strong, em, lists, links, h3, h4).",
    "_nuts": "A NUTS code such as NL414.",
}

_types: dict[type[BaseModel], type[graphene.ObjectType]] = {}


def body_object_type(model: type[BaseModel]) -> type[graphene.ObjectType]:
    """The GraphQL object type of a pydantic model (created once, then reused)."""
    if model not in _types:
        label = _model_label(model)
        fields = {
            name: _field(name, info, owner=label)
            for name, info in model.model_fields.items()
        }
        meta = type(
            "Meta",
            (),
            {
                "name": model.__name__,
                "description": _model_description(model, label),
            },
        )
        _types[model] = type(
            model.__name__, (graphene.ObjectType,), {"Meta": meta, **fields}
        )
    return _types[model]


def _field(name: str, info: FieldInfo, *, owner: str) -> graphene.Field:
    annotation, metadata, optional = _unwrap(info.annotation, info.metadata)
    graphql_type, notes = _convert(annotation, metadata)
    default = _default(info)
    if default not in (None, "", [], {}, ()):
        notes.append(f"Defaults to {_literal(default)}.")
    non_null = not optional and (info.is_required() or default is not None)
    description = info.description or " ".join(
        [_sentence(name, owner, boolean=graphql_type is graphene.Boolean), *notes]
    )
    return graphene.Field(
        graphene.NonNull(graphql_type) if non_null else graphql_type,
        name=info.alias or name,
        description=description,
        resolver=_resolver(info.alias or name, default),
    )


def _sentence(name: str, owner: str, *, boolean: bool) -> str:
    if boolean:
        phrase = BOOLEAN_PHRASES.get(name, f"has {name.replace('_', ' ')}")
        return f"Whether the {owner} {phrase}."
    return f"The {LABELS.get(name, name.replace('_', ' '))} of the {owner}."


def _resolver(key: str, default: Any) -> Callable[..., Any]:
    def resolve(body: Mapping[str, Any], _info: Any) -> Any:
        value = body.get(key)
        return default if value is None else value

    return resolve


def _default(info: FieldInfo) -> Any:
    if info.default_factory is not None:
        return info.default_factory()  # type: ignore[call-arg]
    return None if info.default is PydanticUndefined else info.default


def _unwrap(annotation: Any, metadata: Iterable[Any]) -> tuple[Any, list[Any], bool]:
    """Strip ``Annotated`` and ``| None``: (the inner type, all metadata, optional)."""
    collected = list(_flatten(metadata))
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            collected += _flatten(extra)
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                raise TypeError(f"cannot map the union {annotation!r} to GraphQL")
            optional = True
            annotation = members[0]
        else:
            return annotation, collected, optional


def _flatten(metadata: Iterable[Any]) -> Iterable[Any]:
    for item in metadata:
        if isinstance(item, FieldInfo):
            yield from item.metadata
        else:
            yield item


def _convert(annotation: Any, metadata: list[Any]) -> tuple[Any, list[str]]:
    """The GraphQL type (without the outer non-null) and notes on the constraints."""
    converted = _convert_structure(annotation, metadata)
    if converted is None:
        converted = _convert_scalar(annotation, metadata)
    return converted


def _convert_structure(
    annotation: Any, metadata: list[Any]
) -> tuple[Any, list[str]] | None:
    """A choice, list, JSON object or nested model; None for anything else."""
    origin = get_origin(annotation)
    max_length = _find(metadata, annotated_types.MaxLen, "max_length")
    if origin is Literal:
        values = ", ".join(str(value) for value in get_args(annotation))
        return graphene.String, [f"One of: {values}."]
    if origin is list:
        item, item_metadata, _ = _unwrap(get_args(annotation)[0], [])
        item_type, notes = _convert(item, item_metadata)
        if max_length is not None:
            notes.append(f"At most {max_length} items.")
        return graphene.List(graphene.NonNull(item_type)), notes
    if origin is dict or annotation is dict:
        notes = ["A JSON object."]
        if max_length is not None:
            notes.append(f"At most {max_length} entries.")
        return GenericScalar, notes
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return body_object_type(annotation), []
    return None


def _convert_scalar(annotation: Any, metadata: list[Any]) -> tuple[Any, list[str]]:
    """A boolean, number, date, URL or string, with notes on its bounds."""
    max_length = _find(metadata, annotated_types.MaxLen, "max_length")
    if annotation is bool:
        return graphene.Boolean, []
    if annotation is int:
        low, high = _bounds(metadata)
        fits = (
            low is not None
            and high is not None
            and low >= INT32_MIN
            and high <= INT32_MAX
        )
        return (graphene.Int if fits else graphene.BigInt), _range_notes(low, high)
    if annotation is float:
        return graphene.Float, _range_notes(*_bounds(metadata))
    if annotation is dt.datetime:
        return graphene.String, ["An ISO 8601 date and time with a time zone."]
    if annotation is dt.date:
        return graphene.String, ["An ISO 8601 date (YYYY-MM-DD)."]
    if isinstance(annotation, type) and issubclass(annotation, AnyUrl):
        return graphene.String, _length_notes(["An http(s) URL."], max_length)
    if annotation is str:
        return graphene.String, _length_notes(_string_notes(metadata), max_length)
    raise TypeError(f"cannot map {annotation!r} to GraphQL")


def _string_notes(metadata: list[Any]) -> list[str]:
    notes = []
    pattern = _find(metadata, object, "pattern")
    if pattern == RECORD_ID.pattern:
        notes.append("A record id: <origin>:<kind>:<uuid>.")
    elif pattern:
        notes.append(f"Matches the pattern {pattern}.")
    for item in metadata:
        name = getattr(getattr(item, "func", None), "__name__", "")
        if name in VALIDATOR_NOTES:
            notes.append(VALIDATOR_NOTES[name])
    return notes


def _length_notes(notes: list[str], max_length: int | None) -> list[str]:
    if max_length is not None:
        notes.append(f"Up to {max_length} characters.")
    return notes


def _find(metadata: list[Any], kind: type, attribute: str) -> Any:
    for item in metadata:
        if isinstance(item, kind) and getattr(item, attribute, None) is not None:
            return getattr(item, attribute)
    return None


def _bounds(metadata: list[Any]) -> tuple[float | None, float | None]:
    low = _find(metadata, annotated_types.Ge, "ge")
    high = _find(metadata, annotated_types.Le, "le")
    return low, high


def _range_notes(low: float | None, high: float | None) -> list[str]:
    if low is not None and high is not None:
        return [f"From {low} to {high}."]
    if low is not None:
        return [f"At least {low}."]
    if high is not None:
        return [f"At most {high}."]
    return []


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _model_label(model: type[BaseModel]) -> str:
    words = re.findall(r"[A-Z][a-z0-9]*", model.__name__.removesuffix("Body"))
    return " ".join(word.lower() for word in words) or model.__name__.lower()


def _model_description(model: type[BaseModel], label: str) -> str:
    source = f"Derived from federation.records.{model.__name__}."
    own = model.__dict__.get("__doc__")
    if own:
        return f"{inspect.cleandoc(own)} {source}"
    article = "An" if label[:1] in "aeiou" else "A"
    return f"{article} {label} in a record body. {source}"


# The body type of each kind (after the helpers above are defined).
BODY_TYPES: dict[Kind, type[graphene.ObjectType]] = {
    kind: body_object_type(model) for kind, model in BODY_MODELS.items()
}
