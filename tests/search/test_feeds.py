"""Atom feeds of searches (/search/feed/) on the real OpenSearch node: any
search's parameters, per hub, kind and region; parsed with feedparser."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client
from django.test.utils import override_settings

from search import engine as engine_module
from tests.search.faces import face_corpus_index

FEED = "/search/feed/"
ATOM = "application/atom+xml; charset=utf-8"


@pytest.fixture(scope="module")
def corpus(search_alias):
    return face_corpus_index()


def _feed(client: Client, query: str = "") -> feedparser.FeedParserDict:
    response = client.get(f"{FEED}?{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == ATOM
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def _titles(parsed: feedparser.FeedParserDict) -> set[str]:
    return {entry.title for entry in parsed.entries}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "kinds=organisation",
            {"Vision Lab Veldhoven", "Traffic Data Utrecht", "Vision Company Leuven"},
        ),
        ("scope=den-bosch", {"Parkeerscan Den Bosch"}),
        (
            "nuts=NL414&kinds=project",
            {"Verkeersalgoritme Eindhoven", "Zorgrobot Helmond"},
        ),
        (
            "near=51.4416,5.4697&radius_km=10&kinds=organisation",
            {"Vision Lab Veldhoven"},
        ),
        ("text=zorgrobot", {"Zorgrobot Helmond"}),
    ],
)
def test_a_feed_lists_what_the_same_search_finds(corpus, client, query, expected):
    # given the indexed corpus
    # when the feed of a search (by kind, hub, region, radius, text) is read
    parsed = _feed(client, query)
    # then it is valid Atom listing exactly the records that search finds
    assert _titles(parsed) == expected


def test_entries_carry_id_link_time_and_kind(corpus, client):
    # given the indexed corpus
    # when the feed of the organisations is read
    parsed = _feed(client, "kinds=organisation&text=veldhoven")
    # then the entry links to the record, is identified by this hub's record page
    (entry,) = parsed.entries
    record = next(r for r in corpus if r["body"]["name"] == "Vision Lab Veldhoven")
    assert entry.link == record["url"]
    assert entry.id == f"http://127.0.0.1:8000/records/{record['id']}/"
    assert entry.updated_parsed is not None
    assert [tag.term for tag in entry.tags] == ["organisation"]
    assert parsed.feed.link.startswith("http://127.0.0.1:8000/search/?")
    assert "text=veldhoven" in parsed.feed.link


def test_newest_first_and_bounded(corpus, client):
    # when the feed of everything is read with a size beyond the bound
    parsed = _feed(client, "size=100")
    # then every record is listed (fewer than the bound), newest first
    assert len(parsed.entries) == len(corpus)
    times = [entry.updated_parsed for entry in parsed.entries]
    assert times == sorted(times, reverse=True)


def test_a_bad_parameter_is_a_400_naming_it(corpus, client):
    # when the feed of a bad search is asked for
    response = client.get(f"{FEED}?radius_km=5")
    # then it is a plain 400 saying which parameter
    assert response.status_code == 400
    assert response.content.decode().startswith("Bad request: radius_km:")


def test_engine_down_is_a_503(corpus, client):
    # given an engine that does not answer
    with override_settings(SEARCH_URL="http://127.0.0.1:9"):
        engine_module.search_engine.cache_clear()
        try:
            response = client.get(FEED)
        finally:
            engine_module.search_engine.cache_clear()
    # then the feed says so and when to come back
    assert response.status_code == 503
    assert response["Retry-After"]


def test_the_search_page_announces_its_feed(corpus, client):
    # when the search page of a query is shown
    response = client.get("/search/?kinds=project&after=x&text=tilburg")
    # then its head links to the feed of the same search, without paging
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'href="/search/feed/?kinds=project&amp;text=tilburg"'
    ) in response.content.decode()
