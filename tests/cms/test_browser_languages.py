"""A project page in Dutch, French and German, chosen with the language
switcher in a real browser: the status, the AI Act class and the country are
shown by their translated labels, never by the codes of the record ("in-use",
"high", "NL"), and the page says which language it is in (<html lang>).

With HUBNET_SCREENSHOT_DIR=docs/screenshots each page is saved as
``record-<lang>.png`` (docs/i18n.md shows them).
"""

from __future__ import annotations

import pytest

from tests.browsing import chromium, screenshot, visitor_page
from tests.cms.factories import high_risk_project, hub_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["chromium"]

# What a visitor reads, written out so a missing translation fails here.
EXPECTED = {
    "nl": {
        "language": "Nederlands",
        "in-use": "In gebruik",
        "high": "Hoog risico (AI-verordening, artikel 6 en bijlage III)",
        "NL": "Nederland",
        "status": "Status",
    },
    "fr": {
        "language": "Français",
        "in-use": "En service",
        "high": "Haut risque (règlement sur l'IA, article 6 et annexe III)",
        "NL": "Pays-Bas",
        "status": "Statut",
    },
    "de": {
        "language": "Deutsch",
        "in-use": "Im Einsatz",
        "high": "Hohes Risiko (KI-Verordnung, Artikel 6 und Anhang III)",
        "NL": "Niederlande",
        "status": "Status",
    },
}
CODES = {"in-use", "high", "NL"}


@pytest.fixture
def project_path() -> str:
    """A published high-risk project in use, located in the Netherlands."""
    hub_home()
    project = high_risk_project(publish=True, status="in-use", country="NL")
    return project.url


@pytest.mark.parametrize("language", list(EXPECTED))
def test_a_project_page_in_the_language_the_visitor_chooses(
    language, project_path, live_server, chromium
):
    expected = EXPECTED[language]
    # given a visitor on a project page in English
    page = visitor_page(chromium, language="en-GB")
    page.goto(live_server.url + project_path)
    assert page.locator("html").get_attribute("lang") == "en"
    # when they choose the language with the switcher
    page.get_by_label("Language").select_option(language)
    with page.expect_navigation():
        page.get_by_role("button", name="Change").click()
    # then the same page is in that language
    assert page.url == live_server.url + project_path
    assert page.locator("html").get_attribute("lang") == language
    assert (
        page.locator("#language-select option:checked").inner_text()
        == (expected["language"])
    )
    # and the status and AI Act class badges are labels, not codes
    badges = page.locator(".record-header .badges li").all_inner_texts()
    assert badges == [expected["in-use"], expected["high"]]
    # and the facts name the status and the country
    facts = page.locator(".record-facts")
    status = facts.locator("dt", has_text=expected["status"]).locator("+ dd")
    assert status.inner_text() == expected["in-use"]
    where = facts.locator("dd").filter(has_text=expected["NL"])
    assert where.count() == 1
    lines = where.inner_text().splitlines()
    assert lines[-1] == expected["NL"]
    # and no code is shown on its own anywhere in the header or the facts
    shown = page.locator(".record-header, .record-facts").all_inner_texts()
    words = {line.strip() for text in shown for line in text.splitlines()}
    assert not words & CODES, words & CODES
    screenshot(page, f"record-{language}")
