"""The index pages: the catalogue's records of one kind (own and federated),
filtered with a GET form that works without JavaScript, in pages."""

from __future__ import annotations

import pytest

from tests.cms.catalogue import federated, own_records
from tests.cms.factories import index_page
from tests.cms.html import soup_of, text_of

pytestmark = pytest.mark.django_db


def titles(client, kind: str, query: dict[str, str] | None = None) -> set[str]:
    response = client.get(index_page(kind).url, query or {})
    assert response.status_code == 200
    return {text_of(link) for link in soup_of(response.content).select(".items h3 a")}


@pytest.fixture
def projects():
    federated(
        "project",
        name="Pilot in Brabant",
        status="pilot",
        themes=["TRAN"],
        aiActClass="high",
        annexIiiArea="essential-services",
        location={"nuts": ["NL414"], "country": "NL"},
    )
    federated(
        "project",
        origin="be",
        name="In use in Brussels",
        status="in-use",
        themes=["HEAL"],
        aiActClass="minimal",
        location={"nuts": ["BE100"]},
    )
    own_records("project", 1, name="Own idea", status="idea", location={})


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"Pilot in Brabant", "In use in Brussels", "Own idea"}),
        ({"status": "pilot"}, {"Pilot in Brabant"}),
        ({"theme": "HEAL"}, {"In use in Brussels"}),
        ({"ai_act_class": "high"}, {"Pilot in Brabant"}),
        ({"country": "BE"}, {"In use in Brussels"}),
        ({"nuts": "nl41"}, {"Pilot in Brabant"}),
        ({"nuts": "BE"}, {"In use in Brussels"}),
        ({"scope": "own"}, {"Own idea"}),
        ({"text": "brus"}, {"In use in Brussels"}),
        ({"status": "pilot", "country": "BE"}, set()),
    ],
)
def test_project_filters(client, projects, query, expected):
    assert titles(client, "project", query) == expected


def test_dataset_filters(client):
    federated("dataset", title="Open permits", accessRights="public", themes=["TRAN"])
    federated(
        "dataset",
        title="Closed health data",
        accessRights="non-public",
        themes=["HEAL"],
    )
    assert titles(client, "dataset", {"access_rights": "public"}) == {"Open permits"}
    assert titles(client, "dataset", {"theme": "HEAL"}) == {"Closed health data"}


def test_course_filters(client):
    federated("course", title="AI for SMEs", targetGroups=["smes"], mode="online")
    federated("course", title="AI for pupils", targetGroups=["pupils"], mode="on-site")
    assert titles(client, "course", {"target_group": "smes"}) == {"AI for SMEs"}
    assert titles(client, "course", {"mode": "on-site"}) == {"AI for pupils"}


def test_organisation_filters(client):
    federated(
        "organisation",
        name="Open SME",
        type="sme",
        openToPartnership=True,
        services=["test-before-invest"],
    )
    federated("organisation", name="Closed company", type="company")
    assert titles(client, "organisation", {"open_to_partnership": "on"}) == {"Open SME"}
    assert titles(client, "organisation", {"organisation_type": "company"}) == {
        "Closed company"
    }
    assert titles(client, "organisation", {"service": "test-before-invest"}) == {
        "Open SME"
    }


def test_a_wrong_region_is_explained_and_the_other_filters_still_apply(
    client, projects
):
    response = client.get(index_page("project").url, {"nuts": "XX9", "status": "pilot"})
    soup = soup_of(response.content)
    assert text_of(soup.select_one(".field-error .errorlist")) == (
        "XX9 is not a NUTS 2021 region code, e.g. NL41."
    )
    assert soup.find("input", attrs={"name": "nuts"})["aria-invalid"] == "true"
    assert {text_of(a) for a in soup.select(".items h3 a")} == {"Pilot in Brabant"}


def test_the_form_keeps_the_choices_and_offers_to_clear_them(client, projects):
    soup = soup_of(client.get(index_page("project").url, {"status": "pilot"}).content)
    form = soup.find("form", class_="filters")
    assert form["method"] == "get"
    assert form["role"] == "search"
    assert (
        form.find("select", attrs={"name": "status"}).find("option", selected=True)[
            "value"
        ]
        == "pilot"
    )
    assert text_of(soup.find(id="results-heading")) == "1 result"
    assert form.find("a", string="Clear filters")["href"] == index_page("project").url
    unfiltered = soup_of(client.get(index_page("project").url).content)
    assert unfiltered.find("a", string="Clear filters") is None


def test_results_come_in_pages_that_keep_the_filters(client):
    own_records("course", 25, mode="online")
    own_records("course", 3, mode="on-site")
    url = index_page("course").url
    first = soup_of(client.get(url, {"mode": "online"}).content)
    assert text_of(first.find(id="results-heading")) == "25 results (page 1 of 2)"
    assert len(first.select(".items > li")) == 20
    pages = first.find("nav", class_="pagination")
    assert pages["aria-label"] == "Pages"
    assert pages.find("a", attrs={"aria-current": "page"})["href"] == (
        "?mode=online&page=1"
    )
    next_href = pages.find("a", rel="next")["href"]
    assert next_href == "?mode=online&page=2"
    second = soup_of(client.get(url + next_href).content)
    assert len(second.select(".items > li")) == 5
    assert second.find("a", rel="prev")["href"] == "?mode=online&page=1"
