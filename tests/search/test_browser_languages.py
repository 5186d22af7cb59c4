"""The search and partner pages in Dutch, French and German, in a real browser
whose language is set to each (Accept-Language, as a visitor's browser sends
it): facets, result cards and partner badges show the vocabulary's translated
labels, never the codes the index holds ("project", "high", "NL", "sme").

With HUBNET_SCREENSHOT_DIR=docs/screenshots each page is saved as
``search-<lang>.png`` / ``partners-<lang>.png`` (docs/i18n.md shows them).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browsing import chromium, screenshot, visitor_page
from tests.search.faces import face_corpus_index

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["chromium"]

# What a visitor reads, per language: written out, not computed from the
# catalogues, so a missing or wrong translation fails here.
EXPECTED = {
    "nl": {
        "search": "Zoeken in het netwerk",
        "project": "Project",
        "organisation": "Organisatie",
        "high": "Hoog risico (AI-verordening, artikel 6 en bijlage III)",
        "NL": "Nederland",
        "BE": "België",
        "partners": "Partners vinden",
        "sme": "Mkb-bedrijf of start-up",
        "regional": "Regionale hub",
    },
    "fr": {
        "search": "Rechercher dans le réseau",
        "project": "Projet",
        "organisation": "Organisation",
        "high": "Haut risque (règlement sur l'IA, article 6 et annexe III)",
        "NL": "Pays-Bas",
        "BE": "Belgique",
        "partners": "Trouver des partenaires",
        "sme": "PME ou start-up",
        "regional": "Hub régional",
    },
    "de": {
        "search": "Das Netzwerk durchsuchen",
        "project": "Projekt",
        "organisation": "Organisation",
        "high": "Hohes Risiko (KI-Verordnung, Artikel 6 und Anhang III)",
        "NL": "Niederlande",
        "BE": "Belgien",
        "partners": "Partner finden",
        "sme": "KMU oder Start-up",
        "regional": "Regionaler Hub",
    },
}
# Facets whose values are vocabulary codes: each must be shown by a label.
VOCABULARY_FACETS = ("kinds", "levels", "countries", "ai_act_classes", "statuses")

FACET_LABELS_JS = """(facet) => Array.from(
    document.querySelectorAll(`fieldset[data-facet="${facet}"] label`)
).map((label) => [
    label.querySelector("input").value,
    Array.from(label.childNodes)
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent)
        .join("")
        .trim(),
])"""


@pytest.fixture(scope="module")
def corpus(search_alias):
    return face_corpus_index()


def _facet_labels(page: Any, facet: str) -> dict[str, str]:
    """{code: label shown} of the checkboxes of ``facet``."""
    return dict(page.evaluate(FACET_LABELS_JS, facet))


@pytest.mark.parametrize("language", list(EXPECTED))
def test_the_search_page_shows_labels_in_the_visitors_language(
    language, corpus, live_server, chromium
):
    expected = EXPECTED[language]
    # given a visitor whose browser asks for the language
    page = visitor_page(chromium, language=language)
    # when they open the search page
    page.goto(f"{live_server.url}/search/")
    page.wait_for_selector("#map[data-ready='1']")
    # then the page is in that language
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == expected["search"]
    # and the facets show the translated labels of the codes
    kinds = _facet_labels(page, "kinds")
    assert kinds == {
        "project": expected["project"],
        "organisation": expected["organisation"],
    }
    assert _facet_labels(page, "ai_act_classes")["high"] == expected["high"]
    countries = _facet_labels(page, "countries")
    assert countries["NL"] == expected["NL"]
    assert countries["BE"] == expected["BE"]
    # and no vocabulary facet shows a code as its label
    for facet in VOCABULARY_FACETS:
        shown = _facet_labels(page, facet)
        assert shown, facet
        assert all(label != code for code, label in shown.items()), (facet, shown)
    # and the result cards name the kind by its label too
    kind_badges = page.locator("#result-list .result .badges li:first-child")
    assert set(kind_badges.all_inner_texts()) == {
        expected["project"],
        expected["organisation"],
    }
    screenshot(page, f"search-{language}")


@pytest.mark.parametrize("language", list(EXPECTED))
def test_the_partners_page_shows_labels_in_the_visitors_language(
    language, corpus, live_server, chromium
):
    expected = EXPECTED[language]
    # given a visitor whose browser asks for the language, in Den Bosch (NL413)
    page = visitor_page(chromium, language=language)
    # when they look for partners in computer vision
    page.goto(f"{live_server.url}/search/partners/?need=computer+vision&nuts=NL413")
    page.wait_for_load_state("networkidle")
    # then the page is in that language
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == expected["partners"]
    # and the organisation type is offered and shown by its label
    sme = page.locator("label", has=page.locator("input[name='types'][value='sme']"))
    assert sme.inner_text().strip() == expected["sme"]
    card = page.locator("#partner-list .partner").first
    assert card.locator("h3").inner_text() == "Vision Lab Veldhoven"
    badges = card.locator(".badges li").all_inner_texts()
    assert expected["sme"] in badges
    assert "sme" not in badges
    # and the level it was found at is named, in the steps and on the card
    steps = page.locator(".partner-steps li").all_inner_texts()
    assert any(expected["regional"] in step for step in steps), steps
    assert not any(" regional" in step for step in steps), steps
    assert badges[0].endswith(f"{expected['regional']} · NL41 Noord-Brabant")
    # and the country searched is named, not coded
    national = page.locator(".partner-steps li[data-level='national']")
    assert national.inner_text().endswith(f"({expected['NL']})")
    # the picture shows the results: their heading at the top of the window
    page.evaluate(
        "window.scrollTo(0, document.querySelector('.results h2')"
        ".getBoundingClientRect().top + window.scrollY - 16)"
    )
    screenshot(page, f"partners-{language}")
