"""``hubnet hub_bootstrap``: the hub's name on its site and, optionally, its
neighbours; run twice, the same state."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Site

from hubs.identity import hub_identity
from hubs.models import Neighbour

pytestmark = pytest.mark.django_db


def _bootstrap(*args: str) -> dict:
    out = io.StringIO()
    call_command("hub_bootstrap", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def _state() -> tuple:
    site = Site.objects.get(is_default_site=True)
    home = Page.objects.get(pk=site.root_page_id)
    neighbours = sorted(Neighbour.objects.values_list("slug", "role", "endpoint_url"))
    return site.site_name, home.title, home.draft_title, neighbours


def test_bootstrap_names_the_site_and_loads_neighbours_idempotently(tmp_path):
    # given
    name = hub_identity().name
    neighbours = tmp_path / "neighbours.json"
    neighbours.write_text(
        json.dumps(
            [
                {
                    "slug": "nl",
                    "name": "Nederland",
                    "role": "parent",
                    "endpoint_url": "http://127.0.0.1:9001",
                    "outbound_token": "o" * 32,
                    "inbound_token": "i" * 32,
                }
            ]
        )
    )
    # when: run twice
    first = _bootstrap("--neighbours", str(neighbours))
    state = _state()
    again = _bootstrap("--neighbours", str(neighbours))
    # then: the second run finds everything in place
    assert first == {
        "hub": hub_identity().slug,
        "site_renamed": True,
        "home_renamed": True,
        "home_title": name,
        "neighbours": "loaded",
    }
    assert again == {**first, "site_renamed": False, "home_renamed": False}
    assert (
        _state()
        == state
        == (
            name,
            name,
            name,
            [("nl", "parent", "http://127.0.0.1:9001")],
        )
    )


def test_bootstrap_renames_a_hub_whose_name_changed(settings):
    # given: bootstrapped under one name
    _bootstrap()
    # when: HUB_NAME changes
    settings.HUB_NAME = "AI Hub Brainport"
    hub_identity.cache_clear()
    try:
        result = _bootstrap()
    finally:
        hub_identity.cache_clear()
    # then
    assert (result["site_renamed"], result["home_renamed"]) == (True, True)
    assert _state()[:3] == ("AI Hub Brainport",) * 3


def test_bootstrap_on_a_database_without_a_site_fails_clearly():
    # given
    Site.objects.all().delete()
    # then
    with pytest.raises(CommandError, match="no default Wagtail site"):
        _bootstrap()
