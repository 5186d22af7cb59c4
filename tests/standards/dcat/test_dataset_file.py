"""One dataset's DCAT-AP file: ``/records/<id>.ttl|.jsonld|.rdf``."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests.cms.catalogue import federated, own_records
from tests.standards.dcat.builders import PARSERS, dataset_uri

pytestmark = pytest.mark.django_db


def test_a_dataset_file_describes_that_dataset_alone_in_every_format(client):
    # given two datasets held by the hub
    wanted, other = own_records("dataset", 2)
    # when one dataset's file is fetched in each serialisation
    graphs = []
    for suffix, media_type in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
    ):
        response = client.get(f"/records/{wanted.record_id}.{suffix}")
        assert response.status_code == 200
        assert response["Content-Type"] == f"{media_type}; charset=utf-8"
        graphs.append(Graph().parse(data=response.content, format=PARSERS[media_type]))
    # then each is the same graph, of that one dataset with its identifier
    assert isomorphic(graphs[0], graphs[1])
    assert isomorphic(graphs[0], graphs[2])
    assert set(graphs[0].subjects(RDF.type, DCAT.Dataset)) == {dataset_uri(wanted)}
    assert (dataset_uri(wanted), DCTERMS.identifier, Literal(wanted.record_id)) in (
        graphs[0]
    )
    assert dataset_uri(other) not in set(graphs[0].subjects())


def test_a_federated_dataset_has_a_file_too(client):
    # given a dataset received from another hub
    stored = federated("dataset", origin="be")
    # when its file is fetched
    response = client.get(f"/records/{stored.record_id}.ttl")
    # then it describes the dataset
    graph = Graph().parse(data=response.content, format="turtle")
    assert set(graph.subjects(RDF.type, DCAT.Dataset)) == {dataset_uri(stored)}


@pytest.mark.parametrize("kind", ["organisation", "project"])
def test_other_kinds_and_unknown_ids_are_not_found(client, kind):
    # given a record that is not a dataset
    (stored,) = own_records(kind, 1)
    # when its DCAT file, or one of an id never seen, is asked for
    responses = [
        client.get(f"/records/{stored.record_id}.ttl"),
        client.get("/records/nl-nb:dataset:00000000-0000-4000-8000-000000000000.ttl"),
        client.get("/records/not-an-id.jsonld"),
    ]
    # then each is a plain 404 that says why
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert responses[0].content.decode() == (
        f"Not found: no dataset {stored.record_id!r} is held here.\n"
    )
