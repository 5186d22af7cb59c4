"""The search box's autocomplete in a real browser (Debian's chromium through
Playwright) against a live hub on the real search node: three letters bring
suggestions from /api/v1/suggest, within the search's scope; arrow keys, Enter
and Escape work."""

from __future__ import annotations

import pytest

from tests.cms import test_browser as cms_browser
from tests.search.faces import face_corpus_index

browser_page = cms_browser.browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def corpus(search_alias):
    return face_corpus_index()


def _options(page) -> list[str]:
    return page.locator("#search-suggestions [role='option']").all_inner_texts()


def test_three_letters_suggest_titles_and_the_keyboard_chooses_one(
    corpus, live_server, browser_page
):
    page = browser_page
    # given the search page
    page.goto(f"{live_server.url}/search/")
    box = page.locator("#search-text")
    assert box.get_attribute("role") == "combobox"
    # when three letters are typed
    box.press_sequentially("ver", delay=50)
    page.wait_for_selector("#search-suggestions:not([hidden])")
    # then titles starting like them are offered, and the box says so
    assert set(_options(page)) == {
        "Verkeersalgoritme Eindhoven",
        "Verkehrsmodell München",
    }
    assert box.get_attribute("aria-expanded") == "true"
    # when the arrow keys move down twice and up once
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("ArrowUp")
    # then the first suggestion is the active one
    first = page.locator("#search-suggestions [role='option']").first
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    chosen = first.inner_text()
    # when Enter is pressed
    with page.expect_navigation():
        box.press("Enter")
    # then the page searches for the chosen title
    assert page.locator("#search-text").input_value() == chosen
    assert page.locator("#result-list .result h3").first.inner_text() == chosen


def test_escape_closes_the_suggestions(corpus, live_server, browser_page):
    page = browser_page
    # given suggestions shown for three letters
    page.goto(f"{live_server.url}/search/")
    box = page.locator("#search-text")
    box.press_sequentially("vis", delay=50)
    page.wait_for_selector("#search-suggestions:not([hidden])")
    assert _options(page) != []
    # when Escape is pressed
    box.press("Escape")
    # then the list is closed and the box keeps what was typed
    assert page.locator("#search-suggestions").is_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "vis"


def test_suggestions_keep_the_search_scope(corpus, live_server, browser_page):
    page = browser_page
    # given the search narrowed to the Eindhoven hub and below
    page.goto(f"{live_server.url}/search/?scope=eindhoven")
    box = page.locator("#search-text")
    # when three letters are typed
    box.press_sequentially("ver", delay=50)
    page.wait_for_selector("#search-suggestions:not([hidden])")
    # then only titles the scoped search would find are offered
    assert _options(page) == ["Verkeersalgoritme Eindhoven"]
