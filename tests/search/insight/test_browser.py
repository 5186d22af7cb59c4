"""A real browser on the dashboard (Playwright driving Debian's chromium against
a live hub with the seeded catalogue on the real node): at the EU hub, narrow to
the Netherlands and then to high risk; the total, the panels and the map's
circles change each time. With HUBNET_SCREENSHOTS set, screenshots go to
docs/screenshots/insight-*.png for the README."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hubs.identity import hub_identity
from tests.cms import test_browser as cms_browser
from tests.search.insight.conftest import catalogue_counts

browser_page = cms_browser.browser_page
DOCS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    if os.environ.get("HUBNET_SCREENSHOTS"):
        page.screenshot(path=str(DOCS / f"insight-{name}.png"), full_page=True)


def _table(page, panel: str) -> dict[str, int]:
    rows = page.locator(f"#panel-{panel} tbody tr[data-value]")
    return {
        row.get_attribute("data-value"): int(row.locator("td").first.inner_text())
        for row in rows.all()
    }


def _circles(page) -> int:
    page.wait_for_selector("#insight-map[data-markers]")
    return page.locator("#insight-map .leaflet-overlay-pane path").count()


@pytest.fixture
def eu_hub(seeded, settings) -> dict[str, dict]:
    """The EU hub, and the figures the catalogue gives (counted before the
    browser starts: the ORM refuses to run beside Playwright's event loop)."""
    settings.HUB_SLUG, settings.HUB_PATH = "eu", ["eu"]
    hub_identity.cache_clear()
    return {
        "all": catalogue_counts(),
        "nl": catalogue_counts(country="NL"),
        "high": catalogue_counts(country="NL", aiActClass="high"),
    }


def test_narrow_to_the_netherlands_and_high_risk(eu_hub, live_server, browser_page):
    # given the dashboard of the EU hub: the whole network
    page = browser_page
    page.goto(f"{live_server.url}/insight/")
    everything = eu_hub["all"]
    assert page.locator("#insight-total").inner_text() == "10"
    assert _table(page, "kinds") == dict(everything["kinds"])
    assert _circles(page) == len(everything["regions"]) == 4
    _shot(page, "1-eu")

    # when narrowing to the Netherlands
    page.check("input[name='countries'][value='NL']")
    page.click("#insight-form button[type='submit']")
    page.wait_for_url("**countries=NL**")
    dutch = eu_hub["nl"]
    assert page.locator("#insight-total").inner_text() == "6"
    assert _table(page, "kinds") == dict(dutch["kinds"])
    assert _table(page, "countries") == {"NL": 6}
    assert _circles(page) == len(dutch["regions"]) == 2
    _shot(page, "2-nl")

    # and to high risk
    page.check("input[name='ai_act_classes'][value='high']")
    page.click("#insight-form button[type='submit']")
    page.wait_for_url("**ai_act_classes=high**")
    high = eu_hub["high"]
    assert page.locator("#insight-total").inner_text() == "3"
    assert _table(page, "kinds") == {"project": 3} == dict(high["kinds"])
    assert _table(page, "ai_act_classes") == {"high": 3}
    shares = page.locator(
        "#panel-transparency tbody tr[data-value='objection_route'] td"
    )
    assert shares.all_inner_texts() == ["2", "3", "66.7"]
    _shot(page, "3-nl-high")


def test_the_ai_act_readiness_beside_the_other_panels(
    eu_hub, live_server, browser_page
):
    # given the dashboard of the EU hub narrowed to high-risk systems
    page = browser_page
    page.goto(f"{live_server.url}/insight/?ai_act_classes=high")
    # then the high-risk systems per Annex III area count the restricted one too
    assert _table(page, "high_risk_areas") == {"employment": 3, "migration": 1}
    # and the readiness shares are out of the systems whose readiness is public
    rows = {
        share: page.locator(
            f"#panel-ai_act_readiness tbody tr[data-value='{share}'] td"
        ).all_inner_texts()
        for share in ("package_complete", "fria_performed", "fria_notified")
    }
    assert rows == {
        "package_complete": ["1", "3", "33.3"],
        "fria_performed": ["2", "3", "66.7"],
        "fria_notified": ["1", "3", "33.3"],
    }
    if os.environ.get("HUBNET_SCREENSHOTS"):
        page.locator("#panel-ai_act_readiness").screenshot(
            path=str(DOCS / "insight-ai-act-readiness.png")
        )
