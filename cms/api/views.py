"""Views of the API: they validate the query, call selectors and serialize.

Read-only for everybody: only GET, HEAD and OPTIONS are dispatched, so any
other method answers 405 before a handler could run.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from cms.api.pagination import RecordCursorPagination
from cms.api.serializers import (
    RECORD_ID_PATTERN,
    ErrorSerializer,
    RecordFilterSerializer,
    RecordSerializer,
)
from cms.api.throttles import AnonApiThrottle, UserApiThrottle
from cms.selectors_catalogue import (
    CatalogueFilter,
    catalogue_record_get,
    catalogue_records,
)
from federation.selectors import record_wire

READ_ONLY_METHODS = ["get", "head", "options"]
THROTTLED = OpenApiResponse(ErrorSerializer, description="Too many requests.")


class ReadOnlyApiView:
    """What every API view shares: read-only, JSON, throttled."""

    http_method_names = READ_ONLY_METHODS
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    throttle_classes = [AnonApiThrottle, UserApiThrottle]


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
                OpenApiTypes.OBJECT, description="A filter is malformed."
            ),
            404: OpenApiResponse(ErrorSerializer, description="Invalid cursor."),
            429: THROTTLED,
        },
        tags=["records"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = RecordFilterSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        records = catalogue_records(filters=CatalogueFilter(**query.validated_data))
        page = self.paginate_queryset(records)
        data = RecordSerializer([record_wire(stored) for stored in page], many=True)
        return self.get_paginated_response(data.data)


class RecordDetailView(ReadOnlyApiView, RetrieveAPIView):
    """One record this hub holds, by its id (a tombstone too)."""

    serializer_class = RecordSerializer

    @extend_schema(
        operation_id="records_retrieve",
        summary="Get a record",
        description=(
            "One record by its id, own or federated. A withdrawn record is "
            "returned as its tombstone (deleted true, body null)."
        ),
        parameters=[
            OpenApiParameter(
                "record_id",
                str,
                OpenApiParameter.PATH,
                pattern=RECORD_ID_PATTERN,
                description="<origin hub>:<kind>:<uuid>",
            )
        ],
        responses={
            200: RecordSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such record."),
            429: THROTTLED,
        },
        tags=["records"],
    )
    def get(
        self, request: Request, record_id: str, *args: Any, **kwargs: Any
    ) -> Response:
        stored = catalogue_record_get(record_id=record_id)
        if stored is None:
            raise NotFound("This hub holds no record with this id.")
        return Response(RecordSerializer(record_wire(stored)).data)
