"""Discovery: the sitemap, robots.txt and CORS on the read-only addresses."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree as ET

from tests.cms.catalogue import federated, own_records
from tests.cms.factories import hub_home

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _locations(content: bytes) -> list[str]:
    return [node.text or "" for node in ET.fromstring(content).iter(f"{SITEMAP}loc")]


def test_the_sitemap_lists_pages_and_held_records_once(client, settings):
    # given a hub with its page tree, an own record and a federated one
    settings.ALLOWED_HOSTS = ["testserver"]
    hub_home()
    (own,) = own_records("organisation", 1)
    received = federated("dataset", origin="be")
    # when the sitemap is fetched
    response = client.get("/sitemap.xml")
    # then it lists the home page and both records' pages, each once
    assert response.status_code == 200
    locations = _locations(response.content)
    assert f"http://testserver/records/{own.record_id}/" in locations
    assert f"http://testserver/records/{received.record_id}/" in locations
    assert len(locations) == len(set(locations))
    assert any(
        location.endswith("/") and "/records/" not in location for location in locations
    )


def test_withdrawn_records_are_left_out_of_the_sitemap(client):
    # given a withdrawn federated record
    gone = federated("organisation", origin="be")
    gone.deleted = True
    gone.save()
    # when the sitemap is fetched
    locations = _locations(client.get("/sitemap.xml").content)
    # then the record is not in it
    assert not [location for location in locations if gone.record_id in location]


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    # when robots.txt is fetched
    response = client.get("/robots.txt")
    # then it names the sitemap and disallows the admin and GraphQL
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert {"Disallow: /admin/", "Disallow: /django-admin/", "Disallow: /graphql"} <= (
        set(lines)
    )


@pytest.mark.parametrize(
    ("path", "shared"),
    [
        ("/catalog.ttl", True),
        ("/api/v1/search?size=-1", True),
        ("/graphql", False),
        ("/robots.txt", False),
    ],
)
def test_cors_allows_any_origin_on_read_only_addresses_only(client, path, shared):
    # when another site's script asks for an address
    response = client.get(path, headers={"Origin": "https://elsewhere.example"})
    # then the read-only data is shared with it, nothing else is
    assert (response.get("Access-Control-Allow-Origin") == "*") is shared
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_preflight_allows_reading_only(client):
    # when a browser asks before a cross-site request to the API
    response = client.options(
        "/api/v1/search",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "GET",
        },
    )
    # then only reading methods are offered
    assert response.status_code == 200
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
