"""``GET /api/v1/insight``: the dashboard's figures as JSON, computed by the
same selector as the page (same parameters, same numbers). Public, read-only
and throttled like the search API (its views' base class)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from search.api.serializers import query_serializer
from search.api.views import ERRORS, SearchApiView
from search.insight.params import INSIGHT_PARAMETERS, insight_params_parse
from search.insight.queries import Insight, insight_compute

InsightQuerySerializer = query_serializer(
    "InsightQuerySerializer",
    INSIGHT_PARAMETERS,
    "The query parameters of ``GET /api/v1/insight``: those of search (without "
    "paging) and panel. Without scope and nuts the figures cover this hub's "
    "subtree; an empty scope covers the whole network.",
)


class InsightRowSerializer(serializers.Serializer):
    """One line of a panel."""

    value = serializers.JSONField(
        help_text="The code counted (a string, number or boolean)."
    )
    label = serializers.CharField(
        help_text="The value's label in the request's language."
    )
    count = serializers.IntegerField(help_text="Records.")
    amount = serializers.IntegerField(allow_null=True, help_text="Funding panels: EUR.")
    base = serializers.IntegerField(
        allow_null=True, help_text="Shares: out of how many."
    )
    percent = serializers.FloatField(allow_null=True, help_text="Shares: count / base.")


class InsightPanelSerializer(serializers.Serializer):
    """One panel's figures."""

    name = serializers.CharField(source="panel.name")
    title = serializers.CharField(source="panel.title")
    measure = serializers.CharField(source="panel.measure")
    total = serializers.IntegerField(help_text="The records the panel counts over.")
    rows = InsightRowSerializer(many=True)


class InsightSerializer(serializers.Serializer):
    """The dashboard under one selection."""

    total = serializers.IntegerField(source="results.total")
    scope = serializers.CharField(source="params.scope", allow_null=True)
    nuts = serializers.ListField(child=serializers.CharField(), source="params.nuts")
    panels = InsightPanelSerializer(many=True)


class InsightView(SearchApiView):
    """The dashboard's figures over the shared index."""

    @extend_schema(
        operation_id="insight",
        summary="Figures of the network",
        description=(
            "Counts per kind, level, country, NUTS 2 region and month, AI Act "
            "class, transparency shares, funding per programme and courses, "
            "under the same filters as /api/v1/search."
        ),
        parameters=[InsightQuerySerializer],
        responses={200: InsightSerializer, **ERRORS},
        tags=["search"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params, panels = insight_params_parse(request.query_params)
        insight: Insight = insight_compute(params=params, panels=panels)
        return Response(InsightSerializer(insight).data)
