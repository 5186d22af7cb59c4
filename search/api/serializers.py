"""Serializers of the search API: the documented query parameters (input, for
the OpenAPI schema; parsing is ``search.api.params``) and the answers (output)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from federation.vocabularies import Kind
from hubs.nuts import NUTS_CODE
from search.index import LEVELS
from search.params import SORTS

# lat,lon within range (the schema's pattern; the view checks the same).
POINT_PATTERN = (
    r"^-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?),"
    r"-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?)$"
)
NON_BLANK = r"\S"


def _many(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(), required=False, help_text=help_text
    )


class SearchQuerySerializer(serializers.Serializer):
    """The query parameters of ``GET /api/v1/search``. Multi-valued filters may
    be repeated or comma separated; values within a filter are OR-ed."""

    text = serializers.CharField(required=False, max_length=500, help_text="Full text.")
    kinds = _many(f"{', '.join(Kind.values)}.")
    scope = serializers.CharField(
        required=False, help_text="A hub slug: that hub and every hub under it."
    )
    level = serializers.ListField(
        child=serializers.ChoiceField(choices=LEVELS),
        required=False,
        help_text="Level of the origin hub.",
    )
    country = _many("ISO country code of the record's location.")
    nuts = serializers.ListField(
        child=serializers.RegexField(NUTS_CODE.pattern),
        required=False,
        help_text="NUTS code at any level (NL, NL4, NL41, NL414).",
    )
    themes = _many("Themes.")
    sectors = _many("Sectors.")
    technologies = _many("Technologies.")
    ai_act_class = _many("AI Act class (high, limited, minimal, ...).")
    status = _many("Project status.")
    target_group = _many("Target group.")
    access_rights = _many("Access rights of datasets.")
    trl_min = serializers.IntegerField(required=False, min_value=1, max_value=9)
    trl_max = serializers.IntegerField(required=False, min_value=1, max_value=9)
    open_to_partnership = serializers.BooleanField(required=False)
    near = serializers.RegexField(
        POINT_PATTERN,
        required=False,
        help_text="lat,lon: distances, distance sort, radius.",
    )
    radius_km = serializers.FloatField(
        required=False,
        min_value=0.001,
        max_value=5000,
        help_text="Only records within this distance of near (needs near).",
    )
    sort = serializers.ChoiceField(choices=SORTS, required=False)
    size = serializers.IntegerField(required=False, min_value=0, max_value=100)
    after = serializers.CharField(
        required=False, help_text="The next_cursor of the previous page."
    )


class SuggestQuerySerializer(serializers.Serializer):
    """The query parameters of ``GET /api/v1/suggest``."""

    prefix = serializers.RegexField(
        NON_BLANK, max_length=100, help_text="What was typed so far."
    )
    size = serializers.IntegerField(required=False, min_value=1, max_value=50)
    kinds = _many("Only these kinds.")
    scope = serializers.CharField(required=False, help_text="A hub slug.")


class PartnersQuerySerializer(serializers.Serializer):
    """The query parameters of ``GET /api/v1/partners``."""

    need = serializers.RegexField(
        NON_BLANK, max_length=300, help_text="What the SME looks for."
    )
    near = serializers.RegexField(POINT_PATTERN, required=False, help_text="lat,lon.")
    nuts = serializers.RegexField(
        NUTS_CODE.pattern, required=False, help_text="A NUTS code."
    )
    minimum = serializers.IntegerField(
        required=False, min_value=1, max_value=100, help_text="Widen until found."
    )
    types = _many("Organisation types.")
    open_only = serializers.BooleanField(required=False)


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
