"""Transparency filters and facets narrow to exactly the records that say so,
on the real OpenSearch node, through SearchParams and the query string alike."""

import pytest
from bs4 import BeautifulSoup
from django.http import QueryDict
from django.test import Client

from search.engine import search_engine
from search.queries import catalogue_search
from search.query_string import search_params_parse
from search.types import SearchParams, SearchParamsInvalid
from tests.federation.factories import graphql_post
from tests.search.corpus import index_all, wire

IA = {"title": "Assessment"}


@pytest.fixture(scope="module")
def seeded(search_alias):
    """Seven records with known transparency facts, by name."""
    records = {
        "scan": wire(
            name="scan",
            biometricData=True,
            publiclyFunded=True,
            sourceCodeUrl="https://code.example.org/scan",
            licence="EUPL-1.2",
            procurementClauses=True,
            decisionType="predictive",
            objectionProcedure="Object within six weeks.",
            impactAssessments=[{"type": "dpia", **IA}, {"type": "iama", **IA}],
            funding=[{"programme": "erdf"}, {"programme": "horizon-europe"}],
            humanInfluence="limited",
            rightsImpact="high",
            impactLevel="high",
        ),
        "route": wire(
            name="route",
            biometricData=False,
            publiclyFunded=True,
            procurementClauses=False,
            decisionType="descriptive",
            impactAssessments=[{"type": "dpia", **IA}],
            funding=[{"programme": "erdf"}],
            humanInfluence="full",
            rightsImpact="low",
            impactLevel="low",
        ),
        "chat": wire(
            name="chat",
            publiclyFunded=False,
            objectionProcedure="   ",
            decisionType="prescriptive",
            impactLevel="medium",
        ),
        "open-data": wire(kind="dataset", title="open-data", b2gSharing=True),
        "closed-data": wire(kind="dataset", title="closed-data", b2gSharing=False),
        "basics": wire(
            kind="course", title="basics", eqfLevel=4, schoolLevel="upper-secondary"
        ),
        "master": wire(kind="course", title="master", eqfLevel=7),
    }
    index_all(search_engine(), list(records.values()))
    return {name: record["id"] for name, record in records.items()}


def _found(seeded, **filters) -> set[str]:
    results = catalogue_search(params=SearchParams(size=100, facets=(), **filters))
    names = {record_id: name for name, record_id in seeded.items()}
    return {names[hit.id] for hit in results.hits}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"biometric_data": True}, {"scan"}),
        ({"biometric_data": False}, {"route"}),
        ({"publicly_funded": True}, {"scan", "route"}),
        ({"publicly_funded": False}, {"chat"}),
        ({"source_code_published": True}, {"scan"}),
        ({"source_code_published": False}, {"route", "chat"}),
        ({"licences": ["EUPL-1.2"]}, {"scan"}),
        ({"procurement_clauses": True}, {"scan"}),
        ({"procurement_clauses": False}, {"route"}),
        ({"b2g_sharing": True}, {"open-data"}),
        ({"b2g_sharing": False}, {"closed-data"}),
        ({"decision_types": ["predictive", "descriptive"]}, {"scan", "route"}),
        # a blank objection procedure names no way to object
        ({"objection_route": True}, {"scan"}),
        ({"objection_route": False}, {"route", "chat"}),
        ({"impact_assessments": ["iama"]}, {"scan"}),
        ({"impact_assessments": ["dpia"]}, {"scan", "route"}),
        ({"school_levels": ["upper-secondary"]}, {"basics"}),
        ({"eqf_levels": [7]}, {"master"}),
        ({"eqf_levels": [4, 7]}, {"basics", "master"}),
        ({"funding_programmes": ["horizon-europe"]}, {"scan"}),
        ({"funding_programmes": ["erdf"]}, {"scan", "route"}),
        ({"impact_levels": ["high", "medium"]}, {"scan", "chat"}),
        ({"impact_levels": ["low"], "publicly_funded": True}, {"route"}),
    ],
)
def test_each_filter_narrows_to_exactly_the_records_that_say_so(
    seeded, filters, expected
):
    assert _found(seeded, **filters) == expected


