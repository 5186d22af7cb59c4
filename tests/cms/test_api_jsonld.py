"""Records as schema.org JSON-LD from the API: ``/api/v1/records/<id>.jsonld``
and the detail negotiated with ``Accept: application/ld+json``."""

from __future__ import annotations

import pytest
from django.test import Client

from cms.jsonld import record_jsonld
from federation.services.store import record_tombstone
from tests.cms.catalogue import federated, own_records
from tests.cms.factories import logged_in, user_in

pytestmark = pytest.mark.django_db

JSONLD = "application/ld+json"
TYPES = {
    "project": "SoftwareApplication",
    "dataset": "Dataset",
    "course": "Course",
    "organisation": "Organization",
}


def jsonld_url(record_id: str) -> str:
    return f"/api/v1/records/{record_id}.jsonld"


def detail_url(record_id: str) -> str:
    return f"/api/v1/records/{record_id}/"


@pytest.mark.parametrize("kind", list(TYPES))
def test_each_kind_is_its_schema_org_type(client, kind):
    # given a full record of the kind from another hub (its id holds colons)
    record = federated(kind, full=True)
    # when its JSON-LD is fetched
    response = client.get(jsonld_url(record.record_id))
    # then it is the record's JSON-LD, as the pages embed it
    assert response.status_code == 200
    assert response["Content-Type"] == JSONLD
    data = response.json()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == TYPES[kind]
    assert data == record_jsonld(record)


def test_a_course_has_a_complete_course_instance(client):
    record = federated("course", full=True)
    (instance,) = client.get(jsonld_url(record.record_id)).json()["hasCourseInstance"]
    assert instance["@type"] == "CourseInstance"
    assert instance["courseMode"] == "Blended"
    assert instance["eventAttendanceMode"] == (
        "https://schema.org/MixedEventAttendanceMode"
    )
    assert instance["courseWorkload"] == "PT16H"
    assert (instance["startDate"], instance["endDate"]) == ("2026-02-01", "2026-02-02")
    assert instance["location"]["@type"] == "Place"
    assert instance["url"]


def test_the_detail_negotiates_json_ld(client):
    record = federated("dataset", full=True)
    url = detail_url(record.record_id)
    # with Accept: application/ld+json the detail is the JSON-LD
    response = client.get(url, HTTP_ACCEPT=JSONLD)
    assert response.status_code == 200
    assert response["Content-Type"] == JSONLD
    assert response.json() == record_jsonld(record)
    assert "Accept" in response["Vary"]
    # without it, the wire form as before
    plain = client.get(url)
    assert plain["Content-Type"] == "application/json"
    assert plain.json()["id"] == record.record_id
    assert "Accept" in plain["Vary"]
    # JSON preferred over JSON-LD stays JSON
    preferred = client.get(url, HTTP_ACCEPT=f"application/json, {JSONLD};q=0.5")
    assert preferred["Content-Type"] == "application/json"


def test_unknown_and_malformed_ids_are_404(client):
    for unknown in (
        "nl:project:00000000-0000-4000-8000-000000000000",
        "not-a-record-id",
        "nl:project:%00",
    ):
        response = client.get(jsonld_url(unknown))
        assert response.status_code == 404
        assert response.json() == {"detail": "This hub holds no record with this id."}
        assert client.get(detail_url(unknown), HTTP_ACCEPT=JSONLD).status_code == 404


def test_a_withdrawn_record_is_gone_with_its_bare_node(client):
    # given a withdrawn course
    gone = own_records("course", 1)[0]
    tombstone = record_tombstone(record_id=gone.record_id)
    expected = record_jsonld(tombstone)
    assert {"@context", "@type", "identifier"} <= set(expected)
    assert "name" not in expected
    # then its JSON-LD is 410 Gone with the bare node, on both routes
    for response in (
        client.get(jsonld_url(gone.record_id)),
        client.get(detail_url(gone.record_id), HTTP_ACCEPT=JSONLD),
    ):
        assert response.status_code == 410
        assert response["Content-Type"] == JSONLD
        assert response.json() == expected
    # while the wire form still answers the tombstone (peers need its version)
    wire = client.get(detail_url(gone.record_id))
    assert wire.status_code == 200
    assert wire.json()["deleted"] is True


@pytest.mark.parametrize("role", ["anonymous", "Editors", "Coordinators", "superuser"])
def test_everyone_reads_nobody_writes(role):
    record = federated("project")
    if role == "anonymous":
        client = logged_in(None)
    elif role == "superuser":
        client = logged_in(user_in(None, username="root", superuser=True))
    else:
        client = logged_in(user_in(role, username=role.lower()))
    url = jsonld_url(record.record_id)
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(
            url, data={}, content_type="application/json"
        )
        assert response.status_code == 405


def test_the_openapi_schema_documents_json_ld():
    schema = (
        Client()
        .get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        .json()
    )
    operation = schema["paths"]["/api/v1/records/{record_id}.jsonld"]["get"]
    assert set(operation["responses"]) >= {"200", "404", "410", "429"}
    assert list(operation["responses"]["200"]["content"]) == [JSONLD]
    detail = schema["paths"]["/api/v1/records/{record_id}/"]["get"]
    assert set(detail["responses"]["200"]["content"]) == {"application/json", JSONLD}
