"""The catalogue of a hub with own and federated datasets conforms to
the official DCAT-AP 3.0.1 SHACL shapes (pyshacl), in every serialisation."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, SH

from standards import dcat
from tests.cms.catalogue import federated, own_records
from tests.federation.factories import body_full
from tests.hubs.factories import NeighbourFactory
from tests.standards.dcat.builders import (
    CATALOGUE,
    PARSERS,
    all_datasets,
    dataset_uri,
)

pytestmark = pytest.mark.django_db

SHAPES_FILE = Path(dcat.__file__).parent / "shapes" / "dcat-ap-SHACL-3.0.1.ttl"
FORMATS = {
    "/catalog.ttl": "text/turtle",
    "/catalog.jsonld": "application/ld+json",
    "/catalog.rdf": "application/rdf+xml",
}
# Warnings and infos we accept, by (type of the focus node, result path), with
# the reason. The 3.0.1 shapes give no sh:severity, so every result is a
# Violation and this list is empty; a warning that is not listed fails the test.
ACCEPTED_WARNINGS: dict[tuple[str, str], str] = {}


@cache
def shapes() -> Graph:
    """The official shapes, without the two sh:property links of
    dcat:DataServiceShape to shapes the file never defines (SEMICeu/DCAT-AP#448,
    see shapes/README.md), which pyshacl would refuse as malformed."""
    graph = Graph().parse(SHAPES_FILE, format="turtle")
    for shape, link, target in list(graph.triples((None, SH.property, None))):
        if (target, None, None) not in graph:
            graph.remove((shape, link, target))
    return graph


def _fetch_all(client) -> dict[str, Graph]:
    graphs = {}
    for path, media_type in FORMATS.items():
        response = client.get(path)
        assert response.status_code == 200
        graphs[path] = Graph().parse(data=response.content, format=PARSERS[media_type])
    return graphs


def _results(report: Graph, severity: URIRef) -> list[tuple[URIRef, URIRef, str]]:
    return sorted(
        (
            report.value(result, SH.focusNode),
            report.value(result, SH.resultPath),
            str(report.value(result, SH.resultMessage)),
        )
        for result in report.subjects(SH.resultSeverity, severity)
    )


@pytest.fixture
def hub_with_own_and_federated_datasets() -> dict[str, URIRef]:
    """Own datasets (one with every field, one minimal), federated ones from a
    known neighbour (nl) and an unknown hub (be), and a project using one."""
    NeighbourFactory(slug="nl", name="AI Hub Nederland", role="parent")
    rich_own = own_records("dataset", 1, **body_full("dataset"))[0]
    minimal_own = own_records("dataset", 1)[0]
    rich_federated = federated("dataset", origin="nl", full=True)
    minimal_federated = federated("dataset", origin="be", description="")
    own_records("project", 1, datasets=[rich_own.record_id])
    return {
        name: dataset_uri(stored)
        for name, stored in {
            "rich own": rich_own,
            "minimal own": minimal_own,
            "rich federated": rich_federated,
            "minimal federated": minimal_federated,
        }.items()
    }


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_the_catalogue_conforms_to_dcat_ap_3(
    client, hub_with_own_and_federated_datasets, inference
):
    datasets = hub_with_own_and_federated_datasets
    # when the catalogue is fetched in every serialisation
    graphs = _fetch_all(client)
    turtle = graphs["/catalog.ttl"]
    # then all three are the same graph, holding every dataset
    assert isomorphic(turtle, graphs["/catalog.jsonld"])
    assert isomorphic(turtle, graphs["/catalog.rdf"])
    assert all_datasets(turtle) == set(datasets.values())
    # and the Turtle validates against the official DCAT-AP 3.0.1 shapes
    conforms, report, text = validate(
        turtle,
        shacl_graph=shapes(),
        inference=inference,
        abort_on_first=False,
        allow_warnings=True,
    )
    assert _results(report, SH.Violation) == [], text
    # and every warning or info is one we accept, for the reason given
    accepted = []
    for severity in (SH.Warning, SH.Info):
        for focus, path, message in _results(report, severity):
            kinds = sorted(str(kind) for kind in turtle.objects(focus, RDF.type))
            key = next(
                (
                    (kind, str(path))
                    for kind in kinds
                    if (kind, str(path)) in ACCEPTED_WARNINGS
                ),
                None,
            )
            assert key is not None, f"unexpected {severity}: {focus} {path} {message}"
            accepted.append(f"{key}: {message} (accepted: {ACCEPTED_WARNINGS[key]})")
    print(f"DCAT-AP 3.0.1 ({inference}): 0 violations, {len(accepted)} accepted")
    print("\n".join(accepted))
    assert conforms


def test_the_catalogue_describes_itself(client, hub_with_own_and_federated_datasets):
    # when the catalogue is fetched
    graph = _fetch_all(client)["/catalog.ttl"]
    # then it has a title, a description and a publisher with a name
    assert str(graph.value(CATALOGUE, DCTERMS.title)) == (
        "Datasets of AI Hub Noord-Brabant"
    )
    assert str(graph.value(CATALOGUE, DCTERMS.description)).startswith(
        "The datasets that AI Hub Noord-Brabant publishes"
    )
    publisher = graph.value(CATALOGUE, DCTERMS.publisher)
    assert publisher == URIRef(f"{CATALOGUE}#agent-nl-nb")
    assert (publisher, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Agent")) in graph
    # and what the hub knows: its area, its site, its languages, its themes
    assert set(graph.objects(CATALOGUE, DCTERMS.spatial)) == {
        URIRef("http://data.europa.eu/nuts/code/NL41"),
        URIRef("http://publications.europa.eu/resource/authority/country/NLD"),
    }
    assert set(graph.objects(CATALOGUE, DCTERMS.language)) == {
        URIRef("http://publications.europa.eu/resource/authority/language/NLD")
    }
    assert graph.value(CATALOGUE, URIRef("http://xmlns.com/foaf/0.1/homepage")) == (
        URIRef("https://brabant.example.org/")
    )
    assert graph.value(
        CATALOGUE, URIRef("http://www.w3.org/ns/dcat#themeTaxonomy")
    ) == URIRef("http://publications.europa.eu/resource/authority/data-theme")
    assert graph.value(CATALOGUE, DCTERMS.modified) is not None


def test_the_shapes_catch_a_dataset_without_a_title(client):
    # given a catalogue page whose dataset lost its title
    dataset = dataset_uri(own_records("dataset", 1)[0])
    graph = _fetch_all(client)["/catalog.ttl"]
    graph.remove((dataset, DCTERMS.title, None))
    # when it is validated
    conforms, report, _ = validate(
        graph, shacl_graph=shapes(), inference="none", allow_warnings=True
    )
    # then the shapes report exactly that
    assert not conforms
    assert [(focus, path) for focus, path, _ in _results(report, SH.Violation)] == [
        (dataset, DCTERMS.title)
    ]
