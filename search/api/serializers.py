"""Serializers of the search API: the documented query parameters (input, for
the OpenAPI schema, generated from the tables in ``search.query_string`` that
the parser reads too) and the answers (output)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from search.query_string import (
    PARTNER_PARAMETERS,
    SEARCH_PARAMETERS,
    SUGGEST_PARAMETERS,
    QueryParameter,
)


def _child(parameter: QueryParameter, **common: Any) -> serializers.Field:
    """The field of one value of ``parameter`` (``common``: required, help)."""
    text: dict[str, Any] = dict(common)
    if parameter.max_length is not None:
        text["max_length"] = parameter.max_length
    if parameter.choices:
        return serializers.ChoiceField(choices=parameter.choices, **common)
    if parameter.pattern:
        return serializers.RegexField(parameter.pattern, **text)
    return serializers.CharField(**text)


def _numeric(parameter: QueryParameter) -> dict[str, Any]:
    return {
        "min_value": parameter.minimum,
        "max_value": parameter.maximum,
    }


def parameter_field(parameter: QueryParameter) -> serializers.Field:
    """The serializer field that documents ``parameter`` in the OpenAPI schema."""
    common: dict[str, Any] = {
        "required": parameter.required,
        "help_text": parameter.help or None,
    }
    if parameter.read == "many":
        return serializers.ListField(child=_child(parameter), **common)
    if parameter.read == "int":
        return serializers.IntegerField(**_numeric(parameter), **common)
    if parameter.read == "float":
        return serializers.FloatField(**_numeric(parameter), **common)
    if parameter.read == "bool":
        return serializers.BooleanField(**common)
    return _child(parameter, **common)


def query_serializer(
    name: str, parameters: tuple[QueryParameter, ...], doc: str
) -> type[serializers.Serializer]:
    """A serializer with one field per query parameter, for ``extend_schema``
    (the API parses with ``search.query_string``, from the same table)."""
    fields = {parameter.name: parameter_field(parameter) for parameter in parameters}
    return type(name, (serializers.Serializer,), {"__doc__": doc, **fields})


SearchQuerySerializer = query_serializer(
    "SearchQuerySerializer",
    SEARCH_PARAMETERS,
    "The query parameters of ``GET /api/v1/search``. Multi-valued filters may "
    "be repeated or comma separated; values within a filter are OR-ed.",
)
SuggestQuerySerializer = query_serializer(
    "SuggestQuerySerializer",
    SUGGEST_PARAMETERS,
    "The query parameters of ``GET /api/v1/suggest``.",
)
PartnersQuerySerializer = query_serializer(
    "PartnersQuerySerializer",
    PARTNER_PARAMETERS,
    "The query parameters of ``GET /api/v1/partners``.",
)


class FacetBucketSerializer(serializers.Serializer):
    """One value of a facet and how many results it stands for."""

    value = serializers.JSONField(help_text="A string, number or boolean.")
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class PointSerializer(serializers.Serializer):
    """A WGS 84 point."""

    lat = serializers.FloatField()
    lon = serializers.FloatField()


class SearchHitSerializer(serializers.Serializer):
    """One result: the record in wire form and why it matched."""

    id = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    origin = serializers.SerializerMethodField()
    level = serializers.CharField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    distance_km = serializers.FloatField(allow_null=True)
    location = serializers.SerializerMethodField()
    highlights = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="title/summary/description → HTML-safe fragments with <mark>.",
    )
    record = serializers.JSONField(help_text="The record in wire form.")

    def get_origin(self, hit: Any) -> str:
        """The hub the record comes from."""
        return str(hit.record.get("origin", ""))

    def get_location(self, hit: Any) -> dict[str, float] | None:
        """The record's point, if it has one."""
        location = (hit.record.get("body") or {}).get("location") or {}
        if location.get("lat") is None:
            return None
        return {"lat": location["lat"], "lon": location["lon"]}


class SearchResultsSerializer(serializers.Serializer):
    """A page of results with the facets of the whole result set."""

    total = serializers.IntegerField()
    took_ms = serializers.IntegerField()
    next_cursor = serializers.CharField(
        allow_null=True, help_text="Pass as after for the next page; null at the end."
    )
    hits = SearchHitSerializer(many=True)
    facets = serializers.DictField(
        child=FacetBucketSerializer(many=True), help_text="Facet name → buckets."
    )


class SuggestionSerializer(serializers.Serializer):
    """An autocomplete entry: a record title."""

    id = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    origin = serializers.CharField()


class PartnerProjectSerializer(serializers.Serializer):
    """A project the organisation is a partner in."""

    id = serializers.CharField()
    title = serializers.CharField()
    role = serializers.CharField()


class PartnerMatchSerializer(serializers.Serializer):
    """An organisation found, and at which level."""

    organisation = SearchHitSerializer()
    found_at = serializers.CharField(help_text="local, regional, national or eu.")
    area = serializers.CharField(allow_null=True)
    projects = PartnerProjectSerializer(many=True)


class PartnerStepSerializer(serializers.Serializer):
    """A widening step tried and the matches it added."""

    level = serializers.CharField()
    area = serializers.CharField(allow_null=True)
    total = serializers.IntegerField()


class PartnerResultsSerializer(serializers.Serializer):
    """Partners, local first."""

    matches = PartnerMatchSerializer(many=True)
    steps = PartnerStepSerializer(many=True)


class SearchErrorSerializer(serializers.Serializer):
    """An error: what went wrong and, for a bad parameter, which one."""

    detail = serializers.CharField()
    field = serializers.CharField(required=False)


class ExportTooLargeSerializer(serializers.Serializer):
    """An export refused: a bad parameter (``field`` names it) or more records
    than an export holds (``total`` and ``limit`` say how many)."""

    detail = serializers.CharField()
    field = serializers.CharField(required=False)
    total = serializers.IntegerField(required=False)
    limit = serializers.IntegerField(required=False)
