"""Builders and readers for the DCAT-AP tests: catalogue pages fetched and
parsed, and the URIs the catalogue gives records."""

from __future__ import annotations

from typing import Any

from django.test import Client
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from federation.models import StoredRecord

# Open namespaces: rdflib's closed DCAT and XSD warn when pytest probes a test
# module's names.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
BASE = "https://brabant.example.org"
CATALOGUE = URIRef(f"{BASE}/catalog")
HYDRA = "http://www.w3.org/ns/hydra/core#"
PARSERS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def dataset_uri(stored: StoredRecord | str) -> URIRef:
    """The URI the catalogue gives a dataset record."""
    record_id = stored if isinstance(stored, str) else stored.record_id
    return URIRef(f"{BASE}/records/{record_id}/#dataset")


def part_uri(origin: str) -> URIRef:
    """The URI of the sub-catalogue of origin hub ``origin``."""
    return URIRef(f"{BASE}/catalog#hub-{origin}")


def catalogue_get(client: Client, path: str = "/catalog.ttl", **params: Any) -> Graph:
    """Fetch a catalogue page (200 expected) and parse it by its content type."""
    response = client.get(path, params)
    assert response.status_code == 200, response.content.decode()
    media_type = response["Content-Type"].split(";")[0]
    return Graph().parse(data=response.content, format=PARSERS[media_type])


def members(graph: Graph, catalogue: URIRef = CATALOGUE) -> set[URIRef]:
    """The datasets a catalogue lists (dcat:dataset) on this page."""
    return set(graph.objects(catalogue, DCAT.dataset))


def all_datasets(graph: Graph) -> set[URIRef]:
    """Every dcat:Dataset the page describes, but the ones only named as where a
    harvested dataset came from (dct:source)."""
    sources = set(graph.objects(None, DCTERMS.source)) - set(
        graph.objects(None, DCAT.dataset)
    )
    return set(graph.subjects(RDF.type, DCAT.Dataset)) - sources


def parts(graph: Graph) -> set[URIRef]:
    """The sub-catalogues the hub's catalogue has on this page."""
    return set(graph.objects(CATALOGUE, DCTERMS.hasPart))


def hydra(graph: Graph, view: URIRef, name: str) -> str | None:
    """A Hydra link (first, last, next, previous) of a page view, as text."""
    value = graph.value(view, URIRef(f"{HYDRA}{name}"))
    return str(value) if value is not None else None
