"""Atom feeds of any search: ``/search/feed/`` takes the query string of
``/search/`` (read by ``search.query_string``, so the same parameters and
bounds) and lists the newest matching records, newest first. A feed per hub,
kind or region is that search: ``?scope=nl-nb``, ``?kinds=dataset``,
``?nuts=NL414``."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from hubs.identity import hub_identity
from search.engine import RETRY_AFTER_SECONDS, SearchUnavailable
from search.queries import catalogue_search
from search.query_string import search_params_parse
from search.types import SearchHit, SearchParams, SearchParamsInvalid

FEED_SIZE = 30
PLAIN = "text/plain; charset=utf-8"


def hit_url(hit: SearchHit) -> str:
    """Where a reader opens a hit: the record's page at its origin, else this
    hub's page of the record."""
    url = hit.record.get("url") or ""
    if url.startswith(("https://", "http://")):
        return url
    return f"{hub_identity().public_url}{reverse('cms:record_detail', args=[hit.id])}"


class SearchFeed(Feed):
    """The Atom feed of one search (``get_object`` receives the parsed
    ``SearchParams``); entries are the records' titles, summaries and times."""

    feed_type = Atom1Feed

    def get_object(
        self, _request: HttpRequest, *, params: SearchParams, query: QueryDict
    ) -> tuple[SearchParams, QueryDict]:
        return params, query

    def title(self, obj: tuple[SearchParams, QueryDict]) -> str:
        params, _query = obj
        name = hub_identity().name
        if params.text:
            return _("%(hub)s: records matching “%(text)s”") % {
                "hub": name,
                "text": params.text,
            }
        return _("%(hub)s: new and changed records") % {"hub": name}

    def link(self, obj: tuple[SearchParams, QueryDict]) -> str:
        _params, query = obj
        return _search_url(query)

    def subtitle(self, _obj: tuple[SearchParams, QueryDict]) -> str:
        return _("The newest records of this search in the hubnet network.")

    def author_name(self) -> str:
        return hub_identity().name

    def items(self, obj: tuple[SearchParams, QueryDict]) -> list[SearchHit]:
        params, _query = obj
        return catalogue_search(params=params).hits

    def item_title(self, item: SearchHit) -> str:
        return item.title or item.id

    def item_description(self, item: SearchHit) -> str:
        body = item.record.get("body") or {}
        return str(body.get("summary") or "")

    def item_link(self, item: SearchHit) -> str:
        return hit_url(item)

    def item_guid(self, item: SearchHit) -> str:
        return (
            f"{hub_identity().public_url}{reverse('cms:record_detail', args=[item.id])}"
        )

    item_guid_is_permalink = False

    def item_updateddate(self, item: SearchHit) -> dt.datetime | None:
        return parse_datetime(str(item.record.get("updatedAt") or ""))

    def item_categories(self, item: SearchHit) -> list[str]:
        return [item.kind]


_FEED = SearchFeed()


def search_feed(request: HttpRequest) -> HttpResponse:
    """The feed of the search the query string describes, newest first (400 for
    a bad parameter, 503 while the engine is unreachable)."""
    try:
        params = search_params_parse(
            request.GET, sort="newest", after=None, facets=(), highlight=False
        )
        if not 0 < params.size <= FEED_SIZE:
            params = replace(params, size=FEED_SIZE)
        return _FEED(request, params=params, query=request.GET)
    except SearchParamsInvalid as error:
        return HttpResponse(f"Bad request: {error}\n", status=400, content_type=PLAIN)
    except SearchUnavailable:
        response = HttpResponse(
            "The search engine is unavailable; please try again.\n",
            status=503,
            content_type=PLAIN,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def _search_url(query: QueryDict) -> str:
    """The absolute address of the search page of ``query``."""
    pairs = [
        (name, value)
        for name, values in query.lists()
        for value in values
        if name not in ("after", "size")
    ]
    text = urlencode(pairs)
    path = reverse("search:search")
    return f"{hub_identity().public_url}{path}{'?' + text if text else ''}"


def feed_url(query: QueryDict) -> str:
    """The feed of the search page showing ``query`` (its ``alternate`` link)."""
    pairs = [
        (name, value)
        for name, values in query.lists()
        for value in values
        if name not in ("after", "size", "sort")
    ]
    text = urlencode(pairs)
    return f"{reverse('search:feed')}{'?' + text if text else ''}"
