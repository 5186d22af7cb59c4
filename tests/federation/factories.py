"""Builders of valid wire records and bodies for the federation tests.

(Shared by several test modules: extend, do not fork.)
"""

import copy
import json
import uuid
from typing import Any

from django.db import transaction
from django.test import Client

from federation.models import StoredRecord
from federation.records import Record, record_validate
from federation.services.store import records_apply
from hubs.models import Neighbour
from hubs.services import token_generate, token_hash
from tests.hubs.factories import NeighbourFactory

BODIES: dict[str, dict[str, Any]] = {
    "project": {
        "name": "Parkeerscan",
        "shortDescription": "Scan cars to check parking permits.",
        "organisation": "Gemeente 's-Hertogenbosch",
        "status": "in-use",
        "aiActClass": "limited",
        "location": {"lat": 51.6978, "lon": 5.3037, "nuts": ["NL414"], "country": "NL"},
    },
    "dataset": {
        "title": "Parkeervergunningen",
        "publisher": "Gemeente 's-Hertogenbosch",
        "accessRights": "public",
    },
    "course": {"title": "AI voor beleidsmakers", "provider": "JADS", "mode": "blended"},
    "organisation": {"name": "TU/e", "type": "knowledge-institution"},
}


def body_for(kind: str, **overrides: Any) -> dict[str, Any]:
    """A minimal valid body of ``kind``, with ``overrides`` applied."""
    return {**BODIES[kind], **overrides}


def record_id_for(origin: str, kind: str) -> str:
    return f"{origin}:{kind}:{uuid.uuid4()}"


def wire_record(
    *,
    kind: str = "project",
    origin: str = "nl",
    origin_path: list[str] | None = None,
    version: int = 1,
    record_id: str | None = None,
    deleted: bool = False,
    body: dict[str, Any] | None = None,
    **body_overrides: Any,
) -> dict[str, Any]:
    """A valid record in wire form (as a peer's feed carries it)."""
    return {
        "id": record_id or record_id_for(origin, kind),
        "kind": kind,
        "origin": origin,
        "originPath": origin_path or ["eu", origin],
        "version": version,
        "updatedAt": "2026-11-01T10:00:00Z",
        "deleted": deleted,
        "language": "nl",
        "url": f"https://{origin}.example.org/r/1",
        "schemaVersion": 1,
        "body": None if deleted else (body or body_for(kind, **body_overrides)),
    }


