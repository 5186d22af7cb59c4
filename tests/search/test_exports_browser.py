"""A real browser exports from the search page (Playwright, Debian's chromium,
a live hub on the real search node): the links follow the query the page
shows (also after map.js updated it in place), the file arrives as a download
with the server's name, and the progress line ends at "Done: N rows."."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.cms import test_browser as cms_browser
from tests.search.faces import face_corpus_index

SCREENSHOTS = cms_browser.SCREENSHOTS
browser_page = cms_browser.browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def corpus(search_alias):
    return face_corpus_index()


def test_export_follows_the_query_and_shows_progress(corpus, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/search/?kinds=project")
    page.wait_for_selector("#map[data-ready='1']")
    # when the query changes in place (map.js), then the export follows it
    page.fill("#search-text", "traffic")
    page.wait_for_function("document.getElementById('search-form').dataset.updated")
    expected = Client().get("/api/v1/search", {"kinds": "project", "text": "traffic"})
    expected_ids = [hit["id"] for hit in expected.json()["hits"]]
    assert expected_ids
    with page.expect_download() as info:
        page.click("a[data-export='csv']")
    download = info.value
    assert download.suggested_filename.startswith("hubnet-search-")
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["id"] for row in rows] == expected_ids
    status = page.locator(".export-progress")
    page.wait_for_function(
        "document.querySelector('.export-progress').textContent.startsWith('Done')"
    )
    rows_text = "1 row" if len(expected_ids) == 1 else f"{len(expected_ids)} rows"
    assert status.inner_text() == f"Done: {rows_text}."
    assert page.eval_on_selector(
        "[data-export-status] progress", "bar => bar.value === bar.max"
    )
    page.screenshot(path=str(SCREENSHOTS / "search-export.png"), full_page=True)

    # and the workbook too
    with page.expect_download() as info:
        page.click("a[data-export='xlsx']")
    workbook = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert sheet_ids(workbook) == expected_ids


def sheet_ids(workbook) -> list[str]:
    rows = list(workbook.active.iter_rows(values_only=True))
    column = rows[0].index("id")
    return [row[column] for row in rows[1:]]


def test_an_error_shows_the_servers_message(corpus, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/search/?kinds=project")
    page.wait_for_selector("#map[data-ready='1']")
    # an address the page would not make: a level that does not exist
    page.evaluate("history.replaceState(null, '', '/search/?level=planet')")
    page.click("a[data-export='csv']")
    page.wait_for_function(
        "document.querySelector('.export-progress').textContent.length > 0"
        " && !document.querySelector('.export-progress').textContent"
        ".startsWith('Starting')"
    )
    assert page.locator(".export-progress").inner_text().startswith("level:")
