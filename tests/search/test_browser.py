"""A real browser on the search page: Playwright driving Debian's
chromium against a live hub with a small corpus on the real search node. Type a
query, choose a facet, narrow the scope; the results and the map's markers (in
Leaflet's marker pane) change each time. Screenshots go to
var/test/screenshots/search-*.png (HUBNET_SCREENSHOT_DIR overrides).

Never skipped: without chromium the test fails and says how to install it.
"""

from __future__ import annotations

import pytest

from tests.cms import test_browser as cms_browser
from tests.search.faces import face_corpus_index

SCREENSHOTS = cms_browser.SCREENSHOTS
# The chromium page fixture of the CMS browser tests (same launch arguments).
browser_page = cms_browser.browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def corpus(search_alias):
    return face_corpus_index()


def _markers(page) -> int:
    return page.locator(".leaflet-marker-pane .leaflet-marker-icon").count()


def _wait_updates(page, count: int) -> None:
    page.wait_for_function(
        f"document.getElementById('search-form').dataset.updated == '{count}'"
    )


def test_type_choose_a_facet_narrow_the_scope(corpus, live_server, browser_page):
    page = browser_page
    # given the search page: every record, the located ones on the map
    page.goto(f"{live_server.url}/search/")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("#result-total").inner_text() == "12"
    assert _markers(page) == 11
    page.screenshot(path=str(SCREENSHOTS / "search-1-all.png"), full_page=True)

    # when typing a query, the results and the markers follow
    page.fill("#search-text", "traffic")
    _wait_updates(page, 1)
    assert page.locator("#result-total").inner_text() == "4"
    assert page.locator("#result-list .result").count() == 4
    assert page.locator("#result-list mark").count() >= 1
    assert _markers(page) == 4
    page.screenshot(path=str(SCREENSHOTS / "search-2-text.png"), full_page=True)

    # when choosing a facet (organisations only)
    page.check("input[name='kinds'][value='organisation']")
    _wait_updates(page, 2)
    assert page.locator("#result-total").inner_text() == "3"
    assert _markers(page) == 3
    assert "kinds=organisation" in page.url
    # and the cards the script rendered show labels, not codes
    kinds = page.locator("#result-list .result .badges li:first-child")
    assert kinds.all_inner_texts() == ["Organisation"] * 3
    page.screenshot(path=str(SCREENSHOTS / "search-3-facet.png"), full_page=True)

    # when narrowing the scope to Zuid-Nederland (NUTS NL4)
    page.click("a.narrow[href$='nuts=NL4']")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("#result-total").inner_text() == "1"
    assert page.locator("#result-list .result h3").inner_text() == (
        "Vision Lab Veldhoven"
    )
    assert _markers(page) == 1
    crumbs = page.locator(".breadcrumb li").all_inner_texts()
    assert crumbs[0] == "EU"
    assert crumbs[1] == "Nederland"
    assert page.input_value("#search-text") == "traffic"
    page.screenshot(path=str(SCREENSHOTS / "search-4-scope.png"), full_page=True)

    # and widening again through the breadcrumb brings back the others
    page.click(".breadcrumb a >> text=EU")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("#result-total").inner_text() == "3"
    assert _markers(page) == 3


def test_the_live_updates_speak_dutch(corpus, live_server, browser_page):
    page = browser_page
    # given a visitor who chooses Dutch with the switcher, by keyboard
    page.goto(f"{live_server.url}/search/")
    page.focus("#language-select")
    page.select_option("#language-select", "nl")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server.url}/search/"
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("h1").inner_text() == "Zoeken in het netwerk"
    assert page.locator("#language-select option:checked").inner_text() == (
        "Nederlands"
    )
    assert page.locator("#result-summary").inner_text() == "12 resultaten"
    # then the map's controls are named in Dutch (from the JavaScript catalogue)
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == (
        "Inzoomen"
    )
    # when the results update without a reload, the count and the empty list
    # are still in Dutch
    page.fill("#search-text", "traffic")
    _wait_updates(page, 1)
    assert page.locator("#result-summary").inner_text() == "4 resultaten"
    assert page.locator("#result-total").inner_text() == "4"
    page.fill("#search-text", "qqqzzzxyz")
    _wait_updates(page, 2)
    assert page.locator("#result-summary").inner_text() == "0 resultaten"
    assert page.locator("#result-list .empty").inner_text() == (
        "Niets gevonden. Verruim het bereik of verwijder een filter."
    )
    page.screenshot(path=str(SCREENSHOTS / "search-nl-empty.png"), full_page=True)
