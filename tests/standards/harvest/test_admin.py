"""The harvest sources in the admin: hub administrators only, with last runs."""

import pytest
from django.urls import reverse

from standards.harvest.models import HarvestRun, HarvestSource
from tests.cms.factories import logged_in, user_in

pytestmark = pytest.mark.django_db


def _source() -> HarvestSource:
    source = HarvestSource.objects.create(
        name="portal", url="https://portal.example.org/catalog", kind="dcat"
    )
    HarvestRun.objects.create(
        source=source,
        status="done",
        created=3,
        refused=1,
        lines=[{"id": "https://portal.example.org/d/9", "reason": "no title"}],
    )
    return source


def test_administrator_sees_sources_and_last_runs(hub):
    # Given a source with one run and a hub administrator
    source = _source()
    client = logged_in(user_in(None, username="admin", superuser=True))

    # When they open the list and the source
    listing = client.get(reverse("harvest_sources:index"))
    inspect = client.get(reverse("harvest_sources:inspect", args=[source.pk]))

    # Then both show, with the run's counts and its refused line
    assert listing.status_code == 200
    assert b"portal" in listing.content
    assert inspect.status_code == 200
    text = inspect.content.decode()
    assert "3 created" in text
    assert "https://portal.example.org/d/9: no title" in text


def test_coordinator_may_not_manage_sources(hub):
    # Given a source and a coordinator (an editor, not an administrator)
    source = _source()
    client = logged_in(user_in("Coordinators", username="coordinator"))

    # When they try the list, the source and adding one
    responses = [
        client.get(reverse("harvest_sources:index")),
        client.get(reverse("harvest_sources:inspect", args=[source.pk])),
        client.post(
            reverse("harvest_sources:add"),
            {"name": "x", "url": "https://x.example.org", "kind": "dcat"},
        ),
    ]

    # Then every one is refused and nothing is added
    assert [response.status_code for response in responses] == [302, 302, 302]
    assert HarvestSource.objects.count() == 1
