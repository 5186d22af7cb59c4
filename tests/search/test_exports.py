"""Exports of search results (CSV and Excel) on the real OpenSearch node: the
rows are exactly the search's hits across many batches, every filter and the
scope apply, cells are formula-safe, and errors come before any byte."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import requests
from django.test import Client
from django.test.utils import override_settings
from openpyxl import load_workbook

from search import engine as engine_module
from search.engine import search_engine
from search.exports import COLUMN_NAMES, cell_text_safe
from tests.cms.factories import logged_in, user_in
from tests.conftest import free_port
from tests.search.corpus import PLACES, index_all, wire
from tests.search.faces import face_records

SEARCH = "/api/v1/search"
CSV_URL = "/api/v1/search/export.csv"
XLSX_URL = "/api/v1/search/export.xlsx"
# Projects in NL and in the scope nl-nb: more than two batches of 500.
IN_SCOPE = 1200
FILTERED = {"kind": "project", "country": "NL", "scope": "nl-nb", "nuts": "NL41"}
FORMULA_TITLE = '=HYPERLINK("https://evil.example","click")'


def bulk_records() -> list[dict[str, Any]]:
    """The face corpus, 1,200 projects in Noord-Brabant and decoys around them
    (another country, another scope, another kind), and one hostile title."""
    records = face_records()
    places = [PLACES["eindhoven"], PLACES["den-bosch"], PLACES["tilburg"]]
    for number in range(IN_SCOPE):
        records.append(
            wire(
                hub=("eindhoven", "den-bosch", "nl-nb")[number % 3],
                name=f"Brabant project {number:04d}",
                shortDescription=f"Project number {number} in Brabant.",
                location=places[number % 3].location(),
                themes=["mobility", "energy"],
                updated_at=f"2026-10-{1 + number % 28:02d}T10:00:00Z",
                language="en",
            )
        )
    decoys = [
        ("be", "project", PLACES["leuven"]),
        ("amsterdam", "project", PLACES["amsterdam"]),
        ("eindhoven", "organisation", PLACES["eindhoven"]),
    ]
    for hub, kind, place in decoys:
        for number in range(30):
            records.append(
                wire(
                    kind=kind,
                    hub=hub,
                    name=f"Decoy {hub} {kind} {number}",
                    location=place.location(),
                    **({"type": "sme"} if kind == "organisation" else {}),
                )
            )
    records.append(
        wire(
            kind="dataset",
            hub="amsterdam",
            title=FORMULA_TITLE,
            publisher="+31 20 555 0000",
            keywords=["@risk", "-1"],
            location=PLACES["amsterdam"].location(),
        )
    )
    return records


@pytest.fixture(scope="module")
def corpus(search_alias):
    records = bulk_records()
    index_all(search_engine(), records)
    return records


@pytest.fixture
def api(corpus) -> Client:
    return Client()


def csv_rows(response: Any) -> list[dict[str, str]]:
    """The rows of a CSV export (the BOM checked and dropped)."""
    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeff".encode())
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert tuple(reader.fieldnames or ()) == COLUMN_NAMES
    return list(reader)


def xlsx_rows(response: Any) -> list[dict[str, Any]]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMN_NAMES
    return [dict(zip(COLUMN_NAMES, row, strict=True)) for row in rows[1:]]


def search_ids(api: Client, query: dict[str, str]) -> list[str]:
    """Every hit of the search API for ``query``, page after page."""
    ids: list[str] = []
    after = None
    while True:
        page = {**query, "size": "100", **({"after": after} if after else {})}
        data = api.get(SEARCH, page).json()
        ids += [hit["id"] for hit in data["hits"]]
        after = data["next_cursor"]
        if not after:
            return ids


@pytest.mark.parametrize("sort", ["relevance", "title", "newest"])
def test_csv_rows_are_exactly_the_filtered_scoped_hits_across_batches(api, sort):
    # when the filtered, scoped search is exported (batches of 500)
    query = {**FILTERED, "sort": sort}
    response = api.get(CSV_URL, query)
    # then it is a streamed CSV attachment that says how many rows follow
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="hubnet-search-'
    )
    assert response["Content-Disposition"].endswith('.csv"')
    rows = csv_rows(response)
    # and its rows are the search's hits: all, once each, in the same order
    expected = search_ids(api, query)
    assert len(expected) == IN_SCOPE + 4  # four face projects in nl-nb
    assert [row["id"] for row in rows] == expected
    assert int(response["X-Total-Count"]) == len(rows)
    assert {row["kind"] for row in rows} == {"project"}
    assert {row["country"] for row in rows} == {"NL"}
    assert all("nl-nb" in row["origin_path"].split("; ") for row in rows)


def test_a_row_holds_the_record(api):
    response = api.get(CSV_URL, {"text": "Brabant project 0007", "size": "1"})
    row = next(
        row for row in csv_rows(response) if row["title"] == "Brabant project 0007"
    )
    assert row["summary"] == "Project number 7 in Brabant."
    assert row["origin"] == "den-bosch"
    assert row["origin_path"] == "eu; nl; nl-nb; den-bosch"
    assert row["level"] == "local"
    assert row["nuts"] == "NL413"
    assert row["themes"] == "mobility; energy"
    assert (row["lat"], row["lon"]) == ("51.6978", "5.3037")
    assert row["status"] == "in-use"
    assert row["updated_at"] == "2026-10-08T10:00:00Z"


def test_the_workbook_has_the_same_rows(api):
    query = {**FILTERED, "sort": "title"}
    from_csv = csv_rows(api.get(CSV_URL, query))
    response = api.get(XLSX_URL, query)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert int(response["Content-Length"]) > 0
    assert int(response["X-Total-Count"]) == len(from_csv)
    from_xlsx = [
        {name: "" if value is None else str(value) for name, value in row.items()}
        for row in xlsx_rows(response)
    ]
    assert from_xlsx == from_csv


def test_formula_like_cells_are_neutralised(api):
    query = {"kind": "dataset", "scope": "amsterdam"}
    (row,) = csv_rows(api.get(CSV_URL, query))
    assert row["title"] == "'" + FORMULA_TITLE
    assert row["organisation"] == "'+31 20 555 0000"
    assert row["keywords"] == "'@risk; -1"
    # numbers are numbers, even negative ones (not formulas)
    assert cell_text_safe(-3.5) == -3.5
    # in the workbook: text, with Excel's quote prefix, never a formula
    response = api.get(XLSX_URL, query)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    title = sheet.cell(row=2, column=COLUMN_NAMES.index("title") + 1)
    assert title.value == FORMULA_TITLE
    assert title.data_type == "s"
    assert title.quotePrefix


@pytest.mark.parametrize(
    "query",
    [
        {"trl_min": "12"},
        {"near": "north"},
        {"radius_km": "5"},
        {"sort": "random"},
        {"level": "planet"},
        {"nuts": "Brabant"},
        {"after": "garbage!"},
        {"open_to_partnership": "maybe"},
    ],
)
@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_a_bad_parameter_is_the_same_400_as_the_search(api, url, query):
    response = api.get(url, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == api.get(SEARCH, query).json()


def open_pits(search_url: str) -> int:
    answer = requests.get(f"{search_url}/_search/point_in_time/_all", timeout=10)
    return len(answer.json().get("pits", []))


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_over_the_cap_is_refused_with_the_total(api, settings, url, search_url):
    settings.SEARCH_EXPORT_MAX_ROWS = 1000
    pits = open_pits(search_url)
    # when the filtered search (1,204 records) is exported under a cap of 1,000
    response = api.get(url, FILTERED, HTTP_ACCEPT="text/csv")
    # then it is refused, in JSON, saying how many and how many at most
    assert response.status_code == 400
    assert response.json() == {
        "detail": (
            "The search matches 1204 records; an export holds at most 1000. "
            "Narrow it with a filter or a smaller scope."
        ),
        "total": 1204,
        "limit": 1000,
    }
    # and the engine's point in time was released
    assert open_pits(search_url) == pits
    # a narrower search passes
    assert api.get(url, {**FILTERED, "nuts": "NL414"}).status_code == 200


def test_a_finished_export_releases_its_point_in_time(api, search_url):
    pits = open_pits(search_url)
    assert len(csv_rows(api.get(CSV_URL, FILTERED))) == IN_SCOPE + 4
    assert open_pits(search_url) == pits


def test_an_empty_result_is_a_header_only(api):
    response = api.get(CSV_URL, {"text": "nothingmatchesthisword"})
    assert response["X-Total-Count"] == "0"
    assert csv_rows(response) == []
    assert xlsx_rows(api.get(XLSX_URL, {"text": "nothingmatchesthisword"})) == []


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_engine_down_is_a_503_before_any_byte(corpus, url):
    with override_settings(SEARCH_URL=f"http://127.0.0.1:{free_port()}"):
        engine_module.search_engine.cache_clear()
        try:
            response = Client().get(url, {"kind": "project"})
        finally:
            engine_module.search_engine.cache_clear()
    assert response.status_code == 503
    assert not response.streaming
    assert response["Content-Type"] == "application/json"
    assert "unavailable" in response.json()["detail"]


ROLES = ["anonymous", "other hub's editor", "Editors", "Coordinators", "superuser"]


def client_as(role: str) -> Client:
    if role == "anonymous":
        return logged_in(None)
    if role == "superuser":
        return logged_in(user_in(None, username="root", superuser=True))
    if role == "other hub's editor":
        # Users are per hub: another hub's editor is nobody's group here.
        return logged_in(user_in(None, username="elsewhere"))
    return logged_in(user_in(role, username=role.lower()))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_public_data_for_everyone_read_only(corpus, role):
    client = client_as(role)
    query = {"kind": "dataset"}
    for url in (CSV_URL, XLSX_URL):
        response = client.get(url, query)
        assert response.status_code == 200, (role, url)
        assert response["X-Total-Count"] == "1"
        for method in ("post", "put", "patch", "delete"):
            answer = getattr(client, method)(
                url, data={}, content_type="application/json"
            )
            assert answer.status_code == 405, (role, method, url)


def test_exports_are_throttled_like_the_search(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "2/minute"},
    }
    from django.core.cache import cache

    cache.clear()
    try:
        statuses = [api.get(CSV_URL, {"kind": "dataset"}).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
    finally:
        cache.clear()


def test_openapi_documents_the_exports(corpus):
    schema = (
        Client()
        .get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        .json()
    )
    for path, media_type in (
        (CSV_URL, "text/csv"),
        (XLSX_URL, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        operation = schema["paths"][path]["get"]
        assert operation["tags"] == ["search"]
        assert list(operation["responses"]["200"]["content"]) == [media_type]
        assert {"400", "429", "503"} <= set(operation["responses"])
        names = {parameter["name"] for parameter in operation["parameters"]}
        assert {"text", "kinds", "scope", "nuts", "country", "level"} <= names


def test_the_search_page_links_the_exports_with_its_query(api):
    response = api.get("/search/", {"kinds": "project", "scope": "nl-nb"})
    html = response.content.decode()
    assert 'href="/api/v1/search/export.csv?kinds=project&amp;scope=nl-nb"' in html
    assert 'href="/api/v1/search/export.xlsx?kinds=project&amp;scope=nl-nb"' in html
    assert "search/export.js" in html
    assert "<progress" in html


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_head_tells_the_total_without_a_file(api, url, search_url):
    pits = open_pits(search_url)
    response = api.head(url, FILTERED)
    assert response.status_code == 200
    assert response["X-Total-Count"] == str(IN_SCOPE + 4)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == b""
    assert open_pits(search_url) == pits
    assert api.head(url, {"level": "planet"}).status_code == 400
