"""The DCAT-AP 3 catalogue of this hub, public, in Turtle, JSON-LD and RDF/XML.

``/catalog`` negotiates the format from Accept; ``/catalog.ttl``,
``/catalog.jsonld`` and ``/catalog.rdf`` name it. Views only parse the request,
call the selectors and serialise.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from standards.dcat.formats import (
    FORMAT_BY_SUFFIX,
    FORMATS,
    format_negotiate,
    graph_serialize,
)
from standards.dcat.graph import catalogue_graph, catalogue_uri, dataset_graph
from standards.dcat.selectors import (
    PAGE_SIZE_DEFAULT,
    CataloguePageMissing,
    CatalogueQuery,
    CatalogueQueryInvalid,
    catalogue_page,
    catalogue_query_parse,
    dataset_get,
)

CACHE_SECONDS = 300
PLAIN = "text/plain; charset=utf-8"


@require_safe
def catalogue(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    """A page of the hub's DCAT-AP catalogue in the format of ``suffix`` or,
    without one, the format the Accept header prefers (406 when none fits)."""
    if suffix is None:
        rdf_format = format_negotiate(request)
        if rdf_format is None:
            return _not_acceptable()
    else:
        rdf_format = FORMAT_BY_SUFFIX[suffix]
    try:
        query = catalogue_query_parse(request.GET)
        page = catalogue_page(query=query)
    except CatalogueQueryInvalid as error:
        return HttpResponse(f"Bad request: {error}\n", status=400, content_type=PLAIN)
    except CataloguePageMissing as error:
        return HttpResponse(f"Not found: {error}\n", status=404, content_type=PLAIN)
    graph = catalogue_graph(page=page, page_url=lambda n: _page_url(query, n))
    content = graph_serialize(graph, rdf_format)
    response = HttpResponse(content, content_type=rdf_format.content_type)
    response["ETag"] = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    if page.changed is not None:
        response["Last-Modified"] = http_date(page.changed.timestamp())
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    if suffix is None:
        patch_vary_headers(response, ["Accept"])
    # The body is built already; a matching validator still saves the transfer.
    return (
        get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(page.changed.timestamp()) if page.changed else None,
            response=response,
        )
        or response
    )


@require_safe
def dataset(request: HttpRequest, record_id: str, suffix: str) -> HttpResponse:
    """One dataset's DCAT-AP description in the format ``suffix`` names (404 for
    an unknown, withdrawn or other kind of record)."""
    found = dataset_get(record_id=record_id)
    if found is None:
        return HttpResponse(
            f"Not found: no dataset {record_id[:120]!r} is held here.\n",
            status=404,
            content_type=PLAIN,
        )
    stored, used_by = found
    content = graph_serialize(
        dataset_graph(stored=stored, used_by=used_by), FORMAT_BY_SUFFIX[suffix]
    )
    response = HttpResponse(content, content_type=FORMAT_BY_SUFFIX[suffix].content_type)
    response["Last-Modified"] = http_date(stored.updated_at.timestamp())
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return (
        get_conditional_response(
            request,
            last_modified=int(stored.updated_at.timestamp()),
            response=response,
        )
        or response
    )


def _page_url(query: CatalogueQuery, number: int) -> str:
    """The absolute address of page ``number`` with the same size and filter.

    The page is one resource whatever its serialisation: links go to
    ``/catalog``, which negotiates, so every format carries the same graph."""
    params: dict[str, str | int] = {"page": number}
    if query.page_size != PAGE_SIZE_DEFAULT:
        params["page_size"] = query.page_size
    if query.modified_since_text:
        params["modified_since"] = query.modified_since_text
    return f"{catalogue_uri()}?{urlencode(params)}"


def _not_acceptable() -> HttpResponse:
    types = ", ".join(rdf_format.media_type for rdf_format in FORMATS)
    suffixes = ", ".join(f"/catalog.{rdf_format.suffix}" for rdf_format in FORMATS)
    response = HttpResponse(
        f"Not acceptable: the catalogue is served as {types}. Ask for one of them "
        f"in the Accept header, or fetch {suffixes}.\n",
        status=406,
        content_type=PLAIN,
    )
    patch_vary_headers(response, ["Accept"])
    return response