# Every field of every body filled in (nested models, lists, big numbers), for
# tests that must see the whole record schema: GraphQL types, index mapping,
# exporters. Kept complete by tests/federation/test_graphql_schema.py.
FULL_BODIES: dict[str, dict[str, Any]] = {
    "project": {
        "name": "Parkeerscan",
        "shortDescription": "Scan cars to check parking permits.",
        "description": "<p>Cars are <strong>scanned</strong>.</p>",
        "organisation": "Gemeente 's-Hertogenbosch",
        "department": "Parkeren",
        "contact": {
            "name": "Team Parkeren",
            "email": "parkeren@example.org",
            "url": "https://example.org/parkeren",
        },
        "status": "in-use",
        "startDate": "2021-03-01",
        "endDate": "2027-12-31",
        "themes": ["mobility"],
        "sectors": ["public administration"],
        "technologies": ["computer vision"],
        "trl": 9,
        "partners": [
            {
                "organisation": "nl:organisation:00000000-0000-4000-8000-000000000001",
                "role": "supplier",
            }
        ],
        "datasets": ["nl:dataset:00000000-0000-4000-8000-000000000002"],
        "funding": [{"programme": "digital-europe", "amountEur": 3_000_000_000}],
        "goal": "Fair enforcement of parking permits.",
        "proportionality": "Only number plates are processed.",
        "humanIntervention": "An officer checks every fine.",
        "decisionType": "descriptive",
        "affectedGroups": ["drivers"],
        "aiActClass": "high",
        "annexIiiArea": "law-enforcement",
        "biometricData": False,
        "humanInfluence": "limited",
        "rightsImpact": "high",
        "impactLevel": "high",
        "risks": "False positives.",
        "biasAndProtectedAttributes": "None processed.",
        "lawfulBasis": "Municipal parking regulation.",
        "objectionProcedure": "Object within six weeks.",
        "impactAssessments": [
            {
                "type": "dpia",
                "title": "DPIA Parkeerscan",
                "date": "2021-01-15",
                "url": "https://example.org/dpia",
                "summary": "Low residual risk.",
            }
        ],
        "methods": "self-learning",
        "performanceAndMonitoring": "Monthly accuracy review.",
        "supplier": "Scan BV",
        "procurementClauses": True,
        "aiProvider": "Scan BV",
        "euDatabaseUrl": "https://ai-act-database.example.eu/systems/42",
        "aiActPackageComplete": True,
        "friaPerformed": True,
        "friaNotified": False,
        "sourceCodeUrl": "https://example.org/code",
        "licence": "EUPL-1.2",
        "publiclyFunded": True,
        "publicationCategory": "impactful",
        "policyAreas": ["Verkeer"],
        "methodsAndModels": "A neural network reads number plates.",
        "sourceData": "Number plates and permits.",
        "sourceDataLinks": [{"title": "Permits", "url": "https://example.org/permits"}],
        "lawfulBasisLinks": [
            {"title": "Gemeentewet", "url": "https://wetten.overheid.nl/BWBR0005416"}
        ],
        "impactAssessmentNotes": "No IAMA: decisions are checked by people.",
        "website": "https://example.org/parkeerscan",
        "registerUrl": "https://algoritmes.example.org/parkeerscan",
        "processingRegisterUrl": "https://example.org/verwerkingen/parkeren",
        "sourceId": "ALG-7",
        "tags": ["parkeren", "handhaving"],
        "location": {
            "lat": 51.6978,
            "lon": 5.3037,
            "nuts": ["NL414"],
            "country": "NL",
            "place": "'s-Hertogenbosch",
        },
    },
    "dataset": {
        "title": "Parkeervergunningen",
        "description": "<p>All permits.</p>",
        "publisher": "Gemeente 's-Hertogenbosch",
        "contact": {
            "name": "Data desk",
            "email": "data@example.org",
            "url": "https://example.org/data-desk",
        },
        "keywords": ["parking"],
        "themes": ["TRAN"],
        "licence": "CC-BY-4.0",
        "accessRights": "restricted",
        "b2gSharing": True,
        "temporalStart": "2020-01-01",
        "temporalEnd": "2025-12-31",
        "frequency": "monthly",
        "distributions": [
            {
                "accessUrl": "https://example.org/data",
                "downloadUrl": "https://example.org/data.csv",
                "format": "CSV",
                "mediaType": "text/csv",
                "byteSize": 5_000_000_000,
            }
        ],
        "personalData": "pseudonymised",
        "qualityNotes": "Complete since 2020.",
        "source": "https://data.example.nl/dataset/parkeervergunningen",
        "location": {
            "lat": 51.69,
            "lon": 5.3,
            "nuts": ["NL414"],
            "country": "NL",
            "place": "'s-Hertogenbosch",
        },
    },
    "course": {
        "title": "AI voor beleidsmakers",
        "description": "<p>Two days.</p>",
        "provider": "JADS",
        "url": "https://example.org/course",
        "languages": ["nl", "en"],
        "mode": "blended",
        "startDate": "2026-02-01",
        "endDate": "2026-02-02",
        "workloadHours": 16,
        "priceEur": 450.5,
        "eqfLevel": 6,
        "iscedField": "0613",
        "learningOutcomes": "Judge AI proposals.",
        "credential": "Certificate",
        "targetGroups": ["politicians and policy makers"],
        "schoolLevel": "professional",
        "location": {
            "lat": 51.4416,
            "lon": 5.4697,
            "nuts": ["NL414"],
            "country": "NL",
            "place": "Den Bosch",
        },
    },
    "organisation": {
        "name": "TU/e",
        "description": "<p>A university.</p>",
        "identifiers": {"ror": "02c2kyt77", "kvk": "17105542"},
        "type": "knowledge-institution",
        "sizeClass": "large",
        "sectors": ["education"],
        "technologies": ["machine learning"],
        "services": ["test before invest"],
        "openToPartnership": True,
        "website": "https://www.tue.nl/",
        "contact": {
            "name": "Innovation Space",
            "email": "innovation@example.org",
            "url": "https://example.org/innovation",
        },
        "location": {
            "lat": 51.4484,
            "lon": 5.4907,
            "nuts": ["NL414"],
            "country": "NL",
            "place": "Eindhoven",
        },
    },
}


def body_full(kind: str, **overrides: Any) -> dict[str, Any]:
    """A valid body of ``kind`` with every field set, with ``overrides`` applied."""
    return {**copy.deepcopy(FULL_BODIES[kind]), **overrides}


def record_for(**kwargs: Any) -> Record:
    """A validated record (``federation.records.Record``); ``wire_record``'s args."""
    return record_validate(wire_record(**kwargs))


def stored_record(*, source: str | None = None, **kwargs: Any) -> StoredRecord:
    """A peer record applied to the catalogue store as a sync would (next change
    sequence value); ``wire_record``'s args. Returns the stored row."""
    record = record_for(**kwargs)
    with transaction.atomic():
        records_apply(records=[record], source=source or record.origin)
    return StoredRecord.objects.get(record_id=record.id)


def neighbour_with_token(**kwargs: Any) -> tuple[Neighbour, str]:
    """A neighbour (NeighbourFactory args) and the clear inbound token it presents."""
    token = token_generate()
    neighbour = NeighbourFactory(
        inbound_token_hash=token_hash(token), inbound_token_hint=token[:6], **kwargs
    )
    return neighbour, token


def graphql_post(
    client: Client,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """POST a GraphQL document to /graphql as a peer would; (status, JSON body)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post(
        "/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        headers=headers,
    )
    return response.status_code, response.json()
