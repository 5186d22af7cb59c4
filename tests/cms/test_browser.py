"""A real browser on the public site: Playwright driving Debian's
chromium against a live hub (pytest-django's ``live_server``). It opens a
project page, reads the section for citizens, uses the skip link with the
keyboard, filters an index page, and switches to Dutch. Each step saves a
screenshot to ``docs/screenshots/cms-*.png`` for the README tour.

Chromium is a system package (``apt-get install chromium``, done by
``.ci/run``); when it is missing these tests fail, they are never skipped.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cms.models import ProjectImpactAssessment
from tests.cms.catalogue import federated
from tests.cms.factories import hub_home, index_page, record_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path(os.environ.get("HUBNET_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Screenshots go under var/ so a test run leaves the checkout clean; the README
# tour's copies are made with HUBNET_SCREENSHOT_DIR=docs/screenshots.
SCREENSHOTS = Path(
    os.environ.get(
        "HUBNET_SCREENSHOT_DIR",
        Path(__file__).resolve().parents[2] / "var" / "test" / "screenshots",
    )
)
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def browser_page() -> Iterator[object]:
    """A chromium page; fails the test loudly when chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"chromium is not installed at {CHROMIUM}: the browser tests need "
            "Debian's chromium (apt-get install -y chromium; .ci/run does this). "
            "Set HUBNET_CHROMIUM to use another binary."
        )
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


@pytest.fixture
def public_site() -> dict[str, str]:
    """A hub with a high-risk project of its own and records from other hubs;
    the paths of the pages the tour visits. (Built before the browser starts:
    the database is not touched while Playwright runs.)"""
    home = hub_home()
    home.intro = (
        "<p>The AI hub of the city region: AI projects, datasets, courses and "
        "partners, and what the municipality's algorithms mean for residents.</p>"
    )
    home.save_revision().publish()
    project = record_page(
        "project",
        publish=True,
        title="Parkeerscan",
        short_description=(
            "Scan cars to check whether they have a parking permit, so parking "
            "officers know where to look."
        ),
        description=(
            "<p>A car with cameras drives through paid-parking streets and reads "
            "number plates. The system checks each plate against the permit "
            "register and marks cars without a permit for an officer.</p>"
        ),
        status="in-use",
        themes=["TRAN"],
        affected_groups=["drivers", "residents", "visitors"],
        decision_type="descriptive",
        biometric_data=False,
        annex_iii_area="law-enforcement",
        ai_act_class="high",
        risk_human_influence="limited",
        risk_rights_impact="medium",
        human_intervention=(
            "A parking officer looks at every marked car before a fine is given. "
            "The system never gives a fine by itself."
        ),
        objection_procedure=(
            "You can object to a parking fine within six weeks, online or at the "
            "city office. A different officer reviews the scan images."
        ),
        lawful_basis="Municipal parking regulation, article 3.",
        contact_name="Team Parkeren",
        contact_email="parkeren@example.org",
        impact_assessments=[
            ProjectImpactAssessment(
                assessment_type="dpia",
                date=dt.date(2024, 5, 1),
                url="https://example.org/dpia-parkeerscan",
                summary="Plates are deleted after 48 hours unless a fine is given.",
            )
        ],
    )
    federated(
        "project",
        name="Bijstandscheck",
        shortDescription="Flags benefit applications for a second look.",
        status="pilot",
        aiActClass="high",
        annexIiiArea="essential-services",
    )
    federated(
        "project",
        origin="be",
        name="Chatbot Stadsloket",
        shortDescription="Answers residents' questions about city services.",
        status="pilot",
        aiActClass="limited",
    )
    federated(
        "project",
        name="Afvalroutes",
        shortDescription="Plans waste collection routes from sensor data.",
        status="development",
        aiActClass="minimal",
    )
    return {"project": project.url, "index": index_page("project").url}


def shot(page, name: str, *, full_page: bool = True) -> Path:
    path = SCREENSHOTS / f"cms-{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 10_000
    return path


def test_a_resident_reads_a_project_and_filters_the_projects(
    live_server, public_site, browser_page
):
    page = browser_page
    base = live_server.url

    # 1. The project page: its heading and the section for citizens
    page.goto(base + public_site["project"])
    assert page.get_by_role("heading", level=1).inner_text() == "Parkeerscan"
    citizens = page.get_by_role("region", name="How this system affects you")
    assert citizens.is_visible()
    text = citizens.inner_text()
    assert "It affects: drivers, residents, visitors." in text
    assert "A parking officer looks at every marked car before a fine is given." in text
    assert "You can object to a parking fine within six weeks" in text
    assert "Under the EU AI Act this is a high-risk system." in text
    shot(page, "project-page")
    citizens.screenshot(path=str(SCREENSHOTS / "cms-citizen-section.png"))

    # 2. Keyboard: the first Tab reaches the skip link, Enter moves to the content
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    # 3. The index page: choose a status, apply, see only the pilots
    page.goto(base + public_site["index"])
    results = page.locator("#results-heading")
    assert results.inner_text() == "4 results"
    shot(page, "project-index")
    page.get_by_label("Status").select_option("pilot")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/projects/?*status=pilot*")
    assert results.inner_text() == "2 results"
    names = page.locator(".items h3").all_inner_texts()
    assert sorted(names) == ["Bijstandscheck", "Chatbot Stadsloket"]
    assert page.get_by_label("Status").input_value() == "pilot"
    shot(page, "project-index-filtered")

    # 4. The language switcher: the same project in Dutch
    page.goto(base + public_site["project"])
    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role(
        "region", name="Wat dit systeem voor u betekent"
    ).is_visible()
    shot(page, "project-page-nl")
