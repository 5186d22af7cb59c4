"""Record → index document (search.documents): a pure function of the record."""

import pytest

from search.documents import document_build, record_level
from search.index import FACET_FIELDS, catalogue_mapping
from search.types import DRILL_FACETS, FLAT_FACETS
from tests.search.corpus import tombstone, wire

PROJECT_ID = "den-bosch:project:00000000-0000-4000-8000-0000000000a1"


def test_register_search_terms_and_policy_areas_are_searchable_expertise():
    # given a project with the algorithm register's search terms and policy areas
    record = wire(
        kind="project",
        hub="den-bosch",
        record_id=PROJECT_ID,
        tags=["parkeren", "handhaving"],
        policyAreas=["Verkeer"],
    )
    # when
    document = document_build(record)
    # then they are matched like the project's other keywords
    assert document["expertise"] == "parkeren\nhandhaving\nVerkeer"


def test_a_full_project_becomes_its_document():
    # given a project with every field set, from a local hub, in Dutch
    record = wire(kind="project", hub="den-bosch", record_id=PROJECT_ID, full=True)
    # when
    document = document_build(record)
    # then: envelope, place with NUTS ancestors, texts, facets and the wire copy
    assert document == {
        "id": PROJECT_ID,
        "kind": "project",
        "origin": "den-bosch",
        "originPath": ["eu", "nl", "nl-nb", "den-bosch"],
        "level": "local",
        "language": "nl",
        "version": 1,
        "updatedAt": "2026-11-01T10:00:00Z",
        "deleted": False,
        "record": record,
        "country": "NL",
        "nuts": ["NL", "NL4", "NL41", "NL414"],
        "nuts1": ["NL4"],
        "nuts2": ["NL41"],
        "nuts3": ["NL414"],
        "location": {"lat": 51.6978, "lon": 5.3037},
        "title": "Parkeerscan",
        "titleSuggest": "Parkeerscan",
        "summary": "Scan cars to check parking permits.",
        "description": "Cars are scanned.\nFair enforcement of parking permits.\n"
        "An officer checks every fine.\nFalse positives.",
        "expertise": "mobility\npublic administration\ncomputer vision\ndrivers"
        "\nparkeren\nhandhaving\nVerkeer",
        "organisation": "Gemeente 's-Hertogenbosch\nParkeren\nScan BV",
        "i18n": {
            "nl": {
                "title": "Parkeerscan",
                "summary": "Scan cars to check parking permits.",
                "description": "Cars are scanned.\nFair enforcement of parking "
                "permits.\nAn officer checks every fine.\nFalse positives.",
            }
        },
        "themes": ["mobility"],
        "sectors": ["public administration"],
        "technologies": ["computer vision"],
        "affectedGroups": ["drivers"],
        "aiActClass": "high",
        "annexIiiArea": "law-enforcement",
        "status": "in-use",
        "decisionType": "descriptive",
        "trl": 9,
        "publiclyFunded": True,
        "biometricData": False,
        "procurementClauses": True,
        "aiActPackageComplete": True,
        "friaPerformed": True,
        "friaNotified": False,
        "aiActReadinessPublic": True,
        "licence": "EUPL-1.2",
        "humanInfluence": "limited",
        "rightsImpact": "high",
        "impactLevel": "high",
        "fundingProgrammes": ["digital-europe"],
        "impactAssessmentTypes": ["dpia"],
        "sourceCodePublished": True,
        "objectionRoute": True,
        "funding": [{"programme": "digital-europe", "amountEur": 3_000_000_000}],
        "disclosures": [
            "objectionRoute",
            "humanOversight",
            "impactAssessment",
            "sourceCode",
        ],
        "partners": ["nl:organisation:00000000-0000-4000-8000-000000000001"],
        "datasets": ["nl:dataset:00000000-0000-4000-8000-000000000002"],
    }


@pytest.mark.parametrize(
    ("kind", "facets"),
    [
        (
            "dataset",
            {
                "accessRights": "restricted",
                "personalData": "pseudonymised",
                "keywords": ["parking"],
                "themes": ["TRAN"],
                "b2gSharing": True,
                "licence": "CC-BY-4.0",
            },
        ),
        (
            "course",
            {
                "mode": "blended",
                "eqfLevel": 6,
                "schoolLevel": "professional",
                "targetGroups": ["politicians and policy makers"],
            },
        ),
        (
            "organisation",
            {
                "type": "knowledge-institution",
                "sizeClass": "large",
                "openToPartnership": True,
                "services": ["test before invest"],
                "technologies": ["machine learning"],
            },
        ),
    ],
)
def test_every_kind_fills_its_facets_and_title(kind, facets):
    # given a full record of the kind
    record = wire(kind=kind, hub="nl", full=True)
    # when
    document = document_build(record)
    # then
    assert {name: document[name] for name in facets} == facets
    assert (
        document["title"]
        == document["titleSuggest"]
        == (record["body"].get("title") or record["body"]["name"])
    )


