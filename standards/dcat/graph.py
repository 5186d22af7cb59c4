"""The DCAT-AP 3 graph of one page of the hub's catalogue.

The hub's catalogue lists its own datasets; the datasets it holds from other
hubs sit in one sub-catalogue per origin hub (``dct:hasPart``), so a harvester
keeps their provenance. Hydra paging (``hydra:PartialCollectionView``) links the
pages. Every URI a DCAT-AP shape constrains by class is typed here, because a
validator does not load the EU vocabularies.

Datasets get this hub's URI ``<public url>/records/<id>/#dataset`` (unique by
the record id; a record's own ``url`` may be shared or absent); the record id is
their ``dct:identifier`` and ``adms:identifier``, which stays the same at every
hub, and the record's canonical page is their landing page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils import translation
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from cms.presenters.listing import record_path
from federation.models import StoredRecord
from federation.text import plain_text
from federation.vocabularies import (
    EuDataTheme,
    access_rights_uri,
    data_theme_uri,
)
from hubs.identity import HubIdentity, hub_identity
from hubs.nuts import nuts_country
from standards.dcat.distribution import distribution_add
from standards.dcat.iris import iri_of, mailto_of, typed_add
from standards.dcat.selectors import CataloguePage
from standards.dcat.vocabularies import (
    DATA_THEME_SCHEME,
    country_uri,
    frequency_uri,
    language_uri,
    nuts_uri,
)

ADMS = Namespace("http://www.w3.org/ns/adms#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
PROV = Namespace("http://www.w3.org/ns/prov#")
PREFIXES = {
    "prov": PROV,
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "skos": SKOS,
    "adms": ADMS,
    "hydra": HYDRA,
    "gsp": GSP,
    "xsd": XSD,
}

PageUrl = Callable[[int], str]


def catalogue_uri(identity: HubIdentity | None = None) -> URIRef:
    """The URI of this hub's catalogue (the same for every page and format)."""
    return URIRef(f"{(identity or hub_identity()).public_url}/catalog")


def catalogue_graph(*, page: CataloguePage, page_url: PageUrl) -> Graph:
    """The DCAT-AP 3 graph of ``page``; ``page_url(n)`` is the address of page n
    (with the same size and filter) for the Hydra links."""
    identity = hub_identity()
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    catalogue = catalogue_uri(identity)
    _catalogue(graph, catalogue, page=page, identity=identity)
    _paging(graph, catalogue, page=page, page_url=page_url)
    parts: dict[str, URIRef] = {}
    for stored in page.datasets:
        dataset = _dataset(
            graph, stored, base=identity.public_url, used_by=page.used_by
        )
        _provenance(graph, dataset, stored, catalogue=catalogue)
        if stored.origin == identity.slug:
            graph.add((catalogue, DCAT.dataset, dataset))
            continue
        if stored.origin not in parts:
            parts[stored.origin] = _sub_catalogue(
                graph, catalogue, origin=stored.origin, page=page
            )
        graph.add((parts[stored.origin], DCAT.dataset, dataset))
    return graph


