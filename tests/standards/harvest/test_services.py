"""Harvest runs: created, unchanged on a re-run, updated, withdrawn, and the
shrink guard."""

import json
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from cms.models import DatasetPage, ProjectPage
from federation.models import ChangeSequence, StoredRecord
from hubs.identity import hub_identity
from standards.harvest.models import HarvestItem, HarvestRunStatus
from standards.harvest.services import harvest_run, harvest_source_add
from tests.cms.factories import record_page
from tests.standards.dcat.builders import all_datasets, catalogue_get
from tests.standards.harvest.server import (
    Portal,
    sample_datasets,
    sample_package,
    synthetic_dataset,
)

REGISTER_FILE = (
    Path(__file__).resolve().parents[1]
    / "algoritmeregister"
    / "data"
    / "algoritmeregister_entries_nl.json"
)
pytestmark = pytest.mark.django_db
OTHER_HUB = "https://other-hub.example.org"


def _sequence() -> int:
    return ChangeSequence.objects.get().value if ChangeSequence.objects.exists() else 0


def _live_titles() -> list[str]:
    return sorted(DatasetPage.objects.live().values_list("title", flat=True))


def test_dcat_source_pages_creates_then_rerun_writes_nothing(portal: Portal, hub):
    # Given a paged catalogue of five datasets (two per page), published at once
    portal.datasets = [synthetic_dataset(n) for n in range(1, 6)]
    source = harvest_source_add(
        name="portal", url=portal.url("/catalog"), kind="dcat", publish=True
    )

    # When it is harvested
    run = harvest_run(source_id=source.pk, owner="w1")

    # Then every dataset is a live page with a record, over three pages
    assert (run.status, run.pages, run.created, run.refused) == ("done", 3, 5, 0)
    assert _live_titles() == [f"Dataset {n}" for n in range(1, 6)]
    assert StoredRecord.objects.filter(kind="dataset", deleted=False).count() == 5
    page = DatasetPage.objects.get(title="Dataset 3")
    assert (page.licence, page.themes, page.publisher) == (
        "CC-BY-4.0",
        ["TRAN"],
        "Test portal",
    )
    assert [d.access_url for d in page.distributions.all()] == [
        "https://portal.example.org/files/3.csv"
    ]

    # When it is harvested again, unchanged
    before = _sequence()
    again = harvest_run(source_id=source.pk, owner="w1")

    # Then nothing is written: the change sequence did not move
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert _sequence() == before


def test_dcat_source_edit_updates_and_removal_withdraws(portal: Portal, hub):
    # Given a harvested catalogue of four datasets
    portal.datasets = [synthetic_dataset(n) for n in range(1, 5)]
    source = harvest_source_add(
        name="portal", url=portal.url("/catalog"), kind="dcat", publish=True
    )
    harvest_run(source_id=source.pk, owner="w1")
    withdrawn_id = DatasetPage.objects.get(title="Dataset 4").record_id

    # When one is edited and one is removed at the source
    portal.datasets = [
        synthetic_dataset(1),
        synthetic_dataset(2, title="Dataset 2, revised"),
        synthetic_dataset(3),
    ]
    run = harvest_run(source_id=source.pk, owner="w1")

    # Then the edit is a new version and the removed one a tombstone
    assert (run.updated, run.unchanged, run.withdrawn) == (1, 2, 1)
    assert _live_titles() == ["Dataset 1", "Dataset 2, revised", "Dataset 3"]
    assert StoredRecord.objects.get(record_id=withdrawn_id).deleted is True
    assert HarvestItem.objects.filter(withdrawn=True).count() == 1


def test_much_smaller_source_is_held_until_confirmed(portal: Portal, hub):
    # Given a harvested catalogue of four datasets
    portal.datasets = [synthetic_dataset(n) for n in range(1, 5)]
    source = harvest_source_add(
        name="portal", url=portal.url("/catalog"), kind="dcat", publish=True
    )
    harvest_run(source_id=source.pk, owner="w1")

    # When the source lists only one of them
    portal.datasets = [synthetic_dataset(1)]
    held = harvest_run(source_id=source.pk, owner="w1")

    # Then the run is held, says why and withdraws nothing
    assert held.status == HarvestRunStatus.HELD
    assert "lists 1 of the 4 items" in held.reason
    assert len(_live_titles()) == 4

    # When an administrator confirms
    source.confirm_shrink = True
    source.save()
    confirmed = harvest_run(source_id=source.pk, owner="w1")

    # Then the three are withdrawn, and the confirmation is used up
    assert (confirmed.status, confirmed.withdrawn) == ("done", 3)
    assert _live_titles() == ["Dataset 1"]
    source.refresh_from_db()
    assert source.confirm_shrink is False


