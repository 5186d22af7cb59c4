"""The record bodies in the OpenAPI schema, from the record schema's pydantic
models (``federation.records``), written as OpenAPI 3.0.

drf-spectacular's own pydantic extension passes pydantic's JSON Schema 2020-12
through (``anyOf`` with ``{"type": "null"}``, ``const``, ``propertyNames``),
which OpenAPI 3.0 does not accept. This extension, preferred over it, rewrites
those into 3.0 (``nullable``, ``enum``) so the schema validates and clients and
schemathesis read the body types. Imported by ``cms.api.serializers``.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent
from pydantic.json_schema import model_json_schema

REF_TEMPLATE = "#/components/schemas/{model}"
# JSON Schema keywords OpenAPI 3.0 does not have; their checks are left out of
# the document (the record schema still applies them to every record).
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_DROPPED = {"propertyNames", "examples", "$schema", "prefixItems"}


class PydanticOpenApi30Extension(OpenApiSerializerExtension):
    """A pydantic model as an OpenAPI 3.0 component."""

    target_class = "pydantic.BaseModel"
    match_subclasses = True
    priority = 1

    def get_name(self, auto_schema: Any, direction: str) -> str:  # noqa: ARG002  drf-spectacular extension signature
        return self.target.__name__

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:  # noqa: ARG002  drf-spectacular extension signature
        schema = model_json_schema(
            self.target, ref_template=REF_TEMPLATE, mode="serialization"
        )
        for name, sub_schema in schema.pop("$defs", {}).items():
            auto_schema.registry.register_on_missing(
                ResolvedComponent(
                    name=name,
                    type=ResolvedComponent.SCHEMA,
                    object=name,
                    schema=openapi_30(sub_schema),
                )
            )
        return openapi_30(schema)


def openapi_30(schema: Any) -> Any:
    """A JSON Schema 2020-12 fragment as OpenAPI 3.0 (recursively)."""
    if isinstance(schema, list):
        return [openapi_30(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {
        key: openapi_30(value) for key, value in schema.items() if key not in _DROPPED
    }
    patterns = result.pop("patternProperties", None)
    if patterns:
        values = list(patterns.values())
        result["additionalProperties"] = values[0] if len(values) == 1 else {}
        result.setdefault("description", f"Keys match {' or '.join(sorted(patterns))}.")
    if isinstance(result.get("pattern"), str):
        # Python's named groups are no ECMA regex; the groups' names add nothing.
        result["pattern"] = _NAMED_GROUP.sub("(", result["pattern"])
    if "const" in result:
        result["enum"] = [result.pop("const")]
    for keyword in ("exclusiveMinimum", "exclusiveMaximum"):
        bound = result.get(keyword)
        if isinstance(bound, int | float) and not isinstance(bound, bool):
            result[keyword.replace("exclusive", "").lower()] = bound
            result[keyword] = True
    options = result.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        others = [option for option in options if option != {"type": "null"}]
        del result["anyOf"]
        if len(others) == 1 and "$ref" not in others[0]:
            result.update(others[0])
        elif len(others) == 1:
            result["allOf"] = others
        else:
            result["anyOf"] = others
        result["nullable"] = True
    return result
