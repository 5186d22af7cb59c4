"""Serializers of the API: records in their wire form, and the list filters.

``RecordSerializer`` renders a record exactly as peers exchange it
(``federation.selectors.record_wire``); its body is one of the record schema's
body models, documented from the pydantic models in ``federation.records``.
``RecordFilterSerializer`` validates the query parameters of the list.
"""

from __future__ import annotations

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from cms.api import openapi  # noqa: F401 - documents the pydantic body models
from cms.selectors import KINDS
from federation.records import (
    SLUG,
    CourseBody,
    DatasetBody,
    OrganisationBody,
    ProjectBody,
)
from federation.vocabularies import (
    HUB_LEVELS,
    AccessRights,
    AiActClass,
    CourseMode,
    Kind,
    OrganisationType,
    ProjectStatus,
)
from hubs.nuts import NUTS_CODE

KEYWORD_PATTERN = r"^[^\x00]+$"
RECORD_ID_PATTERN = (
    rf"^{SLUG}:({'|'.join(Kind.values)}):"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="RecordBody",
        serializers=[ProjectBody, DatasetBody, CourseBody, OrganisationBody],
        resource_type_field_name=None,
    )
)
class RecordBodyField(serializers.JSONField):
    """The body of a record: its shape depends on ``kind``; null for a tombstone."""


class ProvenanceSerializer(serializers.Serializer):
    """Who signed a record version, and whether this hub verified it."""

    signedBy = serializers.CharField(help_text="The origin hub's slug.")
    keyId = serializers.CharField()
    verified = serializers.BooleanField(
        help_text="The signature was checked against the origin's pinned key."
    )


class RecordSerializer(serializers.Serializer):
    """A record in wire form: the envelope and the body, as peers and the search
    index read it (hence the camelCase field names). Output only."""

    id = serializers.RegexField(RECORD_ID_PATTERN)
    kind = serializers.ChoiceField(choices=KINDS)
    origin = serializers.RegexField(rf"^{SLUG}$")
    originPath = serializers.ListField(
        child=serializers.RegexField(rf"^{SLUG}$"),
        help_text="The origin hub's ancestors and itself, top first.",
    )
    originLevel = serializers.ChoiceField(choices=HUB_LEVELS, allow_null=True)
    version = serializers.IntegerField(
        min_value=1, help_text="Raised by one by the origin on every change."
    )
    updatedAt = serializers.DateTimeField()
    deleted = serializers.BooleanField(
        help_text="A tombstone: the origin withdrew the record; the body is null."
    )
    language = serializers.RegexField(r"^[a-z]{2}$")
    url = serializers.URLField(
        allow_null=True, help_text="The record's canonical page at its origin."
    )
    schemaVersion = serializers.IntegerField(min_value=1)
    body = RecordBodyField(allow_null=True)
    signature = serializers.CharField(
        allow_null=True,
        help_text="The origin hub's Ed25519 signature of this version (base64), "
        "over its canonical form (see the GraphQL field keys).",
    )
    keyId = serializers.CharField(
        allow_null=True, help_text="The id of the origin's key that signed it."
    )
    provenance = ProvenanceSerializer(
        allow_null=True,
        help_text="Who signed this version and whether this hub verified it; "
        "null for an unsigned record.",
    )


def _keyword(*, help_text: str) -> serializers.RegexField:
    """A keyword of a list field, compared as given (no NUL, which no database
    stores in text)."""
    return serializers.RegexField(
        KEYWORD_PATTERN,
        max_length=80,
        required=False,
        trim_whitespace=False,
        help_text=help_text,
    )


class RecordFilterSerializer(serializers.Serializer):
    """The filters of the record list (query parameters); all optional."""

    kind = serializers.ChoiceField(choices=KINDS, required=False)
    status = serializers.ChoiceField(
        choices=ProjectStatus.values, required=False, help_text="Projects' status."
    )
    theme = _keyword(
        help_text="A theme of the record, e.g. an EU data theme code such as TRAN."
    )
    ai_act_class = serializers.ChoiceField(
        choices=AiActClass.values, required=False, help_text="Projects' AI Act class."
    )
    access_rights = serializers.ChoiceField(
        choices=AccessRights.values, required=False, help_text="Datasets' access."
    )
    target_group = _keyword(help_text="A target group of courses, e.g. smes.")
    mode = serializers.ChoiceField(
        choices=CourseMode.values, required=False, help_text="Courses' mode."
    )
    organisation_type = serializers.ChoiceField(
        choices=OrganisationType.values,
        required=False,
        help_text="Organisations' type.",
    )
    service = _keyword(
        help_text="A service organisations offer, e.g. test-before-invest."
    )
    open_to_partnership = serializers.BooleanField(
        required=False,
        default=None,
        help_text="Organisations open (or not) to partnership.",
    )
    country = serializers.RegexField(
        r"^[A-Z]{2}$",
        required=False,
        help_text="ISO 3166-1 alpha-2 country code, e.g. NL.",
    )
    nuts = serializers.RegexField(
        NUTS_CODE.pattern,
        required=False,
        help_text=(
            "A NUTS 2021 code at any level: NL41 matches records in NL41 and in "
            "the regions inside it (NL411 ... NL414)."
        ),
    )
    origin = serializers.RegexField(
        rf"^{SLUG}$", required=False, help_text="The slug of the origin hub."
    )
    within = serializers.RegexField(
        rf"^{SLUG}$",
        required=False,
        help_text="A hub slug: records whose origin is that hub or a hub below it.",
    )
    updated_since = serializers.DateTimeField(
        required=False, help_text="Records changed at or after this moment."
    )
    include_deleted = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also list tombstones (withdrawn records).",
    )


class ErrorSerializer(serializers.Serializer):
    """Why a request was refused (not found, throttled, method not allowed)."""

    detail = serializers.CharField()
