"""A record page in wire form (cms.wire) is the record publishing writes: the
detail page of an own page and the catalogue show the same record."""

import pytest

from cms.wire import page_record_url, page_wire
from federation.models import StoredRecord
from federation.selectors import record_wire
from hubs.identity import hub_identity
from tests.cms.factories import record_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["project", "dataset", "course", "organisation"])
def test_a_published_page_reads_as_the_record_in_the_catalogue(kind):
    # given a published record page of each kind
    page = record_page(kind, publish=True)
    stored = StoredRecord.objects.get(record_id=page.record_id)
    # when the page is read in wire form
    wire = page_wire(page)
    # then its envelope is the catalogue record's but for the version it does
    # not know, and its body holds what the stored body holds (the store fills
    # the schema's defaults: empty lists)
    held = record_wire(stored)
    envelope = ("id", "kind", "origin", "originPath", "originLevel", "deleted")
    envelope += ("language", "url", "schemaVersion")
    assert {key: wire[key] for key in envelope} == {key: held[key] for key in envelope}
    assert wire["version"] is None
    assert wire["body"] == {
        key: value for key, value in held["body"].items() if key in wire["body"]
    }
    assert {key for key, value in held["body"].items() if value} <= set(wire["body"])


def test_the_canonical_url_is_the_public_url_and_the_page_path():
    # given a published page (the Wagtail site's host is not the public one)
    page = record_page("course", publish=True)
    # then its canonical URL is the hub's public URL with the page's path
    url = page_record_url(page)
    assert url == f"{hub_identity().public_url}{page.get_url_parts()[2]}"
    assert url.endswith(f"/{page.slug}/")


def test_a_draft_has_no_record_id_and_no_version_yet():
    # given a page never published
    page = record_page("project")
    # then its wire form has no id and no version, and says it is this hub's
    wire = page_wire(page)
    assert (wire["id"], wire["version"], wire["deleted"]) == (None, None, False)
    assert wire["origin"] == hub_identity().slug
    assert wire["originPath"] == list(hub_identity().path)
