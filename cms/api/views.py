"""Views of the API: they validate the query, call selectors and serialize.

Read-only for everybody: only GET, HEAD and OPTIONS are dispatched, so any
other method answers 405 before a handler could run.

A record is also served as schema.org JSON-LD (``cms.jsonld.record_jsonld``):
at ``/api/v1/records/<id>.jsonld`` and, negotiated, at the detail with
``Accept: application/ld+json``. A withdrawn record answers **410 Gone** there,
with the bare node (type and identifier) as body: harvesters and search
engines drop what is gone on a 410, while a 200 with an empty node would have
them index an entity without content. (The wire form keeps answering 200 with
the tombstone: peers need its version.)
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from cms.api.pagination import RecordCursorPagination
from cms.api.renderers import JsonLdRenderer
from cms.api.serializers import (
    RECORD_ID_PATTERN,
    ErrorSerializer,
    RecordFilterSerializer,
    RecordSerializer,
)
from cms.jsonld import record_jsonld
from cms.selectors import (
    CatalogueFilter,
    catalogue_record_get,
    catalogue_records,
)
from federation.models import StoredRecord
from federation.selectors import record_provenance, record_wire

READ_ONLY_METHODS = ["get", "head", "options"]
THROTTLED = OpenApiResponse(ErrorSerializer, description="Too many requests.")
NOT_FOUND = "This hub holds no record with this id."
# The documented shape of a JSON-LD answer: any schema.org node of the four types.
JSONLD_NODE = {
    "type": "object",
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {
            "type": "string",
            "enum": ["SoftwareApplication", "Dataset", "Course", "Organization"],
        },
        "@id": {"type": "string"},
        "identifier": {},
    },
    "required": ["@context", "@type"],
    "additionalProperties": True,
}
RECORD_ID_PARAMETER = OpenApiParameter(
    "record_id",
    str,
    OpenApiParameter.PATH,
    pattern=RECORD_ID_PATTERN,
    description="<origin hub>:<kind>:<uuid>",
)


class ReadOnlyApiView:
    """What the record API's views share: read-only, public, JSON (throttled by
    the REST_FRAMEWORK default)."""

    http_method_names = READ_ONLY_METHODS
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]


class RecordListView(ReadOnlyApiView, ListAPIView):
    """The records this hub holds, own and federated, newest change first."""

    serializer_class = RecordSerializer
    pagination_class = RecordCursorPagination

    @extend_schema(
        operation_id="records_list",
        summary="List records",
        description=(
            "Records this hub holds (its own and those synced from other hubs), "
            "newest change first, in their wire form. Tombstones are left out "
            "unless include_deleted is true. Paged with a cursor: follow next."
        ),
        parameters=[RecordFilterSerializer],
        responses={
            200: RecordSerializer(many=True),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="A filter, page_size or the cursor is malformed.",
            ),
            429: THROTTLED,
        },
        tags=["records"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = RecordFilterSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        records = catalogue_records(filters=CatalogueFilter(**query.validated_data))
        page = self.paginate_queryset(records)
        data = RecordSerializer([_record_out(stored) for stored in page], many=True)
        return self.get_paginated_response(data.data)


class RecordDetailView(ReadOnlyApiView, RetrieveAPIView):
    """One record this hub holds, by its id (a tombstone too); as schema.org
    JSON-LD when the client accepts ``application/ld+json``."""

    serializer_class = RecordSerializer
    renderer_classes = [JSONRenderer, JsonLdRenderer]

    @extend_schema(
        operation_id="records_retrieve",
        summary="Get a record",
        description=(
            "One record by its id, own or federated. A withdrawn record is "
            "returned as its tombstone (deleted true, body null). With Accept: "
            "application/ld+json the record is schema.org JSON-LD instead (as at "
            "/api/v1/records/{record_id}.jsonld; a withdrawn record is then 410)."
        ),
        parameters=[RECORD_ID_PARAMETER],
        responses={
            (200, "application/json"): RecordSerializer,
            (200, "application/ld+json"): JSONLD_NODE,
            404: OpenApiResponse(ErrorSerializer, description="No such record."),
            (410, "application/ld+json"): OpenApiResponse(
                JSONLD_NODE, description="Withdrawn (JSON-LD only): the bare node."
            ),
            429: THROTTLED,
        },
        tags=["records"],
    )
    def get(
        self, request: Request, record_id: str, *args: Any, **kwargs: Any
    ) -> Response:
        stored = _record_or_404(record_id)
        if isinstance(request.accepted_renderer, JsonLdRenderer):
            return _jsonld_response(stored)
        return Response(RecordSerializer(_record_out(stored)).data)

    def finalize_response(
        self, request: HttpRequest, response: Any, *args: Any, **kwargs: Any
    ) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        # The answer depends on Accept: caches must keep the two apart.
        patch_vary_headers(response, ("Accept",))
        return response


class RecordJsonLdView(ReadOnlyApiView, RetrieveAPIView):
    """One record as schema.org JSON-LD (``cms.jsonld``), for harvesters and
    search engines; a withdrawn record is 410 Gone with its bare node."""

    renderer_classes = [JsonLdRenderer]

    @extend_schema(
        operation_id="records_retrieve_jsonld",
        summary="Get a record as schema.org JSON-LD",
        description=(
            "The record as schema.org JSON-LD: a project is a "
            "SoftwareApplication, a dataset a Dataset (with DataDownload "
            "distributions), a course a Course with its CourseInstance, an "
            "organisation an Organization. A withdrawn record answers 410 Gone "
            "with the bare node (type and identifier)."
        ),
        parameters=[RECORD_ID_PARAMETER],
        responses={
            200: OpenApiResponse(JSONLD_NODE, description="The JSON-LD object."),
            404: OpenApiResponse(ErrorSerializer, description="No such record."),
            410: OpenApiResponse(JSONLD_NODE, description="Withdrawn: bare node."),
            429: THROTTLED,
        },
        tags=["records"],
    )
    def get(
        self,
        request: Request,  # noqa: ARG002  DRF handler signature
        record_id: str,
        *args: Any,
        **kwargs: Any,
    ) -> Response:
        return _jsonld_response(_record_or_404(record_id))


def _record_out(stored: StoredRecord) -> dict[str, Any]:
    return {**record_wire(stored), "provenance": record_provenance(stored)}


def _record_or_404(record_id: str) -> StoredRecord:
    stored = catalogue_record_get(record_id=record_id)
    if stored is None:
        raise NotFound(NOT_FOUND)
    return stored


def _jsonld_response(stored: StoredRecord) -> Response:
    status = 410 if stored.deleted else 200
    return Response(record_jsonld(stored), status=status)
