"""Private pages (Wagtail view restrictions: password, login, groups) never
reach the catalogue, the record API or the peer feed; making a published page
private withdraws its record, making it public again republishes it."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from cms.models import ProjectPage
from federation.models import StoredRecord
from federation.selectors import record_get
from federation.wire import CHANGES_QUERY
from tests.cms.factories import index_page, project_page, record_page
from tests.federation.factories import graphql_post, neighbour_with_token

pytestmark = pytest.mark.django_db


def _restrict(page: Page, kind: str = PageViewRestriction.PASSWORD) -> Any:
    restriction = PageViewRestriction(
        page=Page.objects.get(pk=page.pk), restriction_type=kind, password="s3cret"
    )
    restriction.save()
    return restriction


def _api_ids(client: Any) -> set[str]:
    response = client.get("/api/v1/records/", {"include_deleted": "true"})
    assert response.status_code == 200
    return {
        record["id"] for record in response.json()["results"] if not record["deleted"]
    }


def _feed(client: Any) -> dict[str, dict[str, Any]]:
    _neighbour, token = neighbour_with_token(slug="nl", role="parent")
    status, body = graphql_post(client, CHANGES_QUERY, {"first": 100}, token=token)
    assert status == 200, body
    assert "errors" not in body, body
    return {
        edge["wire"]["id"]: edge["wire"] for edge in body["data"]["changes"]["edges"]
    }


@pytest.mark.parametrize(
    "restriction",
    [
        PageViewRestriction.PASSWORD,
        PageViewRestriction.LOGIN,
        PageViewRestriction.GROUPS,
    ],
)
def test_a_private_page_published_writes_no_record(client, restriction):
    # given a draft project that is private
    page = project_page()
    _restrict(page, restriction)
    # when it is published
    ProjectPage.objects.get(pk=page.pk).save_revision().publish()
    # then the catalogue holds nothing: no record, so none in the API or the feed
    assert StoredRecord.objects.count() == 0
    assert _api_ids(client) == set()
    assert _feed(client) == {}


def test_making_a_published_page_private_withdraws_its_record(client):
    # given a published project, in the API and the feed
    page = project_page(publish=True)
    record_id = page.record_id
    assert _api_ids(client) == {record_id}
    # when a password restriction is added to it
    _restrict(page)
    # then its record is a tombstone with the next version
    record = record_get(record_id=record_id)
    assert (record.version, record.deleted, record.body) == (2, True, None)
    # and the API lists no live record, the feed carries only the tombstone
    assert _api_ids(client) == set()
    wire = _feed(client)[record_id]
    assert (wire["version"], wire["deleted"], wire["body"]) == (2, True, None)


def test_a_restriction_on_the_index_page_withdraws_every_child():
    # given two published projects under the project index
    first = project_page(publish=True)
    second = project_page(publish=True, title="Afvalroute", slug="afvalroute")
    # when the index page is restricted to a group
    restriction = _restrict(index_page("project"), PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="insiders"))
    # then both records are tombstones
    for page in (first, second):
        record = record_get(record_id=page.record_id)
        assert (record.version, record.deleted) == (2, True)
    # and a child published later under the private index stays out
    ProjectPage.objects.get(pk=first.pk).save_revision().publish()
    assert record_get(record_id=first.record_id).version == 2
    dataset = record_page("dataset", publish=True)
    assert record_get(record_id=dataset.record_id).deleted is False


def test_removing_the_restriction_publishes_the_record_again(client):
    # given a published project made private
    page = project_page(publish=True)
    restriction = _restrict(page)
    assert record_get(record_id=page.record_id).deleted is True
    # when the restriction is removed
    restriction.delete()
    # then the record is live again with the next version, in the API too
    record = record_get(record_id=page.record_id)
    assert (record.version, record.deleted) == (3, False)
    assert record.body["name"] == "Parkeerscan"
    assert _api_ids(client) == {page.record_id}


def test_editing_a_restriction_keeps_the_tombstone():
    # given a private project, withdrawn
    page = project_page(publish=True)
    restriction = _restrict(page)
    # when the restriction changes kind
    restriction.restriction_type = PageViewRestriction.LOGIN
    restriction.save()
    # then nothing new is written: still the same tombstone
    record = record_get(record_id=page.record_id)
    assert (record.version, record.deleted) == (2, True)


def test_deleting_a_private_page_does_not_revive_its_record():
    # given a published project made private
    page = project_page(publish=True)
    _restrict(page)
    # when the page is deleted (its restriction goes with it)
    Page.objects.get(pk=page.pk).specific.delete()
    # then the record stays a tombstone, no new version
    record = record_get(record_id=page.record_id)
    assert (record.version, record.deleted) == (2, True)
