"""The GraphQL ``search`` field: the catalogue search of ``search.queries`` with
facets. Composed into the root schema by ``hubnet.graphql`` (federation does not
import search). Bad arguments are ``BAD_REQUEST`` errors; an unreachable engine
is ``UNAVAILABLE`` (message only, no internals)."""

from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar
from graphql import GraphQLError, GraphQLResolveInfo

from federation.graphql.errors import ErrorCode, api_error
from federation.graphql.limits import WIRE_WEIGHT, FieldCost
from federation.vocabularies import Kind
from search.engine import SearchUnavailable
from search.geo import GeoPoint
from search.queries import catalogue_search
from search.types import MAX_SIZE, SearchParams, SearchParamsInvalid, SearchResults

# What the search field costs against the GraphQL budget (federation.graphql.
# limits, in units of ~10 µs), measured on the OpenSearch node of CI: one
# faceted query takes 10-17 ms whatever the page; each hit fetched adds ~0.15 ms
# (its source, highlights and decoding), so ``search(first: 100)`` costs 2,500
# before its fields. The composition root declares these on the root schema.
ENGINE_QUERY_WEIGHT = 1_000
HIT_WEIGHT = 15
SEARCH_FIELD_COSTS: dict[tuple[str, str], FieldCost] = {
    ("Query", "search"): FieldCost(
        weight=ENGINE_QUERY_WEIGHT, per_item=HIT_WEIGHT, cap=MAX_SIZE, items="hits"
    ),
    # A whole record in one value, like the feed's wire.
    ("SearchHit", "record"): FieldCost(weight=WIRE_WEIGHT),
}


class SearchFacetBucket(graphene.ObjectType):
    """One value of a facet and how many results it stands for."""

    value = GenericScalar(required=True, description="A string, number or boolean.")
    count = graphene.Int(required=True, description="Results with this value.")
    selected = graphene.Boolean(
        required=True, description="Whether this value is selected in the filters."
    )


class SearchFacet(graphene.ObjectType):
    """A facet: a filter name and its buckets."""

    name = graphene.String(
        required=True, description="The facet, named like the filter argument."
    )
    buckets = graphene.List(
        graphene.NonNull(SearchFacetBucket),
        required=True,
        description="Values with counts, most frequent first.",
    )


class SearchHitNode(graphene.ObjectType):
    """One result of a search."""

    class Meta:
        name = "SearchHit"

    id = graphene.ID(required=True, description="The record id.")
    kind = graphene.String(required=True, description="The record kind.")
    title = graphene.String(required=True, description="Name or title.")
    origin = graphene.String(required=True, description="The origin hub.")
    level = graphene.String(description="The origin hub's level.")
    score = graphene.Float(description="Relevance score (text searches).")
    distance_km = graphene.Float(description="Distance from near, in km.")
    highlights = GenericScalar(
        required=True,
        description="title/summary/description → HTML-safe fragments with <mark>.",
    )
    record = GenericScalar(required=True, description="The record in wire form.")

    @staticmethod
    def resolve_origin(hit: Any, _info: GraphQLResolveInfo) -> str:
        return str(hit.record.get("origin", ""))


class SearchConnection(graphene.ObjectType):
    """A page of search results with the facets of the whole result set."""

    total_count = graphene.Int(required=True, description="Results on all pages.")
    end_cursor = graphene.String(
        description="Pass as after for the next page; null on the last page."
    )
    has_next_page = graphene.Boolean(required=True, description="More pages?")
    hits = graphene.List(
        graphene.NonNull(SearchHitNode), required=True, description="This page."
    )
    facets = graphene.List(
        graphene.NonNull(SearchFacet), required=True, description="Facet counts."
    )


def _strings(description: str) -> graphene.List:
    return graphene.List(graphene.NonNull(graphene.String), description=description)


