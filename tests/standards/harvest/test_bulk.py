"""New datasets of a source page are created in bulk (``cms.page_bulk``): the
tree stays valid and each page looks as the one-page path would leave it."""

import datetime as dt

import pytest
from wagtail.models import Page, PageLogEntry, Revision

from cms.models import DatasetIndexPage, DatasetPage
from cms.page_bulk import _serializable_data
from federation.models import StoredRecord
from standards.harvest.items import Item
from standards.harvest.pages import dataset_page_write, dataset_pages_create
from standards.harvest.services import harvest_run, harvest_source_add
from tests.standards.harvest.server import synthetic_dataset

pytestmark = pytest.mark.django_db


def _shape(page: DatasetPage) -> dict:
    """What a page's tree position, state, revision, log and record look like,
    without its own values (ids, slug, times)."""
    revision = page.latest_revision
    return {
        "depth": page.depth,
        "live": page.live,
        "has_unpublished_changes": page.has_unpublished_changes,
        "draft_title": page.draft_title == page.title,
        "url_path": page.url_path == f"/home/datasets/{page.slug}/",
        "published_at": page.first_published_at is not None,
        "live_revision": page.live_revision_id == revision.pk,
        "revisions": page.revisions.count(),
        "revision_title": revision.as_object().title == page.title,
        "locale": page.locale_id == page.get_parent().locale_id,
        "log": sorted(
            PageLogEntry.objects.filter(page=page).values_list("action", flat=True)
        ),
        "record": StoredRecord.objects.filter(
            record_id=page.record_id, deleted=False
        ).count(),
    }


def test_bulk_harvest_keeps_the_tree_valid_and_pages_as_one_by_one(portal, hub):
    # Given a page made one by one, and a source of five datasets on one page,
    # one of them titled as the existing page
    single = Item("single", _data("Dataset 2"))
    _outcome, single_id, _note = dataset_page_write(
        item=single, page_id=None, publish=True
    )
    portal.per_page = 10
    portal.datasets = [synthetic_dataset(n) for n in range(1, 6)]
    source = harvest_source_add(
        name="portal", url=portal.url("/catalog"), kind="dcat", publish=True
    )

    # When it is harvested
    run = harvest_run(source_id=source.pk, owner="w1")

    # Then Wagtail's tree check finds nothing wrong, the parent counts six
    # children, the same title got the next free slug, and every bulk page is
    # shaped as the one made one by one
    assert (run.status, run.created, run.refused) == ("done", 5, 0)
    assert Page.find_problems() == ([], [], [], [], [])
    index = DatasetIndexPage.objects.get()
    assert index.numchild == index.get_children().count() == 6
    pages = DatasetPage.objects.child_of(index).order_by("path")
    assert [page.slug for page in pages] == [
        "dataset-2",
        "dataset-1",
        "dataset-2-2",
        "dataset-3",
        "dataset-4",
        "dataset-5",
    ]
    expected = _shape(DatasetPage.objects.get(pk=single_id))
    assert expected["log"] == ["wagtail.create", "wagtail.edit", "wagtail.publish"]
    assert expected["record"] == 1
    for page in pages[1:]:
        assert _shape(page) == expected, page.slug
    bulk = DatasetPage.objects.get(title="Dataset 3")
    assert [d.access_url for d in bulk.distributions.all()] == [
        "https://portal.example.org/files/3.csv"
    ]
    assert bulk.get_latest_revision_as_object().distributions.count() == 1

    # When a child is added the one-page way after the bulk
    last_path = pages.last().path
    later = Item("later", _data("Later"))
    _outcome, later_id, _note = dataset_page_write(
        item=later, page_id=None, publish=True
    )

    # Then it takes the next path and the tree is still valid
    assert DatasetPage.objects.get(pk=later_id).path > last_path
    assert Page.find_problems() == ([], [], [], [], [])


def test_bulk_harvest_as_drafts(portal, hub):
    # Given a source whose pages wait for review
    portal.per_page = 10
    portal.datasets = [synthetic_dataset(n) for n in range(1, 4)]
    source = harvest_source_add(name="drafts", url=portal.url("/catalog"), kind="dcat")

    # When it is harvested
    run = harvest_run(source_id=source.pk, owner="w1")

    # Then they are drafts with one revision and an edit log entry, no records
    assert (run.created, run.refused) == (3, 0)
    assert Page.find_problems() == ([], [], [], [], [])
    for page in DatasetPage.objects.all():
        assert (page.live, page.has_unpublished_changes, page.live_revision) == (
            False,
            True,
            None,
        )
        assert page.revisions.count() == 1
        assert sorted(
            PageLogEntry.objects.filter(page=page).values_list("action", flat=True)
        ) == ["wagtail.create", "wagtail.edit"]
    assert StoredRecord.objects.filter(kind="dataset").count() == 0