@pytest.mark.parametrize(
    ("name", "rdf_format", "media_type"),
    [
        ("catalog_datasets_list.rdf", "xml", "application/rdf+xml"),
        ("catalog_with_at_graph.jsonld", "json-ld", "application/ld+json"),
    ],
)
def test_real_samples_in_each_syntax(portal: Portal, hub, name, rdf_format, media_type):
    # Given a real sample served as RDF/XML or JSON-LD
    portal.datasets = sample_datasets(name, rdf_format)
    portal.rdf_format = (rdf_format, media_type)
    source = harvest_source_add(name="s", url=portal.url("/catalog"), kind="dcat")

    # When it is harvested (as drafts)
    run = harvest_run(source_id=source.pk, owner="w1")

    # Then each dataset is a draft page, none live, none refused
    assert (run.created, run.refused) == (len(portal.datasets), 0)
    assert DatasetPage.objects.count() == len(portal.datasets)
    assert not DatasetPage.objects.live().exists()


def test_jsonld_sample_keeps_publisher_and_licence(portal: Portal, hub):
    # Given the JSON-LD sample (a dataset without a publisher of its own: the
    # serving catalogue's is taken)
    portal.datasets = sample_datasets("catalog_with_at_graph.jsonld", "json-ld")
    portal.rdf_format = ("json-ld", "application/ld+json")
    source = harvest_source_add(name="s", url=portal.url("/catalog"), kind="dcat")

    # When it is harvested
    harvest_run(source_id=source.pk, owner="w1")

    # Then its title, licence (an opendefinition.org URI) and download are kept
    page = DatasetPage.objects.get()
    draft = page.get_latest_revision_as_object()
    assert (draft.title, draft.licence, draft.publisher) == (
        "Title dataset",
        "CC0-1.0",
        "Test portal",
    )
    assert [d.download_url for d in draft.distributions.all()] == [
        "http://example2.org/files/download.zip"
    ]


def test_ckan_source_is_incremental_and_withdraws_deleted(portal: Portal, hub):
    # Given a CKAN portal with three packages (the real sample, three ids)
    portal.packages = [
        sample_package(id=f"p{n}", metadata_modified=f"2024-01-0{n}T00:00:00")
        for n in (1, 2, 3)
    ]
    source = harvest_source_add(name="ckan", url=portal.base, kind="ckan", publish=True)
    first = harvest_run(source_id=source.pk, owner="w1")
    assert (first.full, first.created) == (True, 3)
    page = DatasetPage.objects.live().first()
    assert page.publisher == "ckan"  # no organisation: the source's name
    assert "exploration" in page.keywords

    # When one package changes and another is marked deleted
    portal.packages[1] = sample_package(
        id="p2", title="Changed", metadata_modified="2024-02-01T00:00:00"
    )
    portal.packages[2] = sample_package(
        id="p3", state="deleted", metadata_modified="2024-02-02T00:00:00"
    )
    portal.requests.clear()
    second = harvest_run(source_id=source.pk, owner="w1")

    # Then only what changed since the last run is asked for and written
    assert second.full is False
    assert "metadata_modified%3A%5B2024-01-03T00%3A00%3A00" in portal.requests[0]
    assert (second.updated, second.withdrawn) == (1, 1)
    assert sorted(DatasetPage.objects.live().values_list("title", flat=True)) == [
        "Changed",
        "Zimbabwe Regional Geochemical Survey.",
    ]


def test_register_source_reuses_the_register_import(portal: Portal, hub):
    # Given a URL serving the real register export
    portal.entries = json.loads(REGISTER_FILE.read_text(encoding="utf-8"))
    source = harvest_source_add(
        name="register", url=portal.url("/register.json"), kind="register"
    )

    # When it is harvested twice
    first = harvest_run(source_id=source.pk, owner="w1")
    second = harvest_run(source_id=source.pk, owner="w1")

    # Then its entries are draft project pages keyed as the import keys them,
    # and the re-run writes nothing
    assert first.created + first.refused == len(portal.entries)
    assert first.created == ProjectPage.objects.count() > 0
    assert all(page.register_key for page in ProjectPage.objects.all())
    assert (second.created, second.updated, second.unchanged) == (
        0,
        0,
        first.created,
    )


