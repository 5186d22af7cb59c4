"""The search pages: ``/search/`` (works without JavaScript; ``map.js`` improves
it) and ``/search/partners/`` (the partner finder for SMEs, local first);
``/search/statistics/`` redirects to the dashboard (``search.insight``).

The views parse the query (``search.query_string``), call ``search.queries`` and
hand plain data to the templates; the helpers below only shape that data for
display (links that narrow or widen, breadcrumb, chart bars).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    QueryDict,
)
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from federation.vocabularies import OrganisationType
from hubs.identity import hub_identity
from hubs.nuts import NutsRegion, nuts_ancestors, nuts_region, nuts_regions
from search.engine import RETRY_AFTER_SECONDS, SearchUnavailable
from search.feeds import feed_url
from search.labels import FACET_TITLES, badge_labels, buckets_labelled
from search.partners import partners_find
from search.queries import catalogue_search
from search.query_string import search_params_parse
from search.similar import records_similar
from search.types import SearchParams, SearchParamsInvalid, SearchResults

T = TypeVar("T")


@dataclass(frozen=True)
class Crumb:
    """One step of the scope breadcrumb; ``url`` widens to it (None: current)."""

    label: str
    url: str | None


def _url(query: QueryDict, *, drop: tuple[str, ...] = (), **set_: str) -> str:
    """``?query`` without ``drop`` and the cursor, with ``set_``."""
    copy = query.copy()
    for name in (*drop, "after"):
        copy.pop(name, None)
    for name, value in set_.items():
        copy[name] = value
    return "?" + copy.urlencode()


def _hub_path(scope: str, results: SearchResults) -> list[str]:
    """The hubs from the top down to ``scope`` (read from a result's
    ``originPath``; just ``scope`` when nothing was found)."""
    for hit in results.hits:
        path = hit.record.get("originPath") or []
        if scope in path:
            return path[1 : path.index(scope) + 1] or [scope]
    return [scope]


def scope_breadcrumb(
    query: QueryDict, params: SearchParams, results: SearchResults
) -> list[Crumb]:
    """EU > NL > Noord-Brabant > 's-Hertogenbosch: the selected NUTS region and
    the regions above it (from ``hubs.nuts``), then the hub scope; each step but
    the last links to the wider search."""
    crumbs = [Crumb("EU", _url(query, drop=("nuts", "scope")))]
    if params.nuts:
        codes = nuts_ancestors(params.nuts[0])
        for code in codes:
            region = nuts_region(code)
            label = region.name if region else code
            crumbs.append(Crumb(label, _url(query, drop=("nuts", "scope"), nuts=code)))
    if params.scope:
        crumbs += [
            Crumb(
                _("Hub %(slug)s") % {"slug": slug},
                _url(query, drop=("scope",), scope=slug),
            )
            for slug in _hub_path(params.scope, results)
        ]
    crumbs[-1] = Crumb(crumbs[-1].label, None)
    return crumbs


def _facet_groups(results: SearchResults) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "label": label,
            "buckets": buckets_labelled(name, results.facets[name]),
        }
        for name, label in FACET_TITLES.items()
        if results.facets.get(name)
    ]


def _places(query: QueryDict, results: SearchResults) -> list[dict[str, Any]]:
    """Drill-down links: the NUTS regions and hubs the results lie in."""
    places = []
    for facet in ("nuts1", "nuts2", "nuts3"):
        for bucket in results.facets.get(facet, [])[:8]:
            if bucket.selected:
                continue
            region = nuts_region(str(bucket.value))
            places.append(
                {
                    "label": region.name if region else bucket.value,
                    "count": bucket.count,
                    "url": _url(query, drop=("nuts",), nuts=str(bucket.value)),
                }
            )
    hubs = [
        {
            "label": _("Hub %(slug)s") % {"slug": bucket.value},
            "count": bucket.count,
            "url": _url(query, drop=("scope",), scope=str(bucket.value)),
        }
        for bucket in results.facets.get("scopes", [])[:8]
        if not bucket.selected
    ]
    return places + hubs


def _markers_of(hits: list[Any]) -> list[dict[str, Any]]:
    """Map markers of the hits that have a point."""
    markers = []
    for hit in hits:
        location = (hit.record.get("body") or {}).get("location") or {}
        if location.get("lat") is not None:
            markers.append(
                {"lat": location["lat"], "lon": location["lon"], "title": hit.title}
            )
    return markers


UNAVAILABLE = _("The search engine is unavailable; please try again.")


SIMILAR_SIZE = 6


def _searched(search: Callable[[], T], context: dict[str, Any]) -> tuple[T | None, int]:
    """Run a page's search; a bad parameter (400) or an unreachable engine (503)
    becomes the page's error message instead of a result."""
    try:
        return search(), 200
    except SearchParamsInvalid as error:
        context["error"] = str(error)
        return None, 400
    except SearchUnavailable:
        context["error"] = UNAVAILABLE
        return None, 503


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int
) -> HttpResponse:
    """The rendered page; a 503 says when to try again (``Retry-After``)."""
    response = render(request, template, context, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def search_page(request: HttpRequest) -> HttpResponse:
    """The search page: form, facets, breadcrumb, result cards, map, paging."""
    query = request.GET
    context: dict[str, Any] = {
        "query": query,
        "text": query.get("text", ""),
        "feed_url": feed_url(query),
    }

    def search() -> tuple[SearchParams, SearchResults]:
        params = search_params_parse(query, facet_size=12)
        return params, catalogue_search(params=params)

    found, status = _searched(search, context)
    if found is not None:
        params, results = found
        context |= {
            "params": params,
            "results": results,
            "facet_groups": _facet_groups(results),
            "breadcrumb": scope_breadcrumb(query, params, results),
            "places": _places(query, results),
            "markers": _markers_of(results.hits),
            "badge_labels": badge_labels(),
            "next_url": (
                _url(query, after=results.next_cursor) if results.next_cursor else None
            ),
            "first_url": _url(query) if params.after else None,
            "hidden": [
                (name, value)
                for name in ("scope", "nuts", "near", "radius_km", "sort")
                for value in query.getlist(name)
            ],
        }
    return _page(request, "search/search.html", context, status)


def statistics_page(request: HttpRequest) -> HttpResponse:
    """The old statistics page: the dashboard (``/insight/``) answers it now, so
    it redirects there, over the whole network as it counted (an empty scope)
    unless the request names a scope or place."""
    query = request.GET.copy()
    if "scope" not in query and "nuts" not in query:
        query["scope"] = ""
    return HttpResponsePermanentRedirect("/insight/?" + query.urlencode())


# The organisation types a partner search can ask for, with their labels.
PARTNER_TYPES = dict(OrganisationType.choices)


@cache
def _partner_places(country: str) -> tuple[NutsRegion, ...]:
    """The NUTS 2 and 3 regions of ``country`` (all of them at the EU hub, which
    has none), offered as places to search near; computed once per process."""
    return tuple(
        sorted(
            (
                region
                for region in nuts_regions().values()
                if region.level >= 2
                and (not country or region.code.startswith(country))
            ),
            key=lambda region: region.code,
        )
    )


def partners_page(request: HttpRequest) -> HttpResponse:
    """The partner finder for SMEs: organisations matching a need, found in the
    municipality first and widened to the region, the country and the EU."""
    query = request.GET
    identity = hub_identity()
    need = query.get("need", "").strip()
    nuts = query.get("nuts", "").strip().upper() or (identity.nuts or "")
    types = tuple(value for value in query.getlist("types") if value in PARTNER_TYPES)
    open_only = query.get("open_only", "") in ("1", "true", "on")
    context: dict[str, Any] = {
        "need": need,
        "nuts": nuts,
        "types": types,
        "open_only": open_only,
        "type_choices": PARTNER_TYPES,
        "places": _partner_places(identity.country),
        "region": nuts_region(nuts) if nuts else None,
    }
    results, status = None, 200
    if need:
        results, status = _searched(
            lambda: partners_find(
                need=need, nuts=nuts or None, types=types, open_only=open_only
            ),
            context,
        )
        if results is not None:
            context["results"] = results
            context["markers"] = _markers_of(
                [match.organisation for match in results.matches]
            )
    return _page(request, "search/partners.html", context, status)


def similar_page(request: HttpRequest, record_id: str) -> HttpResponse:
    """Records like one record (``search.similar``): a page, or with
    ``?fragment=1`` the list alone, which a record page loads into itself."""
    context: dict[str, Any] = {"record_id": record_id}
    hits, status = _searched(
        lambda: records_similar(record_id=record_id, size=SIMILAR_SIZE), context
    )
    context["hits"] = hits or []
    fragment = request.GET.get("fragment") == "1"
    template = "search/similar_list.html" if fragment else "search/similar.html"
    return _page(request, template, context, status)