@pytest.mark.parametrize("publish", [True, False])
def test_bulk_pages_write_the_rows_the_one_page_path_writes(hub, publish):
    # Given the same dataset, with markup the page's cleaning changes, written
    # once the one-page way and once in bulk
    data = {
        **_data("Same"),
        "description": "<p>Text <u>under</u> <b>bold</b></p>",
        "keywords": ["traffic", "roads"],
        "themes": ["TRAN"],
        "licence": "CC-BY-4.0",
        "temporal_start": "2020-01-01",
        "distributions": [
            {
                "access_url": "https://portal.example.org/a.csv",
                "download_url": "",
                "file_format": "CSV",
                "media_type": "text/csv",
                "byte_size": 12,
            },
            {
                "access_url": "https://portal.example.org/a.json",
                "download_url": "",
                "file_format": "JSON",
                "media_type": "application/json",
                "byte_size": 30,
            },
        ],
        "harvested_from": "https://portal.example.org/dataset/1",
    }
    _outcome, single_id, _note = dataset_page_write(
        item=Item("one", data), page_id=None, publish=publish
    )
    [(_item, bulk_id)], rest = dataset_pages_create(
        items=[Item("bulk", data)], publish=publish
    )

    # Then the page, its revision, its distributions, its log entries and its
    # record hold the same values but for ids, paths, slugs and times
    assert rest == []
    assert _written(bulk_id) == _written(single_id)
    # and the distributions keep their place in the source
    distributions = _written(bulk_id)["distributions"]
    assert [(row["sort_order"], row["file_format"]) for row in distributions] == [
        (0, "CSV"),
        (1, "JSON"),
    ]


def test_bulk_revision_content_is_wagtails_serialisation(hub):
    # Given a page written in bulk, with dates, codes, markup and distributions
    data = {
        **_data("Serialised"),
        "description": "<p>Text <b>bold</b></p>",
        "themes": ["TRAN"],
        "temporal_start": "2020-01-01",
        "distributions": [
            {
                "access_url": "https://portal.example.org/a.csv",
                "download_url": "",
                "file_format": "CSV",
                "media_type": "text/csv",
                "byte_size": 12,
            }
        ],
    }
    [(_item, page_id)], _rest = dataset_pages_create(
        items=[Item("bulk", data)], publish=True
    )
    page = DatasetPage.objects.get(pk=page_id)

    # When its content is serialised the bulk way, then it is Wagtail's own
    assert _serializable_data(page) == page.serializable_data()
    assert _serializable_data(page)["temporal_start"] == dt.date(2020, 1, 1)


# When: compared as given or not.
_TIMES = {
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "created_at",
    "timestamp",
    "updated_at",
    "stored_at",
}
# What differs between two pages of the same content: identity, tree place.
_OWN = {
    "id",
    "pk",
    "page_ptr",
    "page_ptr_id",
    "page",
    "path",
    "slug",
    "url_path",
    "translation_key",
    "record_id",
    "latest_revision",
    "latest_revision_id",
    "live_revision",
    "live_revision_id",
    "object_id",
    "revision_id",
    "page_id",
    "uuid",
    "seq",
    "signature",
    "content_hash",
    "url",
}


def _without_own(values):
    if isinstance(values, dict):
        return {
            key: (value is not None) if key in _TIMES else _without_own(value)
            for key, value in values.items()
            if key not in _OWN
        }
    if isinstance(values, list):
        return [_without_own(value) for value in values]
    return values


def _written(page_id: int) -> dict:
    page = DatasetPage.objects.get(pk=page_id)
    revision = page.latest_revision
    record = StoredRecord.objects.filter(record_id=page.record_id).values().first()
    return _without_own(
        {
            "page": DatasetPage.objects.filter(pk=page_id).values().get(),
            "revision": {
                **Revision.objects.filter(pk=revision.pk).values().get(),
                "is_live": page.live_revision_id == revision.pk,
            },
            "distributions": list(page.distributions.values()),
            "log": [
                {**entry, "on_revision": entry["revision_id"] == revision.pk}
                for entry in PageLogEntry.objects.filter(page=page)
                .order_by("pk")
                .values()
            ],
            "record": record
            and {**record, "url": record["url"].endswith(f"/{page.slug}/")},
        }
    )


def _data(title: str) -> dict:
    return {
        "title": title,
        "description": "<p>Text.</p>",
        "publisher": "Test portal",
        "keywords": [],
        "themes": [],
        "licence": "",
        "access_rights": "public",
        "temporal_start": None,
        "temporal_end": None,
        "frequency": "",
        "country": "",
        "nuts_codes": [],
        "language": "",
        "contact_url": "",
        "distributions": [],
        "harvested_from": "",
    }
