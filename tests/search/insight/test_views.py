"""The dashboard page on the real node: public, scoped to this hub's subtree by
default and widened by its breadcrumb, one section per panel with a chart, a
captioned table and a CSV download; bad parameters and an engine outage get
clear answers."""

import re

import pytest
from django.test import Client
from django.test.utils import override_settings

from hubs.identity import hub_identity
from search import engine as engine_module
from search.insight.panels import panels_available
from tests.conftest import free_port
from tests.search.insight.conftest import catalogue_counts

pytestmark = pytest.mark.django_db


def page_figures(html: str) -> dict[str, dict[str, int]]:
    """Panel name → {value: records} as the page's tables show them."""
    figures = {}
    for name, section in re.findall(
        r'<section class="statistic" id="panel-([a-z_]+)".*?>(.*?)</section>',
        html,
        re.S,
    ):
        rows = re.findall(
            r'<tr data-value="([^"]*)">.*?</th><td>([\d,]+)</td>', section
        )
        figures[name] = {value: int(count.replace(",", "")) for value, count in rows}
    return figures


def test_the_dashboard_of_this_hubs_subtree(seeded):
    # when an anonymous visitor opens the dashboard of the hub nl-nb
    response = Client().get("/insight/")
    html = response.content.decode()
    # then it counts the subtree of nl-nb: every panel, as the catalogue does
    assert response.status_code == 200
    expected = catalogue_counts(scope="nl-nb")
    figures = page_figures(html)
    assert set(figures) == {panel.name for panel in panels_available()}
    assert figures["kinds"] == {"project": 3, "course": 1, "organisation": 1}
    assert figures["ai_act_classes"] == {
        k: v for k, v in expected["ai_act_classes"].items()
    }
    assert '<span id="insight-total">5</span> records' in html
    # each panel has a captioned table, a chart and a CSV link of its own
    assert html.count("<caption>") == len(figures)
    assert "<caption>Records per kind</caption>" in html
    assert 'aria-label="Bar chart: Records per kind"' in html
    assert 'href="?format=csv&amp;panel=kinds" download' in html
    # labels, not codes; a value narrows the dashboard
    assert '<a href="?kinds=project">Project</a></th><td>3</td>' in html
    # the breadcrumb widens to the parents and the whole network
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    assert '<a href="?scope=">Whole network</a>' in crumbs
    assert '<a href="?scope=nl">Hub nl</a>' in crumbs
    assert '<span aria-current="location">Hub nl-nb</span>' in crumbs
    # and the map's data are the regions table's
    assert 'id="insight-map"' in html
    assert '"label": "Noord-Brabant", "count": 5' in html
    # the main navigation links to it
    assert '<li><a href="/insight/">Insight</a></li>' in html


def test_a_local_hub_sees_only_its_subtree(seeded, settings):
    # given the local hub of Den Bosch
    settings.HUB_SLUG = "den-bosch"
    settings.HUB_PATH = ["eu", "nl", "nl-nb", "den-bosch"]
    hub_identity.cache_clear()
    # when it opens its dashboard
    figures = page_figures(Client().get("/insight/").content.decode())
    # then only its own project counts, until it widens to the country
    assert figures["kinds"] == {"project": 1}
    assert figures["countries"] == {"NL": 1}
    wide = page_figures(Client().get("/insight/", {"scope": "nl"}).content.decode())
    assert wide["kinds"] == dict(catalogue_counts(scope="nl")["kinds"])
    everything = page_figures(Client().get("/insight/", {"scope": ""}).content.decode())
    assert everything["countries"] == {"NL": 6, "BE": 2, "DE": 1}


def test_narrowing_to_a_country_and_high_risk(seeded):
    # when the whole network is narrowed to NL and high risk
    html = (
        Client()
        .get("/insight/", {"scope": "", "countries": "NL", "ai_act_class": "high"})
        .content.decode()
    )
    # then every panel counts the three Dutch high-risk projects only
    figures = page_figures(html)
    assert figures["kinds"] == {"project": 3}
    assert figures["ai_act_classes"] == {"high": 3}
    assert 'name="countries" value="NL" checked' in html
    assert 'name="ai_act_classes" value="high" checked' in html


def test_csv_of_one_panel(seeded):
    # when the funding panel is downloaded over the whole network
    response = Client().get(
        "/insight/", {"scope": "", "format": "csv", "panel": "funding"}
    )
    # then it is a CSV file of that panel's rows
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="insight-funding.csv"' in response["Content-Disposition"]
    assert response.content.decode() == (
        "value,label,records,amount_eur\r\n"
        "digital-europe,Digital Europe programme,2,150000\r\n"
        "horizon-europe,Horizon Europe,2,50000\r\n"
    )
    shares = (
        Client()
        .get("/insight/", {"scope": "", "format": "csv", "panel": "transparency"})
        .content.decode()
    )
    assert shares.splitlines()[:2] == [
        "value,label,records,out_of,percent",
        "objection_route,High-risk systems with an objection route,2,4,50.0",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"trl_min": "12"}, "trl_min: at least 1 and at most 9"),
        ({"panel": "nope"}, "panel: unknown [&#x27;nope&#x27;]"),
        ({"format": "pdf"}, "format: html or csv"),
        ({"format": "csv"}, "panel: a CSV holds one panel; name it"),
        ({"level": "galactic"}, "level: unknown"),
    ],
)
def test_bad_parameters_are_refused(seeded, query, message):
    response = Client().get("/insight/", query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_engine_down_answers_503_with_retry_after(search_alias):
    with override_settings(SEARCH_URL=f"http://127.0.0.1:{free_port()}"):
        engine_module.search_engine.cache_clear()
        try:
            response = Client().get("/insight/")
        finally:
            engine_module.search_engine.cache_clear()
    assert response.status_code == 503
    assert response["Retry-After"] == str(engine_module.RETRY_AFTER_SECONDS)
    assert "unavailable" in response.content.decode()
