"""The DCAT-AP kind (2.x and 3; Turtle, RDF/XML or JSON-LD, Hydra paging), also
used for another hub's ``/catalog.ttl``.

Each page is parsed into its own graph and dropped after it, so memory follows
the page size, not the catalogue's."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from standards.dcat.graph import HYDRA
from standards.harvest.codes import (
    access_rights_code,
    date_of,
    format_code,
    frequency_code,
    language_code,
    licence_code,
    place_codes,
    theme_code,
)
from standards.harvest.dataset import dataset_values, source_link, url_of
from standards.harvest.fetch import page_fetch
from standards.harvest.items import Item, ItemRefused, Refusal, SourcePage

PARSERS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
ACCEPT = "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8"
SCHEMA_START = URIRef("http://schema.org/startDate")
SCHEMA_END = URIRef("http://schema.org/endDate")
HYDRA_LEGACY = "http://www.w3.org/ns/hydra/core#nextPage"
PREFERRED_LANGUAGES = ("en", "nl", "de", "fr", None)


class PageMalformed(ValueError):
    """A page that cannot be read as RDF (the run stops: its items and the way on
    are unknown)."""


def dcat_page_read(*, url: str, deadline: float, publisher: str = "") -> SourcePage:
    """Fetch and read one page of a DCAT-AP catalogue."""
    fetched = page_fetch(
        url=url, accept=ACCEPT, media_types=tuple(PARSERS), deadline=deadline
    )
    return dcat_page_parse(
        body=fetched.body,
        media_type=fetched.media_type,
        base=fetched.url,
        publisher=publisher,
    )


def dcat_page_parse(
    *, body: bytes, media_type: str, base: str, publisher: str = ""
) -> SourcePage:
    """The datasets of one catalogue page and its Hydra next page; a dataset
    without publisher takes the catalogue's, else ``publisher``."""
    graph = Graph()
    try:
        graph.parse(data=body, format=PARSERS[media_type], publicID=base)
    except Exception as error:  # rdflib raises many types for bad syntax
        raise PageMalformed(
            f"{base[:200]}: malformed {media_type}: {str(error)[:200]}"
        ) from None
    page = SourcePage(next_url=_next(graph))
    fallback = _catalogue_publisher(graph) or publisher
    # A dataset only named as where another came from (dct:source, as a hub's
    # catalogue names a harvested dataset's origin) is not one of its items.
    sources = set(graph.objects(None, DCTERMS.source)) - set(
        graph.objects(None, DCAT.dataset)
    )
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset)) - sources
    for dataset in sorted(datasets, key=str):
        source_id = _source_id(graph, dataset)
        try:
            page.items.append(_item(graph, dataset, source_id, fallback, base))
        except ItemRefused as refused:
            page.items.append(Refusal(source_id, str(refused)))
    return page


def _next(graph: Graph) -> str:
    for predicate in (HYDRA.next, HYDRA.nextPage, URIRef(HYDRA_LEGACY)):
        for value in graph.objects(None, predicate):
            return str(value)
    return ""


def _source_id(graph: Graph, dataset: Any) -> str:
    if isinstance(dataset, URIRef):
        return str(dataset)[:500]
    identifier = graph.value(dataset, DCTERMS.identifier)
    return str(identifier)[:500] if identifier else f"blank:{dataset}"


def _text(graph: Graph, subject: Any, predicate: URIRef) -> str:
    values = [value for value in graph.objects(subject, predicate)]
    literals = [value for value in values if isinstance(value, Literal)]
    for language in PREFERRED_LANGUAGES:
        for value in sorted(literals, key=str):
            if value.language == language:
                return str(value)
    return str(sorted(literals, key=str)[0]) if literals else ""


def _name(graph: Graph, agent: Any) -> str:
    if agent is None:
        return ""
    if isinstance(agent, Literal):
        return str(agent)
    return _text(graph, agent, FOAF.name) or _text(graph, agent, SKOS.prefLabel)


