"""What the catalogue says: datasets with their DCAT-AP properties, sub-catalogues
per origin hub, the projects using a dataset, what it leaves out, and what a page
costs in queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from federation.services.store import record_tombstone
from hubs.identity import hub_identity
from tests.cms.catalogue import federated, own_records
from tests.federation.factories import body_full, stored_record
from tests.hubs.factories import NeighbourFactory
from tests.standards.dcat.builders import (
    BASE,
    CATALOGUE,
    DCAT,
    XSD,
    all_datasets,
    catalogue_get,
    dataset_uri,
    members,
    part_uri,
    parts,
)

pytestmark = pytest.mark.django_db

EU = "http://publications.europa.eu/resource/authority"
ADMS = "http://www.w3.org/ns/adms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
PROV_ATTRIBUTED = URIRef("http://www.w3.org/ns/prov#wasAttributedTo")


def test_a_rich_dataset_carries_every_property_its_record_holds(client):
    # given a federated dataset with every field filled in, used by a project
    stored = federated("dataset", origin="nl", full=True)
    project = federated("project", origin="nl", datasets=[stored.record_id])
    page = f"{BASE}/records/{stored.record_id}/"
    # when the catalogue is fetched
    graph = catalogue_get(client)
    # then the dataset says all of it, with controlled-vocabulary URIs
    dataset = dataset_uri(stored)
    assert set(graph.predicate_objects(dataset)) == {
        (RDF.type, DCAT.Dataset),
        (DCTERMS.identifier, Literal(stored.record_id)),
        (URIRef(f"{ADMS}identifier"), URIRef(f"{page}#identifier")),
        (DCTERMS.title, Literal("Parkeervergunningen", lang="nl")),
        (DCTERMS.description, Literal("All permits.", lang="nl")),
        (DCTERMS.publisher, URIRef(f"{page}#publisher")),
        (DCAT.contactPoint, URIRef(f"{page}#contact")),
        (DCTERMS.source, URIRef("https://data.example.nl/dataset/parkeervergunningen")),
        (DCAT.keyword, Literal("parking", lang="nl")),
        (DCAT.theme, URIRef(f"{EU}/data-theme/TRAN")),
        (DCTERMS.accessRights, URIRef(f"{EU}/access-right/RESTRICTED")),
        (DCTERMS.spatial, URIRef("http://data.europa.eu/nuts/code/NL414")),
        (DCTERMS.spatial, URIRef(f"{EU}/country/NLD")),
        (DCTERMS.spatial, URIRef(f"{page}#location")),
        (DCTERMS.temporal, URIRef(f"{page}#temporal")),
        (DCTERMS.accrualPeriodicity, URIRef(f"{EU}/frequency/MONTHLY")),
        (DCAT.distribution, URIRef(f"{page}#distribution-1")),
        (DCTERMS.language, URIRef(f"{EU}/language/NLD")),
        (DCTERMS.modified, Literal("2026-11-01T10:00:00+00:00", datatype=XSD.dateTime)),
        (PROV_ATTRIBUTED, URIRef(f"{CATALOGUE}#agent-nl")),
        (DCTERMS.issued, Literal("2026-11-01T10:00:00+00:00", datatype=XSD.dateTime)),
        (DCAT.landingPage, URIRef("https://nl.example.org/r/1")),
        (DCTERMS.isReferencedBy, URIRef(f"{BASE}/records/{project.record_id}/")),
    }  # fmt: skip
    distribution = URIRef(f"{page}#distribution-1")
    assert set(graph.predicate_objects(distribution)) == {
        (RDF.type, DCAT.Distribution),
        (DCAT.accessURL, URIRef("https://example.org/data")),
        (DCAT.downloadURL, URIRef("https://example.org/data.csv")),
        (DCTERMS.format, URIRef(f"{EU}/file-type/CSV")),
        (DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/text/csv")),
        (DCAT.byteSize, Literal(5_000_000_000, datatype=XSD.nonNegativeInteger)),
        (DCTERMS.license, URIRef(f"{EU}/licence/CC_BY_4_0")),
    }  # fmt: skip
    assert set(graph.predicate_objects(URIRef(f"{page}#contact"))) == {
        (RDF.type, URIRef(f"{VCARD}Kind")),
        (URIRef(f"{VCARD}fn"), Literal("Data desk")),
        (URIRef(f"{VCARD}hasEmail"), URIRef("mailto:data@example.org")),
        (URIRef(f"{VCARD}hasURL"), URIRef("https://example.org/data-desk")),
    }
    assert set(graph.predicate_objects(URIRef(f"{page}#temporal"))) == {
        (RDF.type, DCTERMS.PeriodOfTime),
        (DCAT.startDate, Literal(dt.date(2020, 1, 1), datatype=XSD.date)),
        (DCAT.endDate, Literal(dt.date(2025, 12, 31), datatype=XSD.date)),
    }
    assert graph.value(URIRef(f"{page}#publisher"), FOAF.name) == Literal(
        "Gemeente 's-Hertogenbosch"
    )
    # and the things it points to are typed as the DCAT-AP shapes expect
    for uri, kind in [
        (f"{EU}/data-theme/TRAN", SKOS.Concept),
        (f"{EU}/access-right/RESTRICTED", DCTERMS.RightsStatement),
        (f"{EU}/frequency/MONTHLY", DCTERMS.Frequency),
        (f"{EU}/language/NLD", DCTERMS.LinguisticSystem),
        (f"{EU}/country/NLD", DCTERMS.Location),
        ("http://data.europa.eu/nuts/code/NL414", DCTERMS.Location),
        (f"{EU}/file-type/CSV", DCTERMS.MediaTypeOrExtent),
        ("https://www.iana.org/assignments/media-types/text/csv", DCTERMS.MediaType),
        (f"{EU}/licence/CC_BY_4_0", DCTERMS.LicenseDocument),
        ("https://nl.example.org/r/1", FOAF.Document),
    ]:
        assert (URIRef(uri), RDF.type, kind) in graph, uri
    assert graph.value(URIRef(f"{EU}/data-theme/TRAN"), SKOS.prefLabel) == Literal(
        "Transport", lang="en"
    )


def test_a_minimal_dataset_gets_a_description_and_no_empty_values(client):
    # given an own dataset with only the required fields and no description
    stored = own_records("dataset", 1)[0]
    # when the catalogue is fetched
    graph = catalogue_get(client)
    # then its description is a sentence from title and publisher, in English
    dataset = dataset_uri(stored)
    assert graph.value(dataset, DCTERMS.description) == Literal(
        "Dataset “Parkeervergunningen”, published by Gemeente 's-Hertogenbosch.",
        lang="en",
    )
    # and no empty literal appears anywhere
    assert [o for o in graph.objects() if isinstance(o, Literal) and not str(o)] == []
    # and what the record does not hold is left out
    for absent in (DCAT.distribution, DCAT.contactPoint, DCTERMS.temporal):
        assert graph.value(dataset, absent) is None


def test_html_in_a_description_becomes_plain_text(client):
    # given a dataset whose description is rich text
    stored = federated(
        "dataset",
        description="<p>All <strong>permits</strong> &amp; fines.</p>"
        "<ul><li>since 2020</li></ul>",
    )
    # when the catalogue is fetched
    graph = catalogue_get(client)
    # then the description is its text without markup
    assert graph.value(dataset_uri(stored), DCTERMS.description) == Literal(
        "All permits & fines. since 2020", lang="nl"
    )


def test_federated_datasets_sit_in_a_sub_catalogue_per_origin_hub(client):
    # given own datasets, and federated ones from nl (a known neighbour) and be
    NeighbourFactory(
        slug="nl", name="AI Hub Nederland", endpoint_url="https://nl.example.org"
    )
    own = own_records("dataset", 2)
    from_nl = [federated("dataset", origin="nl") for _ in range(2)]
    from_be = [federated("dataset", origin="be")]
    # when the catalogue is fetched
    graph = catalogue_get(client)
    # then the hub's catalogue lists its own and has one part per origin hub
    assert members(graph) == {dataset_uri(s) for s in own}
    assert parts(graph) == {part_uri("nl"), part_uri("be")}
    # and each part lists exactly the datasets of its origin
    assert members(graph, part_uri("nl")) == {dataset_uri(s) for s in from_nl}
    assert members(graph, part_uri("be")) == {dataset_uri(s) for s in from_be}
    # and each part is a catalogue with a title, a description and a publisher
    for origin, name in [("nl", "AI Hub Nederland"), ("be", "hub be")]:
        part = part_uri(origin)
        assert (part, RDF.type, DCAT.Catalog) in graph
        assert (part, DCTERMS.isPartOf, CATALOGUE) in graph
        assert str(graph.value(part, DCTERMS.title)) == f"Datasets of {name}"
        assert graph.value(part, DCTERMS.description) is not None
        publisher = graph.value(part, DCTERMS.publisher)
        assert (publisher, RDF.type, FOAF.Agent) in graph
        assert str(graph.value(publisher, FOAF.name)) == name
    assert graph.value(part_uri("nl"), FOAF.homepage) == URIRef(
        "https://nl.example.org"
    )


def test_a_page_has_only_the_sub_catalogues_of_its_datasets(client):
    # given one dataset from be and one from nl (be sorts first)
    from_be = federated("dataset", origin="be")
    federated("dataset", origin="nl")
    # when the first page of one is fetched
    graph = catalogue_get(client, page_size=1)
    # then it has the part of be only
    assert parts(graph) == {part_uri("be")}
    assert all_datasets(graph) == {dataset_uri(from_be)}


def test_withdrawn_datasets_and_projects_are_left_out(client):
    # given live and withdrawn datasets, own and federated, and a withdrawn project
    live, withdrawn = own_records("dataset", 2)
    record_tombstone(record_id=withdrawn.record_id)
    gone = federated("dataset", origin="nl")
    stored_record(
        kind="dataset", origin="nl", record_id=gone.record_id, version=2, deleted=True
    )
    project = own_records("project", 1, datasets=[live.record_id])[0]
    record_tombstone(record_id=project.record_id)
    # when the catalogue is fetched
    graph = catalogue_get(client)
    # then only the live dataset is in it, counted alone, and no project cites it
    assert all_datasets(graph) == {dataset_uri(live)}
    assert parts(graph) == set()
    total = graph.value(CATALOGUE, URIRef("http://www.w3.org/ns/hydra/core#totalItems"))
    assert total.toPython() == 1
    assert graph.value(dataset_uri(live), DCTERMS.isReferencedBy) is None


def test_projects_that_use_a_dataset_are_linked_from_it(client):
    # given two datasets, one used by two projects (own and federated)
    used, unused = own_records("dataset", 2)
    by_own = own_records("project", 1, datasets=[used.record_id])[0]
    by_peer = federated("project", origin="nl", datasets=[used.record_id])
    own_records("project", 1)
    # when the catalogue is fetched
    graph = catalogue_get(client)
    # then the used one is referenced by exactly those projects' pages
    assert set(graph.objects(dataset_uri(used), DCTERMS.isReferencedBy)) == {
        URIRef(f"{BASE}/records/{by_own.record_id}/"),
        URIRef(f"{BASE}/records/{by_peer.record_id}/"),
    }
    assert graph.value(dataset_uri(unused), DCTERMS.isReferencedBy) is None
    reference = URIRef(f"{BASE}/records/{by_peer.record_id}/")
    assert str(graph.value(reference, DCTERMS.identifier)) == by_peer.record_id
    assert str(graph.value(reference, DCTERMS.title)) == "Parkeerscan"


def test_a_free_theme_becomes_a_keyword(client):
    # given a dataset with an EU data theme and a free theme
    stored = federated("dataset", themes=["ENVI", "smart city"])
    # when the catalogue is fetched
    graph = catalogue_get(client)
    # then the EU theme is a dcat:theme and the free one a keyword
    dataset = dataset_uri(stored)
    assert set(graph.objects(dataset, DCAT.theme)) == {URIRef(f"{EU}/data-theme/ENVI")}
    assert set(graph.objects(dataset, DCAT.keyword)) == {
        Literal("smart city", lang="nl")
    }


def _catalogue(count: int) -> None:
    records = own_records("dataset", count // 2, **body_full("dataset"))
    records += [federated("dataset", origin=f"hub-{n % 3}") for n in range(count // 2)]
    for stored in records[::2]:
        own_records("project", 1, datasets=[stored.record_id])


def _queries_of_a_page(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/catalog.ttl").status_code == 200
    return len(queries)


def test_a_page_costs_the_same_queries_for_few_or_many_datasets(client):
    # given a catalogue of 6 datasets, the page's queries counted
    _catalogue(6)
    few = _queries_of_a_page(client)
    # when it grows to 50 (with more origins and projects)
    _catalogue(44)
    many = _queries_of_a_page(client)
    # then a page still takes the same, small number of queries
    assert few == many == 5


def test_datasets_are_attributed_to_their_origin_hub_with_prov_o(client):
    # given an own dataset (signed by this hub) and an unsigned federated one
    (own,) = own_records("dataset", 1)
    other = federated("dataset", origin="nl")
    # when the catalogue is fetched
    graph = catalogue_get(client)
    # then each is attributed to its origin hub's agent
    prov = "http://www.w3.org/ns/prov#"
    attributed = URIRef(f"{prov}wasAttributedTo")
    generated = URIRef(f"{prov}wasGeneratedBy")
    hub_agent = URIRef(f"{CATALOGUE}#agent-{hub_identity().slug}")
    assert graph.value(dataset_uri(own), attributed) == hub_agent
    assert graph.value(dataset_uri(other), attributed) == URIRef(
        f"{CATALOGUE}#agent-nl"
    )
    # and the signed version was generated by the origin's publication of it
    activity = graph.value(dataset_uri(own), generated)
    assert activity == URIRef(f"{dataset_uri(own)}-publication-v1")
    assert (activity, RDF.type, URIRef(f"{prov}Activity")) in graph
    assert graph.value(activity, URIRef(f"{prov}wasAssociatedWith")) == hub_agent
    assert graph.value(dataset_uri(other), generated) is None
