"""The REST API: records in wire form, filters, paging, query cost, who may do
what, throttling, and the OpenAPI schema with its Swagger UI."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.api.serializers import RecordSerializer
from federation.models import ChangeSequence, StoredRecord
from federation.records import Record
from federation.selectors import record_wire
from federation.services.store import record_tombstone
from tests.cms.catalogue import federated, own_records
from tests.cms.factories import logged_in, project_page, user_in

pytestmark = pytest.mark.django_db

LIST = "/api/v1/records/"


def detail_url(record_id: str) -> str:
    return f"{LIST}{record_id}/"


def ids(response: Any) -> set[str]:
    return {record["id"] for record in response.json()["results"]}


def test_the_list_holds_own_and_federated_records_in_wire_form(client):
    # given a published page of this hub and a record from another hub
    page = project_page(publish=True)
    own = StoredRecord.objects.get(record_id=page.record_id)
    other = federated("dataset")
    # when the list is fetched
    response = client.get(LIST)
    # then both are there, newest change first, exactly as peers exchange them,
    # with who signed each: this hub signed its own (verified), the other none
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    signed = {"signedBy": "hub", "keyId": own.key_id, "verified": True}
    assert response.json() == {
        "next": None,
        "previous": None,
        "results": [
            {**record_wire(other), "provenance": None},
            {**record_wire(own), "provenance": signed},
        ],
    }
    assert len(own.key_id) == 16


def test_tombstones_are_left_out_unless_asked_for(client):
    # given a live record and a withdrawn one
    kept = federated("project")
    gone = own_records("course", 1)[0]
    record_tombstone(record_id=gone.record_id)
    # then the list shows the live one, and both when tombstones are asked for
    assert ids(client.get(LIST)) == {kept.record_id}
    assert ids(client.get(LIST, {"include_deleted": "true"})) == {
        kept.record_id,
        gone.record_id,
    }


def test_the_detail_of_a_record_a_tombstone_and_an_unknown_id(client):
    record = federated("organisation", full=True)
    response = client.get(detail_url(record.record_id))
    assert response.status_code == 200
    assert response.json() == {**record_wire(record), "provenance": None}
    # a withdrawn record is its tombstone
    gone = own_records("dataset", 1)[0]
    record_tombstone(record_id=gone.record_id)
    tombstone = client.get(detail_url(gone.record_id)).json()
    assert (tombstone["deleted"], tombstone["body"], tombstone["version"]) == (
        True,
        None,
        2,
    )
    # unknown and malformed ids are not found, in JSON
    for unknown in (
        "nl:project:00000000-0000-4000-8000-000000000000",
        "not-a-record-id",
        "nl:project:%00",
    ):
        response = client.get(detail_url(unknown))
        assert response.status_code == 404
        assert response.json() == {"detail": "This hub holds no record with this id."}


@pytest.fixture
def catalogue() -> dict[str, str]:
    """Six records, told apart by every filter; their ids by name."""
    records = {
        "pilot_nl": federated(
            "project",
            origin="nl",
            status="pilot",
            themes=["TRAN"],
            aiActClass="high",
            annexIiiArea="essential-services",
            location={"nuts": ["NL414"], "country": "NL"},
        ),
        "in_use_be": federated(
            "project",
            origin="be",
            status="in-use",
            themes=["HEAL"],
            aiActClass="minimal",
            location={"nuts": ["BE211"]},
        ),
        "public_data": own_records(
            "dataset",
            1,
            accessRights="public",
            themes=["TRAN"],
            location={"nuts": ["NL413"], "country": "NL"},
        )[0],
        "course": StoredRecord.objects.get(
            record_id=federated(
                "course",
                origin="nl-nb",
                targetGroups=["smes"],
                mode="online",
                location={"country": "NL"},
            ).record_id
        ),
        "open_sme": federated(
            "organisation",
            origin="be",
            type="sme",
            services=["test-before-invest"],
            openToPartnership=True,
            location={"nuts": ["BE1"]},
        ),
        "closed_company": own_records(
            "organisation", 1, type="company", openToPartnership=False
        )[0],
    }
    # the course comes from a hub below nl
    StoredRecord.objects.filter(record_id=records["course"].record_id).update(
        origin_path=["eu", "nl", "nl-nb"]
    )
    # one record changed later than the others
    StoredRecord.objects.update(updated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    StoredRecord.objects.filter(record_id=records["course"].record_id).update(
        updated_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    )
    return {name: record.record_id for name, record in records.items()}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "project"}, {"pilot_nl", "in_use_be"}),
        ({"status": "pilot"}, {"pilot_nl"}),
        ({"theme": "TRAN"}, {"pilot_nl", "public_data"}),
        ({"ai_act_class": "minimal"}, {"in_use_be"}),
        ({"access_rights": "public"}, {"public_data"}),
        ({"target_group": "smes"}, {"course"}),
        ({"mode": "online"}, {"course"}),
        ({"organisation_type": "sme"}, {"open_sme"}),
        ({"service": "test-before-invest"}, {"open_sme"}),
        ({"open_to_partnership": "true"}, {"open_sme"}),
        ({"open_to_partnership": "false"}, {"closed_company"}),
        ({"country": "NL"}, {"pilot_nl", "public_data", "course"}),
        ({"country": "BE"}, {"in_use_be", "open_sme"}),
        ({"nuts": "NL"}, {"pilot_nl", "public_data"}),
        ({"nuts": "NL4"}, {"pilot_nl", "public_data"}),
        ({"nuts": "NL41"}, {"pilot_nl", "public_data"}),
        ({"nuts": "NL414"}, {"pilot_nl"}),
        ({"nuts": "BE2"}, {"in_use_be"}),
        ({"nuts": "DE1"}, set()),
        ({"origin": "be"}, {"in_use_be", "open_sme"}),
        ({"within": "nl"}, {"pilot_nl", "course"}),
        ({"within": "nl-nb"}, {"course"}),
        ({"within": "eu"}, {"pilot_nl", "in_use_be", "course", "open_sme"}),
        ({"within": "hub"}, {"public_data", "closed_company"}),
        ({"updated_since": "2024-06-01T00:00:00Z"}, {"course"}),
        ({"kind": "project", "country": "NL"}, {"pilot_nl"}),
        ({"theme": "TRAN", "nuts": "NL413"}, {"public_data"}),
    ],
)
def test_each_filter(client, catalogue, query, expected):
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert ids(response) == {catalogue[name] for name in expected}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"nuts": "nl41"}, "nuts"),
        ({"country": "Netherlands"}, "country"),
        ({"kind": "report"}, "kind"),
        ({"status": "done"}, "status"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"within": "Not a slug"}, "within"),
    ],
)
def test_a_malformed_filter_is_a_bad_request_naming_it(client, query, field):
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_pages_follow_a_cursor_without_gaps_or_repeats(client):
    # given 25 records
    made = {record.record_id for record in own_records("organisation", 25)}
    # when a client follows the pages of 10
    seen: list[str] = []
    sizes = []
    url = f"{LIST}?page_size=10"
    while url:
        page = client.get(url).json()
        sizes.append(len(page["results"]))
        seen += [record["id"] for record in page["results"]]
        url = page["next"]
    # then it sees every record once, in three pages
    assert sizes == [10, 10, 5]
    assert len(seen) == len(set(seen)) == 25
    assert set(seen) == made


def test_the_page_size_is_bounded(client):
    own_records("course", 105)
    assert len(client.get(LIST).json()["results"]) == 20
    assert len(client.get(LIST, {"page_size": "100"}).json()["results"]) == 100
    for wrong in ("101", "0", "-3", "ten"):
        response = client.get(LIST, {"page_size": wrong})
        assert response.status_code == 400
        assert response.json() == {"page_size": ["A whole number from 1 to 100."]}


def test_an_invalid_cursor_is_a_bad_request(client):
    response = client.get(LIST, {"cursor": "bz1hYmM="})  # "o=abc"
    assert response.status_code == 400
    assert response.json() == {
        "cursor": ["Invalid cursor: use a next or previous link as given."]
    }


def list_queries(client: Client, count: int) -> int:
    StoredRecord.objects.all().delete()
    own_records("project", count)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"page_size": "50"})
    assert len(response.json()["results"]) == count
    return len(queries)


def test_the_list_costs_one_query_for_5_or_50_records(
    client, django_assert_max_num_queries
):
    # the same number of queries for 5 and for 50 records
    assert list_queries(client, 5) == list_queries(client, 50) == 1
    # and filtered on body fields, paged with a cursor, still one
    with django_assert_max_num_queries(1):
        response = client.get(
            LIST,
            {"kind": "project", "status": "in-use", "nuts": "NL4", "page_size": "20"},
        )
    assert len(response.json()["results"]) == 20
    next_url = response.json()["next"]
    with django_assert_max_num_queries(1):
        assert client.get(next_url).status_code == 200


ROLES = ["anonymous", "Editors", "Coordinators", "superuser"]
WRITES = ["post", "put", "patch", "delete"]


def client_as(role: str) -> Client:
    if role == "anonymous":
        return logged_in(None)
    if role == "superuser":
        return logged_in(user_in(None, username="root", superuser=True))
    return logged_in(user_in(role, username=role.lower()))


def catalogue_state() -> tuple[list[dict[str, Any]], int]:
    rows = list(StoredRecord.objects.order_by("pk").values())
    return rows, ChangeSequence.objects.get(pk=1).value


@pytest.mark.parametrize("role", ROLES)
def test_the_api_reads_for_everyone_and_writes_for_nobody(role):
    # given an own record and a federated one
    page = project_page(publish=True)
    other = federated("project")
    client = client_as(role)
    before = catalogue_state()
    for url in (LIST, detail_url(page.record_id), detail_url(other.record_id)):
        # then everyone may read
        assert client.get(url).status_code == 200
        assert client.head(url).status_code == 200
        # and nobody may write: the method is not allowed, for anyone
        for method in WRITES:
            response = getattr(client, method)(
                url,
                data={"body": {"name": "Changed"}, "deleted": True},
                content_type="application/json",
            )
            assert response.status_code == 405, (role, method, url)
            assert response["Allow"] == "GET, HEAD, OPTIONS"
    # and nothing changed
    assert catalogue_state() == before


def test_a_logged_in_browser_is_refused_by_the_csrf_check_first():
    # given a superuser's browser session, which sends no CSRF token
    federated("course")
    before = catalogue_state()
    client = logged_in(user_in(None, username="root", superuser=True))
    client.handler.enforce_csrf_checks = True
    # when it posts, it is refused before anything else, and nothing changes
    response = client.post(LIST, data={}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    assert catalogue_state() == before


def test_anonymous_clients_are_throttled(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    statuses = [client.get(LIST).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(LIST)
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"].startswith("Request was throttled.")


def test_logged_in_users_have_their_own_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "3/minute"},
    }
    client = logged_in(user_in("Editors", username="eddie"))
    statuses = [client.get(LIST).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_openapi_schema_describes_the_public_api_only(client):
    response = client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"] == "3.0.3"
    assert all(path.startswith("/api/") for path in schema["paths"])
    assert {"/api/v1/records/", "/api/v1/records/{record_id}/"} <= set(schema["paths"])
    parameters = {
        parameter["name"]
        for parameter in schema["paths"]["/api/v1/records/"]["get"]["parameters"]
    }
    assert {
        "kind",
        "status",
        "theme",
        "country",
        "nuts",
        "origin",
        "within",
        "updated_since",
        "include_deleted",
        "cursor",
        "page_size",
    } <= parameters
    # the body is one of the record schema's four bodies
    body = schema["components"]["schemas"]["RecordBody"]
    assert body["oneOf"] == [
        {"$ref": f"#/components/schemas/{name}"}
        for name in ("ProjectBody", "DatasetBody", "CourseBody", "OrganisationBody")
    ]
    # only reads are described
    assert {
        method
        for operations in schema["paths"].values()
        for method in operations
        if method not in ("parameters",)
    } == {"get"}


def test_swagger_ui_is_served_from_this_hub_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    )
    assert "/api/schema/" in html
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs"):
        assert cdn not in html


def test_the_record_serializer_has_exactly_the_fields_of_the_record_schema():
    # and who signed it, as this hub verified it
    wire_names = [field.alias for field in Record.model_fields.values()]
    assert list(RecordSerializer().fields) == [*wire_names, "provenance"]
