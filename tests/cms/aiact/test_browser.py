"""A real browser on the AI Act checklist (Playwright driving Debian's chromium
against a live hub): an editor logs in, opens a project's checklist, reads what
is missing, and opens the printable page. With HUBNET_SCREENSHOTS set, a
screenshot goes to docs/screenshots/ai-act-checklist.png."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cms import test_browser as cms_browser
from tests.cms.aiact.readiness import complete_fields
from tests.cms.factories import hub_home, project_page, user_in

browser_page = cms_browser.browser_page
DOCS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft() -> int:
    """A high-risk project lacking its submitter and its notification, and an
    editor (made before the browser starts: the ORM refuses to run beside
    Playwright's event loop)."""
    hub_home()  # the hub's tree and groups, which an earlier flush may have removed
    user = user_in("Editors", username="editor")
    user.set_password("editor-password-1")
    user.save()
    page = project_page(**complete_fields(submitter_name="", fria_notified_on=None))
    return page.pk


def test_an_editor_reads_what_is_missing(draft, live_server, browser_page):
    page = browser_page
    # given an editor logged in to the admin
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "editor-password-1")
    page.click("button[type='submit']")
    page.wait_for_url(f"{live_server.url}/admin/")
    # when they open the project's checklist (the editor's header links to it)
    page.goto(f"{live_server.url}/admin/ai-act/{draft}/")
    # then the header names it and its trail leads back to the project
    assert " ".join(page.locator("h1").text_content().split()) == (
        "AI Act checklist: Bijstandscheck"
    )
    trail = page.locator("nav[aria-label='Breadcrumb'] li").all_text_contents()
    assert [" ".join(item.split()) for item in trail] == [
        "Home",
        "Bijstandscheck",
        "AI Act checklist",
    ]
    # and the two missing items are marked, with why they matter
    missing = page.locator("tr[data-state='missing']")
    assert [row.get_attribute("data-item") for row in missing.all()] == [
        "annex-viii-c-2",
        "art-27-3",
    ]
    assert (
        page.locator(".ai-act-summary").inner_text().startswith("2 items are missing.")
    )
    if os.environ.get("HUBNET_SCREENSHOTS"):
        page.set_viewport_size({"width": 1100, "height": 900})
        page.screenshot(path=str(DOCS / "ai-act-checklist.png"))
    # and the printable page holds the same table
    page.click("text=Printable page")
    page.wait_for_url(f"**/admin/ai-act/{draft}/print/")
    assert page.locator("h1").inner_text() == "AI Act checklist: Bijstandscheck"
    assert page.locator("tr[data-state='missing']").count() == 2