class SearchQuery(graphene.ObjectType):
    """The search part of the root query."""

    search = graphene.Field(
        graphene.NonNull(SearchConnection),
        description=(
            "Search the catalogue of the whole network, from a municipality up "
            "to the EU, with facets and cursor paging."
        ),
        text=graphene.String(description="Full text."),
        kinds=_strings(f"{', '.join(Kind.values)}."),
        scope=graphene.String(description="A hub slug: it and the hubs under it."),
        levels=_strings("Origin levels: local, regional, national, eu."),
        countries=_strings("Country codes."),
        nuts=_strings("NUTS codes at any level."),
        themes=_strings("Themes."),
        sectors=_strings("Sectors."),
        technologies=_strings("Technologies."),
        ai_act_classes=_strings("AI Act classes."),
        statuses=_strings("Project statuses."),
        target_groups=_strings("Target groups."),
        access_rights=_strings("Dataset access rights."),
        trl_min=graphene.Int(description="Lowest TRL, 1 to 9."),
        trl_max=graphene.Int(description="Highest TRL, 1 to 9."),
        open_to_partnership=graphene.Boolean(description="Organisations open to it."),
        decision_types=_strings("What projects' output does (descriptive, ...)."),
        impact_levels=_strings("Impact on people: low, medium, high."),
        impact_assessments=_strings("Impact assessments published: dpia, iama, ..."),
        funding_programmes=_strings("Funding programmes of projects."),
        licences=_strings("Licences of projects and datasets."),
        school_levels=_strings("School levels of courses."),
        eqf_levels=graphene.List(
            graphene.NonNull(graphene.Int), description="EQF levels of courses."
        ),
        biometric_data=graphene.Boolean(description="Projects using biometric data."),
        publicly_funded=graphene.Boolean(description="Publicly funded projects."),
        source_code_published=graphene.Boolean(
            description="Projects that publish their source code."
        ),
        procurement_clauses=graphene.Boolean(
            description="Projects applying the AI procurement clauses."
        ),
        objection_route=graphene.Boolean(
            description="Projects that name a way to object."
        ),
        b2g_sharing=graphene.Boolean(
            description="Datasets offered for business-to-government sharing."
        ),
        near_lat=graphene.Float(description="Latitude of near."),
        near_lon=graphene.Float(description="Longitude of near."),
        radius_km=graphene.Float(description="Only within this distance of near."),
        sort=graphene.String(description="relevance, newest, title or distance."),
        first=graphene.Int(
            default_value=20, description=f"Page size, 0 to {MAX_SIZE} (capped)."
        ),
        after=graphene.String(description="The endCursor of the previous page."),
    )

    @staticmethod
    def resolve_search(
        _root: Any, _info: GraphQLResolveInfo, **arguments: Any
    ) -> dict[str, Any]:
        results = _search(**arguments)
        return {
            "total_count": results.total,
            "end_cursor": results.next_cursor,
            "has_next_page": results.next_cursor is not None,
            "hits": results.hits,
            "facets": [
                {"name": name, "buckets": buckets}
                for name, buckets in results.facets.items()
            ],
        }


def _search(**arguments: Any) -> SearchResults:
    """Arguments → SearchParams → catalogue_search; errors → GraphQL errors."""
    first = max(0, min(arguments.pop("first", 20) or 0, MAX_SIZE))
    lat, lon = arguments.pop("near_lat", None), arguments.pop("near_lon", None)
    values = {name: value for name, value in arguments.items() if value is not None}
    try:
        near = (
            GeoPoint(lat=lat, lon=lon) if lat is not None and lon is not None else None
        )
        params = SearchParams(size=first, near=near, **values)
        return catalogue_search(params=params)
    except (SearchParamsInvalid, ValueError) as error:
        raise api_error(ErrorCode.BAD_REQUEST, str(error)) from None
    except SearchUnavailable:
        raise GraphQLError(
            "The search engine is unavailable; please try again shortly.",
            extensions={"code": "UNAVAILABLE"},
        ) from None
