"""schema.org JSON-LD built from records in wire form (``cms.jsonld``): the same
function for pages, federated records and (later) the API."""

from __future__ import annotations

import json

import pytest

from cms.jsonld import record_jsonld
from federation.selectors import record_wire
from tests.federation.factories import body_full, wire_record

pytestmark = pytest.mark.django_db


def full(kind: str, **overrides) -> dict:
    return wire_record(kind=kind, body=body_full(kind, **overrides))


def test_a_project_is_a_software_application():
    record = full("project")
    jsonld = record_jsonld(record)
    assert jsonld["@type"] == "SoftwareApplication"
    assert jsonld["@id"] == jsonld["url"] == record["url"]
    assert jsonld["identifier"] == record["id"]
    assert jsonld["inLanguage"] == "nl"
    assert jsonld["dateModified"] == "2026-11-01T10:00:00Z"
    assert jsonld["name"] == "Parkeerscan"
    assert jsonld["abstract"] == "Scan cars to check parking permits."
    assert jsonld["description"] == "Cars are scanned."
    assert jsonld["provider"] == {
        "@type": "Organization",
        "name": "Gemeente 's-Hertogenbosch",
        "contactPoint": {
            "@type": "ContactPoint",
            "name": "Team Parkeren",
            "email": "parkeren@example.org",
            "url": "https://example.org/parkeren",
        },
        "department": {"@type": "Organization", "name": "Parkeren"},
    }
    assert jsonld["creativeWorkStatus"] == "In gebruik"  # the record's language
    assert jsonld["license"] == "https://spdx.org/licenses/EUPL-1.2.html"
    assert jsonld["isBasedOn"] == [
        {
            "@type": "Dataset",
            "identifier": "nl:dataset:00000000-0000-4000-8000-000000000002",
        },
        {
            "@type": "SoftwareSourceCode",
            "codeRepository": "https://example.org/code",
            "license": "https://spdx.org/licenses/EUPL-1.2.html",
        },
    ]
    assert jsonld["contributor"] == [
        {
            "@type": "Role",
            "roleName": "Leverancier",
            "contributor": {
                "@type": "Organization",
                "identifier": "nl:organisation:00000000-0000-4000-8000-000000000001",
            },
        }
    ]
    assert jsonld["funding"] == [
        {
            "@type": "MonetaryGrant",
            "name": "Programma Digitaal Europa",
            "amount": {
                "@type": "MonetaryAmount",
                "value": 3_000_000_000,
                "currency": "EUR",
            },
        }
    ]
    assert jsonld["audience"] == [{"@type": "Audience", "audienceType": "drivers"}]
    assert jsonld["temporalCoverage"] == "2021-03-01/2027-12-31"
    assert jsonld["spatialCoverage"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 51.6978,
        "longitude": 5.3037,
    }


def test_an_eu_data_theme_is_a_defined_term_with_its_uri():
    jsonld = record_jsonld(full("dataset"))
    assert jsonld["about"] == [
        {
            "@type": "DefinedTerm",
            "name": "Vervoer",
            "@id": "http://publications.europa.eu/resource/authority/data-theme/TRAN",
            "termCode": "TRAN",
        }
    ]


def test_a_dataset_has_its_distributions_as_data_downloads():
    jsonld = record_jsonld(full("dataset"))
    assert jsonld["@type"] == "Dataset"
    assert jsonld["distribution"] == [
        {
            "@type": "DataDownload",
            "contentUrl": "https://example.org/data.csv",
            "url": "https://example.org/data",
            "encodingFormat": "text/csv",
            "contentSize": "5000000000 B",
        }
    ]
    assert jsonld["isAccessibleForFree"] is False
    assert jsonld["temporalCoverage"] == "2020-01-01/2025-12-31"


def test_a_course_has_a_course_instance():
    jsonld = record_jsonld(full("course"))
    assert jsonld["@type"] == "Course"
    assert jsonld["inLanguage"] == ["nl", "en"]
    assert jsonld["timeRequired"] == "PT16H"
    assert jsonld["offers"] == {
        "@type": "Offer",
        "price": 450.5,
        "priceCurrency": "EUR",
        "category": "Paid",
    }
    (instance,) = jsonld["hasCourseInstance"]
    assert instance["@type"] == "CourseInstance"
    assert instance["courseMode"] == "Blended"
    assert (instance["startDate"], instance["endDate"]) == ("2026-02-01", "2026-02-02")
    assert instance["location"]["name"] == "Den Bosch"
    # an online course has no place
    online = record_jsonld(full("course", mode="online"))
    assert "location" not in online["hasCourseInstance"][0]
    assert online["hasCourseInstance"][0]["courseMode"] == "Online"


def test_an_organisation_is_an_organization_with_its_identifiers():
    record = full("organisation")
    jsonld = record_jsonld(record)
    assert jsonld["@type"] == "Organization"
    assert jsonld["@id"] == jsonld["mainEntityOfPage"] == record["url"]
    assert jsonld["url"] == "https://www.tue.nl/"
    assert jsonld["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "hubnet", "value": record["id"]},
        {"@type": "PropertyValue", "propertyID": "kvk", "value": "17105542"},
        {"@type": "PropertyValue", "propertyID": "ror", "value": "02c2kyt77"},
    ]
    assert jsonld["sameAs"] == "https://ror.org/02c2kyt77"
    assert jsonld["numberOfEmployees"] == {
        "@type": "QuantitativeValue",
        "minValue": 250,
    }
    assert jsonld["seeks"] == {"@type": "Demand", "name": "Partners voor projecten"}
    assert "inLanguage" not in jsonld  # not a property of organisations


def test_a_stored_record_and_its_wire_form_give_the_same_json_ld():
    from tests.federation.factories import stored_record

    stored = stored_record(kind="dataset", body=body_full("dataset"))
    assert record_jsonld(stored) == record_jsonld(record_wire(stored))


def test_a_tombstone_is_a_bare_node():
    record = wire_record(kind="course", deleted=True)
    assert record_jsonld(record) == {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": record["url"],
        "url": record["url"],
        "identifier": record["id"],
    }


@pytest.mark.parametrize("kind", ["project", "dataset", "course", "organisation"])
def test_minimal_records_give_valid_json_without_empty_values(kind):
    jsonld = record_jsonld(wire_record(kind=kind))
    text = json.dumps(jsonld)
    assert json.loads(text) == jsonld
    assert "null" not in text
    assert "[]" not in text
    assert '""' not in text