def dataset_graph(
    *, stored: StoredRecord, used_by: Mapping[str, list[StoredRecord]]
) -> Graph:
    """The DCAT-AP 3 description of one dataset record, the same triples it has
    in the catalogue (``/records/<id>.ttl``)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    _dataset(graph, stored, base=hub_identity().public_url, used_by=used_by)
    return graph


def _catalogue(
    graph: Graph, catalogue: URIRef, *, page: CataloguePage, identity: HubIdentity
) -> None:
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add(
        (catalogue, DCTERMS.title, Literal(f"Datasets of {identity.name}", lang="en"))
    )
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                f"The datasets that {identity.name} publishes and those it holds "
                "from other hubs of the hubnet federation of AI innovation hubs, "
                "each in a sub-catalogue of its origin hub.",
                lang="en",
            ),
        )
    )
    graph.add(
        (
            catalogue,
            DCTERMS.publisher,
            _agent(graph, catalogue, identity.slug, identity.name),
        )
    )
    homepage = URIRef(f"{identity.public_url}/")
    graph.add((catalogue, FOAF.homepage, homepage))
    graph.add((homepage, RDF.type, FOAF.Document))
    for code in page.languages:
        typed_add(
            graph,
            catalogue,
            DCTERMS.language,
            language_uri(code),
            DCTERMS.LinguisticSystem,
        )
    if identity.nuts:
        typed_add(
            graph, catalogue, DCTERMS.spatial, nuts_uri(identity.nuts), DCTERMS.Location
        )
    country = identity.country or (nuts_country(identity.nuts) if identity.nuts else "")
    if country:
        typed_add(
            graph, catalogue, DCTERMS.spatial, country_uri(country), DCTERMS.Location
        )
    if page.modified is not None:
        graph.add((catalogue, DCTERMS.modified, _moment(page.modified)))
    scheme = URIRef(DATA_THEME_SCHEME)
    graph.add((catalogue, DCAT.themeTaxonomy, scheme))
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal("Data theme", lang="en")))


def _paging(
    graph: Graph, catalogue: URIRef, *, page: CataloguePage, page_url: PageUrl
) -> None:
    """Hydra paging: the catalogue is the collection, this page one view of it."""
    number = page.query.page
    view = URIRef(page_url(number))
    graph.add((catalogue, RDF.type, HYDRA.Collection))
    graph.add(
        (
            catalogue,
            HYDRA.totalItems,
            Literal(page.total, datatype=XSD.nonNegativeInteger),
        )
    )
    graph.add((catalogue, HYDRA.view, view))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.first, URIRef(page_url(1))))
    graph.add((view, HYDRA.last, URIRef(page_url(page.last_page))))
    if number > 1:
        graph.add((view, HYDRA.previous, URIRef(page_url(number - 1))))
    if number < page.last_page:
        graph.add((view, HYDRA.next, URIRef(page_url(number + 1))))


def _sub_catalogue(
    graph: Graph, catalogue: URIRef, *, origin: str, page: CataloguePage
) -> URIRef:
    """The catalogue of the datasets of hub ``origin`` that this hub holds."""
    part = URIRef(f"{catalogue}#hub-{origin}")
    name = page.hub_names.get(origin) or f"hub {origin}"
    graph.add((catalogue, DCTERMS.hasPart, part))
    graph.add((part, DCTERMS.isPartOf, catalogue))
    graph.add((part, RDF.type, DCAT.Catalog))
    graph.add((part, DCTERMS.title, Literal(f"Datasets of {name}", lang="en")))
    graph.add(
        (
            part,
            DCTERMS.description,
            Literal(
                f"The datasets published by {name} ({origin}) that reached this "
                "hub through the hubnet federation.",
                lang="en",
            ),
        )
    )
    graph.add((part, DCTERMS.publisher, _agent(graph, catalogue, origin, name)))
    homepage = iri_of(page.hub_urls.get(origin), record_id=origin, field="hub url")
    if homepage is not None:
        graph.add((part, FOAF.homepage, homepage))
        graph.add((homepage, RDF.type, FOAF.Document))
    graph.add((part, DCAT.themeTaxonomy, URIRef(DATA_THEME_SCHEME)))
    return part


def _agent(graph: Graph, catalogue: URIRef, slug: str, name: str) -> URIRef:
    agent = URIRef(f"{catalogue}#agent-{slug}")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(name)))
    return agent


def _dataset(
    graph: Graph,
    stored: StoredRecord,
    *,
    base: str,
    used_by: Mapping[str, list[StoredRecord]],
) -> URIRef:
    body: dict[str, Any] = stored.body or {}
    page = f"{base}{record_path(stored.record_id)}"
    dataset = URIRef(f"{page}#dataset")
    language = stored.language or "en"
    title = str(body.get("title") or stored.title or stored.record_id)
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.identifier, Literal(stored.record_id)))
    identifier = URIRef(f"{page}#identifier")
    graph.add((dataset, ADMS.identifier, identifier))
    graph.add((identifier, RDF.type, ADMS.Identifier))
    graph.add((identifier, SKOS.notation, Literal(stored.record_id)))
    graph.add((dataset, DCTERMS.title, Literal(title, lang=language)))
    graph.add(
        (
            dataset,
            DCTERMS.description,
            _description(body, title, language),
        )
    )
    if body.get("publisher"):
        publisher = URIRef(f"{page}#publisher")
        graph.add((dataset, DCTERMS.publisher, publisher))
        graph.add((publisher, RDF.type, FOAF.Agent))
        graph.add((publisher, FOAF.name, Literal(str(body["publisher"]))))
    _contact(
        graph,
        dataset,
        body.get("contact"),
        page=page,
        fallback=body.get("publisher"),
        record_id=stored.record_id,
    )
    for keyword in body.get("keywords") or []:
        graph.add((dataset, DCAT.keyword, Literal(keyword, lang=language)))
    for theme in body.get("themes") or []:
        try:
            uri = data_theme_uri(theme)
        except ValueError:  # a free theme, not an EU data theme: keep it findable
            graph.add((dataset, DCAT.keyword, Literal(theme, lang=language)))
            continue
        typed_add(graph, dataset, DCAT.theme, uri, SKOS.Concept)
        graph.add((URIRef(uri), SKOS.inScheme, URIRef(DATA_THEME_SCHEME)))
        # DCAT-AP requires a concept's preferred label; the EU table's English one.
        with translation.override("en"):
            label = str(EuDataTheme(theme).label)
        graph.add((URIRef(uri), SKOS.prefLabel, Literal(label, lang="en")))
    if body.get("accessRights"):
        typed_add(
            graph,
            dataset,
            DCTERMS.accessRights,
            access_rights_uri(body["accessRights"]),
            DCTERMS.RightsStatement,
        )
    _spatial(graph, dataset, body.get("location"), page=page)
    _temporal(graph, dataset, body, page=page)
    if body.get("frequency"):
        typed_add(
            graph,
            dataset,
            DCTERMS.accrualPeriodicity,
            frequency_uri(body["frequency"]),
            DCTERMS.Frequency,
        )
    for number, item in enumerate(body.get("distributions") or [], start=1):
        distribution_add(
            graph,
            dataset,
            item,
            uri=f"{page}#distribution-{number}",
            licence=body.get("licence"),
            record_id=stored.record_id,
        )
    typed_add(
        graph,
        dataset,
        DCTERMS.language,
        language_uri(language),
        DCTERMS.LinguisticSystem,
    )
    graph.add((dataset, DCTERMS.modified, _moment(stored.updated_at)))
    if stored.version == 1:  # the first version's change is its publication
        graph.add((dataset, DCTERMS.issued, _moment(stored.updated_at)))
    # Where a harvested dataset came from (DCAT-AP: "a related resource from
    # which the described resource is derived").
    # DCAT-AP ranges it over datasets: the one at the source, described by what
    # was taken from it.
    if source := iri_of(body.get("source"), record_id=stored.record_id, field="source"):
        graph.add((dataset, DCTERMS.source, source))
        graph.add((source, RDF.type, DCAT.Dataset))
        graph.add((source, DCTERMS.title, Literal(title, lang=language)))
        graph.add((source, DCTERMS.description, _description(body, title, language)))
    landing = iri_of(stored.url, record_id=stored.record_id, field="url")
    landing = landing or URIRef(page)
    graph.add((dataset, DCAT.landingPage, landing))
    graph.add((landing, RDF.type, FOAF.Document))
    for project in used_by.get(stored.record_id, []):
        # dct:isReferencedBy is DCAT-AP 3's "is referenced by": a resource that
        # cites or points to the dataset, here a project that uses it.
        # This hub's page of the project: unique per record id and served here.
        reference = URIRef(f"{base}{record_path(project.record_id)}")
        graph.add((dataset, DCTERMS.isReferencedBy, reference))
        graph.add((reference, DCTERMS.identifier, Literal(project.record_id)))
        if project.title:
            graph.add((reference, DCTERMS.title, Literal(project.title)))
    return dataset


def _provenance(
    graph: Graph, dataset: URIRef, stored: StoredRecord, *, catalogue: URIRef
) -> None:
    """PROV-O, as DCAT-AP 3 uses it: the dataset is attributed to its origin
    hub (the agent that publishes its catalogue), and a version the origin
    signed was generated by that hub's publication of it."""
    agent = URIRef(f"{catalogue}#agent-{stored.origin}")
    graph.add((dataset, PROV.wasAttributedTo, agent))
    if not stored.signature:
        return
    activity = URIRef(f"{dataset}-publication-v{stored.version}")
    graph.add((dataset, PROV.wasGeneratedBy, activity))
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, PROV.wasAssociatedWith, agent))
    graph.add((activity, PROV.endedAtTime, _moment(stored.updated_at)))


