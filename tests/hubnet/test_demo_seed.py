"""Seeding one demo hub: records through the catalogue, the coordinator account,
the bootstrap (site name, neighbours); idempotent."""

import dataclasses
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Site

from federation.models import StoredRecord
from hubnet.demo.data import demo_plan
from hubnet.demo.hubs import DEMO_HUBS
from hubnet.demo.seed import coordinator_ensure, demo_records_publish
from hubs.identity import hub_identity
from hubs.models import Neighbour

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def items():
    """Den Bosch's share of the demo, re-addressed to this test hub."""
    slug = hub_identity().slug
    return [
        dataclasses.replace(item, hub=slug).wire()
        for item in demo_plan(DEMO_HUBS)["den-bosch"]
    ]


def test_seeding_publishes_every_item_once(items):
    # when
    first = demo_records_publish(items=items, batch_size=20)
    again = demo_records_publish(items=items, batch_size=20)
    # then
    assert (first.published, first.unchanged) == (len(items), 0)
    assert (again.published, again.unchanged) == (0, len(items))
    stored = StoredRecord.objects.filter(record_id__in=[i["id"] for i in items])
    assert stored.count() == len(items)
    assert set(stored.values_list("version", flat=True)) == {1}
    record = stored.get(record_id=items[0]["id"])
    assert record.url == f"{hub_identity().public_url}/records/{record.record_id}/"


def test_seeding_reports_progress_per_batch(items):
    seen = []
    demo_records_publish(items=items, batch_size=20, on_batch=lambda *a: seen.append(a))
    assert seen[-1] == (len(items), len(items))
    assert len(seen) == -(-len(items) // 20)


def test_a_changed_item_gets_a_new_version(items):
    demo_records_publish(items=items[:1])
    changed = json.loads(json.dumps(items[0]))
    changed["body"]["name"] = changed["body"]["name"] + " (renamed)"
    result = demo_records_publish(items=[changed])
    assert result.published == 1
    assert StoredRecord.objects.get(record_id=changed["id"]).version == 2


def test_the_eu_coordinator_is_a_superuser():
    assert coordinator_ensure(username="c", password="pw-1", superuser=True) == (
        "created"
    )
    user = get_user_model().objects.get(username="c")
    assert user.is_superuser
    assert user.is_staff
    assert user.check_password("pw-1")
    assert coordinator_ensure(username="c", password="pw-1", superuser=True) == (
        "unchanged"
    )
    assert coordinator_ensure(username="c", password="pw-2", superuser=True) == (
        "updated"
    )


def test_a_coordinator_joins_the_coordinators_group_when_there_is_one():
    Group.objects.get_or_create(name="Coordinators")
    coordinator_ensure(username="c", password="pw")
    user = get_user_model().objects.get(username="c")
    assert not user.is_superuser
    assert not user.is_staff
    assert user.groups.filter(name="Coordinators").exists()
    assert user.has_perm("wagtailadmin.access_admin")


def test_without_the_group_a_coordinator_is_staff_with_admin_access():
    Group.objects.filter(name="Coordinators").delete()
    coordinator_ensure(username="c", password="pw")
    user = get_user_model().objects.get(username="c")
    assert user.is_staff
    assert not user.is_superuser
    assert user.has_perm("wagtailadmin.access_admin")


def test_the_command_loads_neighbours_seeds_and_creates_the_coordinator(
    items, tmp_path
):
    # given
    slug = hub_identity().slug
    seed_file = tmp_path / "seed.json"
    seed_file.write_text(json.dumps({"hub": slug, "items": items[:5]}))
    credentials = tmp_path / "credentials.json"
    credentials.write_text(
        json.dumps({slug: {"username": "coordinator", "password": "s3cret-demo"}})
    )
    neighbours = tmp_path / "neighbours.json"
    neighbours.write_text(
        json.dumps(
            [
                {
                    "slug": "nl-nb",
                    "name": "Noord-Brabant",
                    "role": "parent",
                    "endpoint_url": "http://127.0.0.1:9",
                    "outbound_token": "o" * 43,
                    "inbound_token": "i" * 43,
                }
            ]
        )
    )
    out = io.StringIO()
    # when
    call_command(
        "demo_seed",
        "--hub-data",
        str(seed_file),
        "--credentials",
        str(credentials),
        "--neighbours",
        str(neighbours),
        stdout=out,
    )
    # then
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0] == {"done": 5, "total": 5}
    assert lines[-1]["published"] == 5
    assert lines[-1]["coordinator"] == "created"
    assert lines[-1]["neighbours"] == "loaded"
    assert Neighbour.objects.filter(slug="nl-nb", role="parent").exists()
    user = get_user_model().objects.get(username="coordinator")
    assert user.check_password("s3cret-demo")
    # and: the hub is bootstrapped as the launcher would (named after HUB_NAME)
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == hub_identity().name
    assert Page.objects.get(pk=site.root_page_id).title == hub_identity().name
    assert lines[-1]["home_title"] == hub_identity().name
