"""Views of the exports: ``/api/v1/search/export.csv`` and ``export.xlsx``.

The query parameters are those of ``/api/v1/search``, parsed by the same
``search_params_parse`` (so a bad one is the same 400); the work is in
``search.exports``. Both answer ``X-Total-Count`` (the rows that follow, for a
progress bar; ``HEAD`` answers it alone: one count, no file) and an
attachment file name; the CSV streams while it is read from the engine, the
workbook is written to a temporary file first and then
streamed with its length. Errors (400, 429, 503) are JSON and come before any
byte of a file.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response

from search.api.serializers import ExportTooLargeSerializer, SearchQuerySerializer
from search.api.views import ERRORS, SearchApiView
from search.exports import (
    ExportTooLarge,
    SearchExport,
    csv_stream,
    search_export_open,
    xlsx_write,
)
from search.query_string import search_params_parse

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DESCRIPTION = (
    "Every record the search with these parameters finds (the same parameters "
    "as /api/v1/search; size and after do not apply), one row each: common "
    "columns, then the columns of each kind. X-Total-Count says how many rows "
    "follow. A search over the export cap is refused (400) with its total."
)


class JsonFirst(BaseContentNegotiation):
    """The export views answer errors in JSON whatever the client accepts (a
    client asking for text/csv gets a file or a JSON error, never a 406)."""

    def select_renderer(
        self,
        request: Request,  # noqa: ARG002  DRF content negotiation API
        renderers: list[Any],
        format_suffix: str | None = None,  # noqa: ARG002  DRF content negotiation API
    ) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:  # noqa: ARG002  DRF content negotiation API
        return parsers[0] if parsers else None


def _headers(response: HttpResponseBase, export: SearchExport, suffix: str) -> None:
    filename = f"hubnet-search-{dt.date.today().isoformat()}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Total-Count"] = str(export.total)
    response["Cache-Control"] = "no-store"


# The answer's headers, documented on the 200 (a client reads the total first).
RESPONSE_HEADERS = [
    OpenApiParameter(
        "X-Total-Count",
        int,
        OpenApiParameter.HEADER,
        response=[200],
        description="The number of rows the file holds.",
    ),
    OpenApiParameter(
        "Content-Disposition",
        str,
        OpenApiParameter.HEADER,
        response=[200],
        description='attachment; filename="hubnet-search-<date>.<csv|xlsx>"',
    ),
]


def _responses(media_type: str) -> dict[Any, Any]:
    return {
        (200, media_type): OpenApiResponse(
            OpenApiTypes.BINARY,
            description="The file; X-Total-Count holds the number of rows.",
        ),
        400: OpenApiResponse(
            ExportTooLargeSerializer,
            description="A bad parameter, or more records than an export holds.",
        ),
        429: ERRORS[429],
        503: ERRORS[503],
    }


class ExportApiView(SearchApiView):
    """Shared by both formats: parse, open the export, refuse it when too large."""

    content_negotiation_class = JsonFirst
    # Exports share the stricter "export" rate with the DCAT catalogue.
    throttle_scope = "export"

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ExportTooLarge):
            return Response(
                {"detail": str(exc), "total": exc.total, "limit": exc.limit},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().handle_exception(exc)

    media_type = CSV_TYPE
    suffix = "csv"

    def export_open(self, request: Request, **options: Any) -> SearchExport:
        params = search_params_parse(request.query_params)
        return search_export_open(params=params, **options)

    def head(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """The headers only (``X-Total-Count``): one count, no rows, no file."""
        export = self.export_open(request, batch_size=1)  # the count is what counts
        export.close()
        response = HttpResponse(content_type=self.media_type)
        _headers(response, export, self.suffix)
        return response


class ExportCsvView(ExportApiView):
    """The search results as CSV (UTF-8 with BOM, one header row), streamed."""

    @extend_schema(
        operation_id="search_export_csv",
        summary="Export search results as CSV",
        description=DESCRIPTION,
        parameters=[SearchQuerySerializer, *RESPONSE_HEADERS],
        responses=_responses("text/csv"),
        tags=["search"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        export = self.export_open(request)
        response = StreamingHttpResponse(
            csv_stream(export.rows()), content_type=CSV_TYPE
        )
        _headers(response, export, "csv")
        return response


class ExportXlsxView(ExportApiView):
    """The search results as an Excel workbook, written to a temporary file in
    constant memory and then streamed."""

    media_type = XLSX_TYPE
    suffix = "xlsx"

    @extend_schema(
        operation_id="search_export_xlsx",
        summary="Export search results as Excel",
        description=DESCRIPTION,
        parameters=[SearchQuerySerializer, *RESPONSE_HEADERS],
        responses=_responses(XLSX_TYPE),
        tags=["search"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        export = self.export_open(request)
        # Unlinked at once: the file goes away when the response closes it.
        file = tempfile.TemporaryFile(prefix="hubnet-export-", suffix=".xlsx")  # noqa: SIM115
        try:
            xlsx_write(export.rows(), file=file)
            file.seek(0)
        except BaseException:
            file.close()
            raise
        response = FileResponse(file, content_type=XLSX_TYPE)
        _headers(response, export, "xlsx")
        return response