def _description(body: Mapping[str, Any], title: str, language: str) -> Literal:
    """Plain text of the description in the record's language; an English
    sentence from title and publisher when the record has none (DCAT-AP requires
    a description, never an empty one)."""
    text = plain_text(body.get("description"))
    if text:
        return Literal(text, lang=language)
    publisher = body.get("publisher")
    fallback = f"Dataset “{title}”" + (
        f", published by {publisher}." if publisher else "."
    )
    return Literal(fallback, lang="en")


def _contact(
    graph: Graph,
    dataset: URIRef,
    contact: Any,
    *,
    page: str,
    fallback: Any,
    record_id: str,
) -> None:
    if not contact:
        return
    kind = URIRef(f"{page}#contact")
    graph.add((dataset, DCAT.contactPoint, kind))
    graph.add((kind, RDF.type, VCARD.Kind))
    name = contact.get("name") or fallback
    if name:
        graph.add((kind, VCARD.fn, Literal(str(name))))
    email = mailto_of(contact.get("email"), record_id=record_id)
    if email is not None:
        graph.add((kind, VCARD.hasEmail, email))
    url = iri_of(contact.get("url"), record_id=record_id, field="contact url")
    if url is not None:
        graph.add((kind, VCARD.hasURL, url))


def _spatial(graph: Graph, dataset: URIRef, location: Any, *, page: str) -> None:
    if not location:
        return
    codes = location.get("nuts") or []
    for code in codes:
        typed_add(graph, dataset, DCTERMS.spatial, nuts_uri(code), DCTERMS.Location)
    countries = (
        {location["country"]}
        if location.get("country")
        else {nuts_country(code) for code in codes}
    )
    for country in sorted(countries):
        typed_add(
            graph, dataset, DCTERMS.spatial, country_uri(country), DCTERMS.Location
        )
    if location.get("lat") is not None and location.get("lon") is not None:
        point = URIRef(f"{page}#location")
        graph.add((dataset, DCTERMS.spatial, point))
        graph.add((point, RDF.type, DCTERMS.Location))
        wkt = f"POINT({location['lon']} {location['lat']})"
        graph.add((point, DCAT.centroid, Literal(wkt, datatype=GSP.wktLiteral)))


def _temporal(
    graph: Graph, dataset: URIRef, body: Mapping[str, Any], *, page: str
) -> None:
    start, end = body.get("temporalStart"), body.get("temporalEnd")
    if not start and not end:
        return
    period = URIRef(f"{page}#temporal")
    graph.add((dataset, DCTERMS.temporal, period))
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    if start:
        graph.add((period, DCAT.startDate, Literal(start, datatype=XSD.date)))
    if end:
        graph.add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))


def _moment(moment: dt.datetime) -> Literal:
    return Literal(
        moment.astimezone(dt.UTC).replace(microsecond=0).isoformat(),
        datatype=XSD.dateTime,
    )
