"""HTTP export to the Dutch algorithm register (standard 1.0).

Public and read-only, like the rest of the API: this hub's published projects
are public records already. The views call the selectors and the export
service; a project that breaks the standard is refused with the reason.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.api.pagination import WHOLE_NUMBER, StrictPageSize
from cms.api.serializers import ErrorSerializer
from cms.api.views import THROTTLED, ReadOnlyApiView
from standards.algoritmeregister.schema import EntryInvalid
from standards.algoritmeregister.selectors import (
    own_project_record_get,
    own_project_records,
)
from standards.algoritmeregister.services import (
    algoritmeregister_entry,
    algoritmeregister_export,
)

TAG = "algoritmeregister"


class EntryPagination(StrictPageSize, PageNumberPagination):
    """Pages of entries, ``page_size`` from 1 to 100 and ``page`` a whole number
    from 1 (refused with 400 otherwise, as in the records API: DRF reads an
    empty ``page`` as the first page and answers "last" with the last)."""

    page_size = 50
    max_page_size = 100

    def get_page_number(self, request: Request, _paginator: Any) -> int:
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not WHOLE_NUMBER.fullmatch(raw) or int(raw) < 1:
            raise ValidationError({self.page_query_param: ["A whole number from 1."]})
        return int(raw)


class EntryListView(ReadOnlyApiView, APIView):
    """This hub's published projects as algorithm register entries."""

    @extend_schema(
        operation_id="algoritmeregister_list",
        summary="Algorithm register entries",
        description=(
            "This hub's published projects as entries of the Dutch algorithm "
            "register, publication standard 1.0, oldest first, paged. Projects "
            "that break the standard are listed under refused with the reason."
        ),
        parameters=[
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1},
                description="Page number, from 1.",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": 100},
                description="Entries per page, 50 by default, at most 100.",
            ),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description="page_size is malformed."
            ),
            404: OpenApiResponse(ErrorSerializer, description="No such page."),
            429: THROTTLED,
        },
        tags=[TAG],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        paginator = EntryPagination()
        records = paginator.paginate_queryset(own_project_records(), request, self)
        result = algoritmeregister_export(records=records or [])
        response = paginator.get_paginated_response(result.entries)
        response.data["refused"] = result.refused
        return response


class EntryDetailView(ReadOnlyApiView, APIView):
    """One of this hub's published projects as an algorithm register entry."""

    @extend_schema(
        operation_id="algoritmeregister_retrieve",
        summary="One algorithm register entry",
        description=(
            "A published project of this hub as an entry of the Dutch algorithm "
            "register, standard 1.0. 422 with the reason when the project breaks "
            "the standard (e.g. no publication category)."
        ),
        parameters=[
            OpenApiParameter(
                "record_id",
                str,
                OpenApiParameter.PATH,
                description="<this hub>:project:<uuid>",
            )
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            404: OpenApiResponse(ErrorSerializer, description="No such project."),
            422: OpenApiResponse(
                OpenApiTypes.OBJECT, description="The project breaks the standard."
            ),
            429: THROTTLED,
        },
        tags=[TAG],
    )
    def get(
        self,
        request: Request,  # noqa: ARG002  DRF handler signature
        record_id: str,
        *args: Any,
        **kwargs: Any,
    ) -> Response:
        stored = own_project_record_get(record_id=record_id)
        if stored is None:
            raise NotFound("This hub has published no project with this id.")
        try:
            return Response(algoritmeregister_entry(stored=stored))
        except EntryInvalid as error:
            return Response({"id": record_id, "reason": str(error)}, status=422)
