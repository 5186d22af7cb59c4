"""The exports carry the transparency columns, and the transparency filters
narrow them, on the real OpenSearch node."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from search.engine import search_engine
from search.exports import COLUMN_NAMES
from tests.search.corpus import index_all, wire

CSV_URL = "/api/v1/search/export.csv"
XLSX_URL = "/api/v1/search/export.xlsx"
TRANSPARENCY = (
    "decision_type",
    "human_influence",
    "rights_impact",
    "impact_level",
    "biometric_data",
    "objection_route",
    "impact_assessments",
    "publicly_funded",
    "funding_programmes",
    "source_code_published",
    "source_code_url",
    "procurement_clauses",
    "b2g_sharing",
    "licence",
    "eqf_level",
    "school_level",
)


@pytest.fixture(scope="module")
def corpus(search_alias):
    assessment = {"title": "Assessment"}
    records = [
        wire(
            name="Scan",
            decisionType="predictive",
            humanInfluence="limited",
            rightsImpact="high",
            impactLevel="high",
            biometricData=True,
            objectionProcedure="Object within six weeks.",
            impactAssessments=[
                {"type": "iama", **assessment},
                {"type": "dpia", **assessment},
            ],
            publiclyFunded=True,
            funding=[{"programme": "erdf"}, {"programme": "digital-europe"}],
            sourceCodeUrl="https://code.example.org/scan",
            licence="EUPL-1.2",
            procurementClauses=False,
        ),
        wire(name="Route", impactLevel="low", publiclyFunded=False),
        wire(kind="dataset", title="Permits", b2gSharing=True, licence="CC0-1.0"),
        wire(kind="course", title="Basics", eqfLevel=4, schoolLevel="professional"),
    ]
    index_all(search_engine(), records)
    return records


def _csv(response: Any) -> dict[str, dict[str, str]]:
    assert response.status_code == 200
    data = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["title"]: row for row in csv.DictReader(io.StringIO(data))}


def test_the_columns_are_in_the_header():
    assert set(TRANSPARENCY) <= set(COLUMN_NAMES)


def test_a_project_row_carries_its_transparency(corpus):
    # when everything is exported
    rows = _csv(Client().get(CSV_URL))
    # then each row holds what its record says, derived facts included
    assert {name: rows["Scan"][name] for name in TRANSPARENCY} == {
        "decision_type": "predictive",
        "human_influence": "limited",
        "rights_impact": "high",
        "impact_level": "high",
        "biometric_data": "true",
        "objection_route": "true",
        "impact_assessments": "dpia; iama",
        "publicly_funded": "true",
        "funding_programmes": "digital-europe; erdf",
        "source_code_published": "true",
        "source_code_url": "https://code.example.org/scan",
        "procurement_clauses": "false",
        "b2g_sharing": "",
        "licence": "EUPL-1.2",
        "eqf_level": "",
        "school_level": "",
    }
    route = rows["Route"]
    assert (route["objection_route"], route["source_code_published"]) == (
        "false",
        "false",
    )
    assert (route["impact_assessments"], route["biometric_data"]) == ("", "")
    assert (rows["Permits"]["b2g_sharing"], rows["Permits"]["objection_route"]) == (
        "true",
        "",
    )
    assert (rows["Basics"]["eqf_level"], rows["Basics"]["school_level"]) == (
        "4",
        "professional",
    )


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"impact_level": "high"}, {"Scan"}),
        ({"publicly_funded": "false"}, {"Route"}),
        ({"source_code_published": "true"}, {"Scan"}),
        ({"b2g_sharing": "true"}, {"Permits"}),
        ({"eqf_level": "4"}, {"Basics"}),
    ],
)
def test_the_filters_narrow_the_export(corpus, query, titles):
    assert set(_csv(Client().get(CSV_URL, query))) == titles


def test_the_workbook_has_the_columns(corpus):
    response = Client().get(XLSX_URL, {"impact_assessment": "iama"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["title"], row["impact_level"], row["impact_assessments"]) == (
        "Scan",
        "high",
        "dpia; iama",
    )
