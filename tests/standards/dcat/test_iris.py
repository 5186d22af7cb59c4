"""A record's URL or e-mail with characters an IRI must not hold never breaks a
catalogue page: such IRIs are percent-encoded, or left out with a log line."""

from __future__ import annotations

import logging

import pytest
from rdflib import Graph, URIRef

from federation.models import StoredRecord
from standards.dcat.iris import iri_of, mailto_of
from tests.cms.catalogue import federated, own_records
from tests.standards.dcat.builders import DCAT, PARSERS, all_datasets, dataset_uri

pytestmark = pytest.mark.django_db

VCARD = "http://www.w3.org/2006/vcard/ns#"
FORMATS = ["/catalog.ttl", "/catalog.jsonld", "/catalog.rdf"]
HOSTILE = 'https://data.example.org/x{1}|y^z?q="a"'
HOSTILE_ENCODED = "https://data.example.org/x%7B1%7D%7Cy%5Ez?q=%22a%22"


@pytest.fixture
def hostile_catalogue() -> dict[str, StoredRecord]:
    """Well-behaved datasets, one federated and one own dataset whose URLs and
    e-mail pass the record schema but hold ``{ } | ^ "``, and one whose stored
    body holds what the schema refuses (spaces, ``<>``, a backslash, a
    relative access URL), as an older hub version may have stored it."""
    plain = [*own_records("dataset", 2), federated("dataset", origin="be")]
    contact = {"name": "Desk", "email": 'a{b}|c^"d"@example.org', "url": HOSTILE}
    distribution = {"accessUrl": HOSTILE, "downloadUrl": HOSTILE, "format": "CSV"}
    federated_bad = federated(
        "dataset",
        origin="nl",
        full=True,
        contact=contact,
        distributions=[distribution],
    )
    own_bad = own_records("dataset", 1, contact=contact, distributions=[distribution])[
        0
    ]
    StoredRecord.objects.filter(pk=own_bad.pk).update(url=HOSTILE)
    raw = federated("dataset", origin="de", full=True)
    body = {
        **raw.body,
        "contact": {"email": "a b<c>@example.org", "url": "https://x.org/a b\\c"},
        "distributions": [
            {"accessUrl": "not a url", "downloadUrl": "https://x.org/<d>"},
            {"accessUrl": "https://x.org/ok", "mediaType": "text/c sv"},
        ],
        "licence": "CC BY {4}",
    }
    StoredRecord.objects.filter(pk=raw.pk).update(body=body, url="https://x.org/`l`")
    return {
        **{stored.record_id: stored for stored in plain},
        "federated_bad": federated_bad,
        "own_bad": own_bad,
        "raw": raw,
    }


@pytest.mark.parametrize("path", FORMATS)
def test_a_page_with_hostile_iris_is_served_whole(client, hostile_catalogue, path):
    # when the catalogue is fetched
    response = client.get(path)
    # then it is served and parses, with every dataset in it
    assert response.status_code == 200, response.content[:500]
    media_type = response["Content-Type"].split(";")[0]
    graph = Graph().parse(data=response.content, format=PARSERS[media_type])
    assert all_datasets(graph) == {
        dataset_uri(stored) for stored in hostile_catalogue.values()
    }
    # and the hostile IRIs are percent-encoded, not dropped
    encoded = URIRef(HOSTILE_ENCODED)
    for name in ("federated_bad", "own_bad"):
        dataset = dataset_uri(hostile_catalogue[name])
        contact = graph.value(dataset, DCAT.contactPoint)
        assert graph.value(contact, URIRef(f"{VCARD}hasURL")) == encoded
        assert graph.value(contact, URIRef(f"{VCARD}hasEmail")) == URIRef(
            "mailto:a%7Bb%7D%7Cc%5E%22d%22@example.org"
        )
        distribution = graph.value(dataset, DCAT.distribution)
        assert graph.value(distribution, DCAT.accessURL) == encoded
        assert graph.value(distribution, DCAT.downloadURL) == encoded
    assert graph.value(dataset_uri(hostile_catalogue["own_bad"]), DCAT.landingPage) == (
        encoded
    )
    # and of the raw record, the relative access URL's distribution is left out
    raw = dataset_uri(hostile_catalogue["raw"])
    assert [
        graph.value(item, DCAT.accessURL)
        for item in graph.objects(raw, DCAT.distribution)
    ] == [URIRef("https://x.org/ok")]
    assert graph.value(raw, DCAT.landingPage) == URIRef("https://x.org/%60l%60")


def test_iris_are_encoded_or_dropped_with_a_log_line(caplog):
    # given text from records
    # when it becomes IRIs
    with caplog.at_level(logging.WARNING, logger="standards.dcat.iris"):
        encoded = iri_of("https://x.org/a b|c%zz%41", record_id="nl:x", field="url")
        email = mailto_of("a{b}@example.org", record_id="nl:x")
        relative = iri_of("/records/1", record_id="nl:x", field="accessUrl")
        empty = iri_of("  ", record_id="nl:x", field="url")
    # then forbidden characters and lone percent signs are encoded, valid
    # escapes kept, and what has no scheme is dropped with the reason
    assert encoded == URIRef("https://x.org/a%20b%7Cc%25zz%41")
    assert email == URIRef("mailto:a%7Bb%7D@example.org")
    assert (relative, empty) == (None, None)
    assert [record.getMessage() for record in caplog.records] == [
        "DCAT: accessUrl of record nl:x is no absolute IRI, left out: '/records/1'"
    ]
