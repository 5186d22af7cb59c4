"""Views of the search API: parse the query, call ``search.queries`` /
``search.partners`` and answer (``search.api.payloads``; the serializers
document the answers). Read-only and throttled like ``cms.api``
(the throttles are the REST_FRAMEWORK default).

A bad parameter answers 400 naming it; an unreachable engine answers 503.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from search.api.payloads import partner_results_data, search_results_data
from search.api.serializers import (
    PartnerResultsSerializer,
    PartnersQuerySerializer,
    SearchErrorSerializer,
    SearchQuerySerializer,
    SearchResultsSerializer,
    SuggestionSerializer,
    SuggestQuerySerializer,
)
from search.engine import RETRY_AFTER_SECONDS, SearchUnavailable
from search.partners import partners_find
from search.queries import catalogue_search, catalogue_suggest
from search.query_string import (
    PARTNER_PARAMETERS,
    SUGGEST_PARAMETERS,
    invalid_field,
    query_parse,
    search_params_parse,
)
from search.types import SearchParamsInvalid

UNAVAILABLE = "The search engine is unavailable; please try again shortly."
ERRORS = {
    400: OpenApiResponse(SearchErrorSerializer, description="A bad parameter."),
    429: OpenApiResponse(SearchErrorSerializer, description="Too many requests."),
    503: OpenApiResponse(SearchErrorSerializer, description="Engine unavailable."),
}


class SearchApiView(APIView):
    """Read-only, public, JSON (throttled by the REST_FRAMEWORK default); search
    errors become 400 / 503 answers."""

    http_method_names = ["get", "head", "options"]
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, SearchParamsInvalid):
            return Response(
                {"detail": str(exc), "field": invalid_field(exc)},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if isinstance(exc, SearchUnavailable):
            return Response(
                {"detail": UNAVAILABLE},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return super().handle_exception(exc)


class SearchView(SearchApiView):
    """Search the catalogue of the whole network, with facets."""

    @extend_schema(
        operation_id="search",
        summary="Search the catalogue",
        description=(
            "Full text and filters over every record the network shares, from a "
            "municipality up to the EU; facets with counts for every filter, "
            "highlights, distances and a cursor for the next page."
        ),
        parameters=[SearchQuerySerializer],
        responses={200: SearchResultsSerializer, **ERRORS},
        tags=["search"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        results = catalogue_search(params=search_params_parse(request.query_params))
        return Response(search_results_data(results))


class SuggestView(SearchApiView):
    """Titles that start like what was typed."""

    @extend_schema(
        operation_id="suggest",
        summary="Suggest titles",
        description="Autocomplete: record titles starting like prefix, best first.",
        parameters=[SuggestQuerySerializer],
        responses={200: SuggestionSerializer(many=True), **ERRORS},
        tags=["search"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = query_parse(request.query_params, SUGGEST_PARAMETERS)
        suggestions = catalogue_suggest(
            prefix=query["prefix"],
            size=query.get("size", 8),
            kinds=query.get("kinds", ()),
            scope=query.get("scope"),
        )
        return Response(SuggestionSerializer(suggestions, many=True).data)


class PartnersView(SearchApiView):
    """Partners for an SME: local first, widening to the EU."""

    @extend_schema(
        operation_id="partners",
        summary="Find partners",
        description=(
            "Organisations matching a need near a place (near or nuts): the "
            "municipality first, then the region, the country and the EU, until "
            "minimum are found; each says at which level it was found."
        ),
        parameters=[PartnersQuerySerializer],
        responses={200: PartnerResultsSerializer, **ERRORS},
        tags=["search"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = query_parse(request.query_params, PARTNER_PARAMETERS)
        results = partners_find(
            need=query["need"],
            near=query.get("near"),
            nuts=query.get("nuts"),
            minimum=query.get("minimum", 10),
            types=query.get("types", ()),
            open_only=query.get("open_only", False),
        )
        return Response(partner_results_data(results))