def _catalogue_publisher(graph: Graph) -> str:
    for catalogue in graph.subjects(RDF.type, DCAT.Catalog):
        name = _name(graph, graph.value(catalogue, DCTERMS.publisher))
        if name:
            return name
    return ""


def _item(graph: Graph, dataset: Any, source_id: str, fallback: str, base: str) -> Item:
    if isinstance(dataset, BNode) and not graph.value(dataset, DCTERMS.identifier):
        raise ItemRefused("a dataset without IRI or identifier")
    start = end = None
    for period in graph.objects(dataset, DCTERMS.temporal):
        for predicate in (DCAT.startDate, SCHEMA_START):
            if value := graph.value(period, predicate):
                start = date_of(str(value), field="temporal start")
        for predicate in (DCAT.endDate, SCHEMA_END):
            if value := graph.value(period, predicate):
                end = date_of(str(value), field="temporal end")
    country, nuts = "", []
    for place in graph.objects(dataset, DCTERMS.spatial):
        alpha2, code = place_codes(str(place))
        country = country or alpha2
        nuts += [code] if code else []
    distributions = [
        _distribution(graph, distribution)
        for distribution in graph.objects(dataset, DCAT.distribution)
    ]
    distributions.sort(key=lambda row: (row["access_url"], row["download_url"]))
    licence = licence_code(str(graph.value(dataset, DCTERMS.license) or ""))
    for distribution in graph.objects(dataset, DCAT.distribution):
        licence = licence or licence_code(
            str(graph.value(distribution, DCTERMS.license) or "")
        )
    landing = graph.value(dataset, DCAT.landingPage)
    # The dataset's IRI, or for a blank node the page's URL and its identifier.
    source, note = source_link(
        str(dataset)
        if isinstance(dataset, URIRef)
        else f"{base.split('#', 1)[0]}#{quote(source_id, safe='')}"
    )
    values = dataset_values(
        title=_text(graph, dataset, DCTERMS.title),
        description=_text(graph, dataset, DCTERMS.description),
        publisher=_name(graph, graph.value(dataset, DCTERMS.publisher)) or fallback,
        keywords=[str(word) for word in graph.objects(dataset, DCAT.keyword)],
        themes=[
            theme_found
            for theme in graph.objects(dataset, DCAT.theme)
            if (theme_found := theme_code(str(theme)))
        ],
        licence=licence,
        access_rights=access_rights_code(
            str(graph.value(dataset, DCTERMS.accessRights) or "")
        )
        or "",
        temporal_start=start,
        temporal_end=end,
        frequency=frequency_code(
            str(graph.value(dataset, DCTERMS.accrualPeriodicity) or "")
        ),
        country=country,
        nuts_codes=nuts,
        language=language_code(str(graph.value(dataset, DCTERMS.language) or "")),
        landing_page=url_of(str(landing), field="landing page") if landing else "",
        distributions=distributions,
        source=source,
    )
    return Item(source_id, values, name=values["title"], note=note)


def _distribution(graph: Graph, distribution: Any) -> dict[str, Any]:
    access = graph.value(distribution, DCAT.accessURL)
    download = graph.value(distribution, DCAT.downloadURL)
    if access is None and download is None:
        raise ItemRefused("a distribution without access or download URL")
    access_url = url_of(str(access or download), field="distribution access URL")
    download_url = (
        url_of(str(download), field="distribution download URL") if download else ""
    )
    media = str(graph.value(distribution, DCAT.mediaType) or "")
    media = media.split("/media-types/")[-1] if "/media-types/" in media else media
    size = graph.value(distribution, DCAT.byteSize)
    try:
        byte_size = int(str(size)) if size is not None else None
    except ValueError:
        raise ItemRefused(f"distribution byte size {str(size)[:20]!r}") from None
    return {
        "access_url": access_url,
        "download_url": download_url,
        "file_format": format_code(
            str(graph.value(distribution, DCTERMS["format"]) or ""), media
        ),
        "media_type": media if "/" in media and len(media) <= 100 else "",
        "byte_size": byte_size if byte_size is not None and byte_size >= 0 else None,
    }