def test_every_field_a_document_can_have_is_in_the_mapping():
    # given the mapping (dynamic: false would silently drop unknown fields)
    mapped = catalogue_mapping(engine="opensearch").to_dict()["properties"]
    # when every kind, fully filled, becomes a document
    for kind in ("project", "dataset", "course", "organisation"):
        document = document_build(wire(kind=kind, hub="nl", full=True))
        # then every top-level field is mapped
        assert set(document) - set(mapped) - {"indexedAt"} == set(), kind
    assert set(mapped["i18n"]["properties"]) == {"en", "nl", "de", "fr"}


def test_every_facet_field_is_filled_by_some_document():
    # given every kind, fully filled, as documents
    documents = [
        document_build(wire(kind=kind, hub="nl", full=True))
        for kind in ("project", "dataset", "course", "organisation")
    ]
    filled = {name for document in documents for name in document}
    # then every facet field of the index is filled by one of them, and
    # every facet the search offers counts a facet field (or the hub path)
    assert set(FACET_FIELDS) - filled == set()
    offered = {*FLAT_FACETS.values(), *DRILL_FACETS.values()}
    assert offered - set(FACET_FIELDS) == {"originPath"}


def test_language_picks_the_analysed_copy_and_others_fall_back():
    # given records in English, German and Spanish
    english = document_build(wire(hub="nl", language="en"))
    german = document_build(wire(hub="nl", language="de"))
    spanish = document_build(wire(hub="nl", language="es"))
    # then only the record's own language is filled; Spanish has none
    assert set(english["i18n"]) == {"en"}
    assert set(german["i18n"]) == {"de"}
    assert "i18n" not in spanish
    assert spanish["title"] == "Parkeerscan"


def test_a_tombstone_is_a_deleted_document_with_its_version():
    # given a record and its tombstone
    record = wire(hub="den-bosch", record_id=PROJECT_ID, version=3)
    gone = tombstone(record)
    # when
    document = document_build(gone)
    # then: the envelope and deleted, nothing searchable
    assert document == {
        "id": PROJECT_ID,
        "kind": "project",
        "origin": "den-bosch",
        "originPath": ["eu", "nl", "nl-nb", "den-bosch"],
        "level": "local",
        "language": "nl",
        "version": 4,
        "updatedAt": "2026-11-01T10:00:00Z",
        "deleted": True,
        "record": gone,
    }


def test_country_comes_from_nuts_when_the_record_names_none():
    # given a Greek place given only by its NUTS code
    document = document_build(wire(hub="nl", location={"nuts": ["EL303"]}))
    # then the ISO country is derived (EL → GR)
    assert (document["country"], document["nuts"]) == (
        "GR",
        ["EL", "EL3", "EL30", "EL303"],
    )
    assert "location" not in document


@pytest.mark.parametrize(
    ("location", "level"),
    [
        ({"nuts": ["NL414"]}, "local"),
        ({"nuts": ["NL41"]}, "regional"),
        ({"nuts": ["NL4"]}, "regional"),
        ({"country": "NL"}, "national"),
        (None, "eu"),
    ],
)
def test_without_origin_level_the_level_follows_the_place(location, level):
    # given a record from a hub that does not send originLevel
    record = wire(hub="nl", location=location)
    record["originLevel"] = None
    # when / then
    assert record_level(record) == level


def test_origin_level_wins_over_the_place():
    # given a national hub's record about a municipality
    record = wire(hub="nl", location={"nuts": ["NL414"]})
    # then the origin hub's level counts
    assert record_level(record) == "national"


def test_disclosures_name_only_what_the_project_publishes():
    # given a high-risk project with an objection route and nothing else
    record = wire(
        aiActClass="high", annexIiiArea="employment", objectionProcedure="Mail us."
    )
    # when it becomes a document
    document = document_build(record)
    # then it discloses the objection route alone, and has no funding lines
    assert document["disclosures"] == ["objectionRoute"]
    assert "funding" not in document