def test_the_query_string_reads_every_transparency_parameter(seeded):
    # given the parameters as a search page or API client sends them
    query = QueryDict(
        "biometric_data=false&publicly_funded=true&objection_route=false"
        "&decision_type=descriptive&impact_assessment=dpia&funding_programme=erdf"
        "&impact_level=low&source_code_published=0&procurement_clauses=False"
    )
    # when they are parsed and searched
    params = search_params_parse(query, size=100, facets=())
    # then they narrow as the same filters given directly
    assert {hit.id for hit in catalogue_search(params=params).hits} == {seeded["route"]}
    courses = search_params_parse(QueryDict("eqf_level=4&eqf_levels=7"))
    assert courses.eqf_levels == (4, 7)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("eqf_level=9", "eqf_level: unknown ['9']"),
        ("impact_level=extreme", "impact_level: unknown ['extreme']"),
        ("objection_route=maybe", "objection_route: true or false"),
    ],
)
def test_bad_transparency_parameters_are_named(query, reason):
    with pytest.raises(SearchParamsInvalid) as error:
        search_params_parse(QueryDict(query))
    assert str(error.value).startswith(reason)


def test_facets_count_the_transparency_facts(seeded):
    # when every record is searched with the transparency facets
    names = (
        "biometric_data",
        "objection_route",
        "source_code_published",
        "impact_assessments",
        "impact_levels",
        "funding_programmes",
        "b2g_sharing",
        "eqf_levels",
        "school_levels",
        "decision_types",
        "publicly_funded",
        "procurement_clauses",
        "licences",
    )
    results = catalogue_search(params=SearchParams(size=0, facets=names))
    counts = {
        name: {bucket.value: bucket.count for bucket in buckets}
        for name, buckets in results.facets.items()
    }
    # then each counts the records above
    assert counts == {
        "biometric_data": {True: 1, False: 1},
        "objection_route": {True: 1, False: 2},
        "source_code_published": {True: 1, False: 2},
        "impact_assessments": {"dpia": 2, "iama": 1},
        "impact_levels": {"high": 1, "medium": 1, "low": 1},
        "funding_programmes": {"erdf": 2, "horizon-europe": 1},
        "b2g_sharing": {True: 1, False: 1},
        "eqf_levels": {4: 1, 7: 1},
        "school_levels": {"upper-secondary": 1},
        "decision_types": {"predictive": 1, "descriptive": 1, "prescriptive": 1},
        "publicly_funded": {True: 2, False: 1},
        "procurement_clauses": {True: 1, False: 1},
        "licences": {"EUPL-1.2": 1},
    }


def test_a_selected_yes_no_value_is_marked(seeded):
    results = catalogue_search(
        params=SearchParams(size=0, facets=("objection_route",), objection_route=True)
    )
    assert [(b.value, b.selected) for b in results.facets["objection_route"]] == [
        (False, False),
        (True, True),
    ]


@pytest.mark.django_db
def test_graphql_search_takes_the_transparency_filters(seeded, client):
    # when GraphQL's search is asked for publicly funded projects without a way
    # to object, and for EQF level 7 courses
    query = """{
      funded: search(publiclyFunded: true, objectionRoute: false, first: 10) {
        totalCount hits { title }
        facets { name buckets { value count } }
      }
      courses: search(eqfLevels: [7], impactLevels: [], first: 10) {
        hits { title }
      }
    }"""
    status, body = graphql_post(client, query)
    # then each narrows as the same filters do in the REST API
    assert status == 200, body
    funded = body["data"]["funded"]
    assert [hit["title"] for hit in funded["hits"]] == ["route"]
    facets = {facet["name"]: facet["buckets"] for facet in funded["facets"]}
    assert facets["impact_levels"] == [{"value": "low", "count": 1}]
    assert [hit["title"] for hit in body["data"]["courses"]["hits"]] == ["master"]


@pytest.mark.django_db
def test_the_search_page_offers_the_transparency_facets_with_labels(seeded):
    # when the search page is filtered on a way to object, in Dutch
    response = Client().get(
        "/search/", {"objection_route": "True"}, headers={"accept-language": "nl"}
    )
    # then the one project with a way to object is found
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#result-total").text == "1"
    # and the facets name their values in words
    facet = soup.select_one('fieldset[data-facet="objection_route"]')
    assert facet.legend.text == "Bezwaarmogelijkheid vermeld"
    assert [label.get_text(" ", strip=True) for label in facet.select("label")] == [
        "Nee (2)",
        "Ja (1)",
    ]
    # valued as the API's JSON writes them, so the page's script matches them
    assert facet.select_one("input[checked]")["value"] == "true"
    assert [span["data-value"] for span in facet.select(".count")] == [
        "false",
        "true",
    ]
    levels = soup.select_one('fieldset[data-facet="impact_levels"]')
    assert "Hoge impact (1)" in levels.get_text(" ", strip=True)
