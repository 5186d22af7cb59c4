"""The search pages in the visitor's language: labels, help and counts of the
search, partner finder and statistics pages follow ``Accept-Language`` (or the
language cookie), numbers take the language's thousands separator."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from tests.search.test_partners import network
from tests.search.test_views import corpus

pytestmark = pytest.mark.django_db

__all__ = ["corpus", "network"]


def _dutch(path: str, query: dict) -> str:
    response = Client(headers={"accept-language": "nl"}).get(path, query)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Language"] == "nl"
    return response.content.decode()


def test_the_search_page_in_dutch(corpus):
    # when a Dutch visitor searches
    html = _dutch("/search/", {"text": "parkeerscan"})
    # then the page, its form, its result count and its controls speak Dutch
    assert '<html lang="nl">' in html
    assert "<title>Zoeken · " in html
    assert "<h1>Zoeken in het netwerk</h1>" in html
    assert '<label for="search-text">Zoeken naar</label>' in html
    assert '<aside class="facets" aria-label="Filters">' in html
    assert '<span id="result-total">1</span> resultaat</p>' in html
    assert 'data-export="csv" download>CSV exporteren</a>' in html
    assert 'aria-label="Kaart van de resultaten"' in html
    assert '<a href="/insight/">Statistieken</a>' in html
    # and the scripts get the Dutch catalogue before they run
    assert html.index('src="/jsi18n/"') < html.index("search/map.js")
    assert "Search the network" not in html


def test_nothing_found_in_dutch_and_english(corpus):
    dutch = _dutch("/search/", {"text": "qqqzzzxyz"})
    assert '<span id="result-total">0</span> resultaten</p>' in dutch
    assert "Niets gevonden. Verruim het bereik of verwijder een filter." in dutch
    # the same page for an English visitor stays English
    english = Client(headers={"accept-language": "en"}).get(
        "/search/", {"text": "qqqzzzxyz"}
    )
    assert '<span id="result-total">0</span> results</p>' in english.content.decode()


def test_the_partner_finder_in_dutch(network):
    # when a Dutch SME looks for computer vision near Den Bosch
    html = _dutch("/search/partners/", {"need": "computer vision", "nuts": "NL413"})
    # then the form, the heading of the results and the cards speak Dutch
    assert "<h1>Partners vinden</h1>" in html
    assert '<label for="partners-need">Ik zoek hulp bij</label>' in html
    assert 'placeholder="NUTS-regio, bijv. NL414"' in html
    assert "<legend>Soort organisatie</legend>" in html
    assert "<h2>Partners voor “computer vision”</h2>" in html
    shown = html.count('class="card result partner"')
    assert f"De beste {shown}, dichtstbijzijnde niveaus eerst." in html
    assert '<li class="badge">staat open voor samenwerking</li>' in html
    assert "Partner in: Computer vision voor verkeer (coordinator)" in html
    assert "Find partners" not in html


def test_the_language_cookie_chooses_too(network):
    client = Client(headers={"accept-language": "en"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    html = client.get("/search/partners/").content.decode()
    assert "<h1>Partners vinden</h1>" in html


def _insight(language: str) -> str:
    request = RequestFactory().get("/insight/")
    row = SimpleNamespace(value="local", label="local", count=12345)
    section = {
        "panel": SimpleNamespace(
            name="levels", title="Records per level", measure="terms"
        ),
        "total": 12345,
        "rows": [{"row": row, "url": None}],
        "markers": None,
        "csv_url": "?format=csv&panel=levels",
        "chart": {
            "bars": [{"y": 0, "label": "local", "width": 300, "count": 12345}],
            "width": 480,
            "height": 30,
        },
    }
    with translation.override(language):
        return render_to_string(
            "search/insight.html",
            {"total": 1234567, "sections": [section], "breadcrumb": []},
            request,
        )


@pytest.mark.parametrize(
    ("language", "sentence", "count"),
    [
        ("en", "1,234,567</span> records", "12,345"),
        ("nl", "1.234.567</span> records", "12.345"),
        ("de", "1.234.567</span>", "12.345"),
        ("fr", "1\xa0234\xa0567</span>", "12\xa0345"),
    ],
)
def test_the_dashboard_groups_thousands_as_the_language_does(language, sentence, count):
    html = _insight(language)
    assert f'<span id="insight-total">{sentence}' in html
    assert f"<td>{count}</td>" in html
    assert f'font-size="13">{count}</text>' in html
    # the chart's geometry stays plain numbers
    assert 'width="480" height="30" viewBox="0 0 480 30"' in html