def test_register_entries_wait_for_the_ai_act_class_when_published(portal, hub):
    # Given a register source published at once
    portal.entries = json.loads(REGISTER_FILE.read_text(encoding="utf-8"))[:2]
    source = harvest_source_add(
        name="register",
        url=portal.url("/register.json"),
        kind="register",
        publish=True,
    )

    # When it is harvested
    run = harvest_run(source_id=source.pk, owner="w1")

    # Then the entries are drafts, each with the note saying what waits
    assert (run.created, run.refused) == (2, 0)
    assert not ProjectPage.objects.live().exists()
    assert [line["reason"] for line in run.lines] == [
        "kept as a draft: Confirm the AI Act class. The self-check suggests "
        "“Minimal risk”."
    ] * 2


@pytest.fixture
def other_hub(settings):
    """This hub answers as OTHER_HUB, so its catalogue can be served as another's."""
    settings.HUB_PUBLIC_URL = OTHER_HUB
    hub_identity.cache_clear()
    yield
    hub_identity.cache_clear()


def test_hubnet_source_takes_in_another_hubs_catalogue(portal, hub, client, other_hub):
    # Given another hub's catalogue of three datasets, two per page, as its
    # /catalog.ttl serves them (rendered here, then served by the portal)
    portal.datasets = [synthetic_dataset(n) for n in range(1, 4)]
    first = harvest_source_add(
        name="portal", url=portal.url("/catalog"), kind="dcat", publish=True
    )
    harvest_run(source_id=first.pk, owner="w1")
    served = {
        number: client.get("/catalog.ttl", {"page": number, "page_size": 2})
        for number in (1, 2)
    }
    assert [response.status_code for response in served.values()] == [200, 200]
    pages = {
        str(number): response.content.replace(OTHER_HUB.encode(), portal.base.encode())
        for number, response in served.items()
    }
    portal.raw["/catalog.ttl"] = lambda query: (
        200,
        {"Content-Type": "text/turtle"},
        pages[query.get("page", ["1"])[0]],
    )
    portal.raw["/catalog"] = portal.raw["/catalog.ttl"]  # its next links
    source = harvest_source_add(
        name="other hub", url=portal.url("/catalog.ttl"), kind="hubnet", publish=True
    )

    # When it is harvested, twice
    run = harvest_run(source_id=source.pk, owner="w1")
    again = harvest_run(source_id=source.pk, owner="w1")

    # Then each dataset is a record of this hub, its values kept, over two
    # pages; the re-run writes nothing
    assert (run.status, run.pages, run.created, run.refused) == ("done", 2, 3, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    copies = DatasetPage.objects.filter(
        pk__in=source.items.values_list("page_id", flat=True)
    ).live()
    assert sorted(copies.values_list("title", flat=True)) == [
        "Dataset 1",
        "Dataset 2",
        "Dataset 3",
    ]
    copy = copies.get(title="Dataset 2")
    assert (copy.licence, copy.themes, copy.publisher) == (
        "CC-BY-4.0",
        ["TRAN"],
        "Test portal",
    )
    assert [d.access_url for d in copy.distributions.all()] == [
        "https://portal.example.org/files/2.csv"
    ]


def test_a_harvested_dataset_names_its_source_in_dcat_and_an_edited_one_does_not(
    portal, hub, client
):
    # Given a harvested dataset and one written in the editor
    portal.datasets = [synthetic_dataset(1)]
    source = harvest_source_add(
        name="portal", url=portal.url("/catalog"), kind="dcat", publish=True
    )
    assert harvest_run(source_id=source.pk, owner="w").created == 1
    edited = record_page("dataset", publish=True, title="Parkeren")
    harvested = DatasetPage.objects.get(title="Dataset 1")

    # When the hub's DCAT-AP catalogue is read
    graph = catalogue_get(client)

    # Then the harvested one has dct:source (its IRI at the portal); the other none
    sources = {
        str(graph.value(dataset, DCTERMS.identifier)): list(
            graph.objects(dataset, DCTERMS.source)
        )
        for dataset in all_datasets(graph)
    }
    assert sources == {
        harvested.record_id: [URIRef("https://portal.example.org/dataset/1")],
        edited.record_id: [],
    }
    stored = StoredRecord.objects.get(record_id=harvested.record_id)
    assert (stored.body["source"], stored.schema_version) == (
        "https://portal.example.org/dataset/1",
        4,
    )
