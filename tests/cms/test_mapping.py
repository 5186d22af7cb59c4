"""From page to record body: every kind maps to a body the record schema accepts."""

import datetime as dt
from decimal import Decimal

import pytest

from cms.mapping import FIELD_OF_WIRE, body_from_page, page_field_for
from cms.models import (
    DatasetDistribution,
    ProjectDataset,
    ProjectFunding,
    ProjectLawfulBasisLink,
    ProjectPartner,
    ProjectSourceDataLink,
)
from federation.records import (
    BODY_MODELS,
    Kind,
    ProjectBody,
    body_validate,
)
from tests.cms.factories import high_risk_project, record_page
from tests.federation.factories import stored_record

pytestmark = pytest.mark.django_db


def test_a_full_project_maps_to_every_field_of_its_body():
    # given a published organisation and dataset, and a federated organisation
    organisation = record_page("organisation", publish=True)
    dataset = record_page("dataset", publish=True)
    federated = stored_record(kind="organisation", origin="nl")
    # and a project with every field filled in
    page = high_risk_project(
        description='<p>Cars are <b>scanned</b>, see <a href="https://e.org">here</a>.</p>',
        department="Parkeren",
        contact_name="Team Parkeren",
        contact_email="parkeren@example.org",
        contact_url="https://example.org/parkeren",
        start_date=dt.date(2021, 3, 1),
        end_date=dt.date(2027, 12, 31),
        themes=["TRAN"],
        sectors=["public administration"],
        technologies=["computer vision"],
        trl=9,
        goal="Fair enforcement.",
        proportionality="Only number plates.",
        decision_type="descriptive",
        affected_groups=["drivers"],
        methods="self-learning",
        biometric_data=False,
        risks="False positives.",
        bias_and_protected_attributes="None processed.",
        lawful_basis="Municipal parking regulation.",
        performance_and_monitoring="Monthly review.",
        source_code_url="https://example.org/code",
        licence="EUPL-1.2",
        publicly_funded=True,
        supplier="Scan BV",
        procurement_clauses=True,
        ai_provider_name="Scan BV",
        eu_database_url="https://ai-act-database.example.eu/systems/42",
        fria_notified_on=dt.date(2025, 2, 1),
        latitude=51.6978,
        longitude=5.3037,
        partners=[
            ProjectPartner(
                organisation_page=type(organisation).objects.get(pk=organisation.pk),
                role="supplier",
            ),
            ProjectPartner(organisation_record_id=federated.record_id, role="partner"),
        ],
        datasets=[
            ProjectDataset(dataset_page=type(dataset).objects.get(pk=dataset.pk))
        ],
        funding_lines=[ProjectFunding(programme="erdf", amount_eur=250_000)],
        publication_category="high-risk-ai-system",
        policy_areas=["Verkeer"],
        methods_and_models="A neural network reads number plates.",
        source_data="Number plates and permits.",
        source_data_links=[
            ProjectSourceDataLink(title="Permits", url="https://example.org/permits")
        ],
        lawful_basis_links=[
            ProjectLawfulBasisLink(
                title="Gemeentewet", url="https://wetten.overheid.nl/BWBR0005416"
            )
        ],
        impact_assessment_notes="No DPIA: no personal data beyond plates.",
        website="https://example.org/parkeerscan",
        register_url="https://algoritmes.example.org/parkeerscan",
        processing_register_url="https://example.org/verwerkingen/parkeren",
        source_id="ALG-7",
        tags=["parkeren", "handhaving"],
    )
    # when it is mapped
    body = body_from_page(page)
    # then every field is there in wire form, and the schema accepts it unchanged
    assert body == {
        "name": "Parkeerscan",
        "shortDescription": "Scan cars to check parking permits.",
        "description": '<p>Cars are <b>scanned</b>, see <a href="https://e.org">here</a>.</p>',
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
        "themes": ["TRAN"],
        "sectors": ["public administration"],
        "technologies": ["computer vision"],
        "trl": 9,
        "partners": [
            {"organisation": organisation.record_id, "role": "supplier"},
            {"organisation": federated.record_id, "role": "partner"},
        ],
        "datasets": [dataset.record_id],
        "funding": [{"programme": "erdf", "amountEur": 250_000}],
        "goal": "Fair enforcement.",
        "proportionality": "Only number plates.",
        "humanIntervention": "A case worker checks every outcome.",
        "decisionType": "descriptive",
        "affectedGroups": ["drivers"],
        "aiActClass": "high",
        "annexIiiArea": "essential-services",
        "biometricData": False,
        "humanInfluence": "limited",
        "rightsImpact": "high",
        "impactLevel": "high",
        "risks": "False positives.",
        "biasAndProtectedAttributes": "None processed.",
        "lawfulBasis": "Municipal parking regulation.",
        "objectionProcedure": "Object within six weeks at the municipal office.",
        "impactAssessments": [
            {
                "type": "iama",
                "date": "2025-01-15",
                "url": "https://example.org/iama",
                "summary": "Risks are acceptable with human review.",
            }
        ],
        "methods": "self-learning",
        "performanceAndMonitoring": "Monthly review.",
        "supplier": "Scan BV",
        "procurementClauses": True,
        "aiProvider": "Scan BV",
        "euDatabaseUrl": "https://ai-act-database.example.eu/systems/42",
        "aiActPackageComplete": False,
        "friaPerformed": False,
        "friaNotified": True,
        "sourceCodeUrl": "https://example.org/code",
        "licence": "EUPL-1.2",
        "publiclyFunded": True,
        "publicationCategory": "high-risk-ai-system",
        "policyAreas": ["Verkeer"],
        "methodsAndModels": "A neural network reads number plates.",
        "sourceData": "Number plates and permits.",
        "sourceDataLinks": [{"title": "Permits", "url": "https://example.org/permits"}],
        "lawfulBasisLinks": [
            {"title": "Gemeentewet", "url": "https://wetten.overheid.nl/BWBR0005416"}
        ],
        "impactAssessmentNotes": "No DPIA: no personal data beyond plates.",
        "website": "https://example.org/parkeerscan",
        "registerUrl": "https://algoritmes.example.org/parkeerscan",
        "processingRegisterUrl": "https://example.org/verwerkingen/parkeren",
        "sourceId": "ALG-7",
        "tags": ["parkeren", "handhaving"],
        "location": {
            "lat": 51.6978,
            "lon": 5.3037,
            "nuts": ["NL413"],
            "country": "NL",
            "place": "'s-Hertogenbosch",
        },
    }
    validated = body_validate(kind="project", body=body)
    assert validated == {
        **body,
        "description": '<p>Cars are <b>scanned</b>, see <a href="https://e.org" '
        'rel="noopener noreferrer">here</a>.</p>',
    }
    assert set(body) == {field.alias for field in ProjectBody.model_fields.values()}


def test_a_dataset_maps_with_media_types_from_the_format():
    page = record_page(
        "dataset",
        keywords=["parking"],
        themes=["TRAN", "REGI"],
        b2g_sharing=True,
        temporal_start=dt.date(2020, 1, 1),
        frequency="MONTHLY",
        personal_data="pseudonymised",
        nuts_codes=["EL30"],
        distributions=[
            DatasetDistribution(
                access_url="https://example.org/data",
                download_url="https://example.org/data.csv",
                file_format="CSV",
                byte_size=1024,
            )
        ],
    )
    body = body_from_page(page)
    assert body == {
        "title": "Parkeervergunningen",
        "publisher": "Gemeente 's-Hertogenbosch",
        "keywords": ["parking"],
        "themes": ["TRAN", "REGI"],
        "licence": "CC-BY-4.0",
        "accessRights": "public",
        "b2gSharing": True,
        "temporalStart": "2020-01-01",
        "frequency": "MONTHLY",
        "personalData": "pseudonymised",
        "distributions": [
            {
                "accessUrl": "https://example.org/data",
                "downloadUrl": "https://example.org/data.csv",
                "format": "CSV",
                "mediaType": "text/csv",
                "byteSize": 1024,
            }
        ],
        "location": {"nuts": ["EL30"], "country": "GR"},
    }
    assert body_validate(kind="dataset", body=body).items() >= body.items()


def test_a_course_maps_to_its_body():
    page = record_page(
        "course",
        course_url="https://example.org/course",
        languages=["nl", "en"],
        workload_hours=16,
        price_eur=Decimal("0.00"),
        eqf_level=6,
        isced_field="0613",
        target_groups=["policy-makers", "civil-servants"],
        school_level="professional",
    )
    body = body_from_page(page)
    assert body == {
        "title": "AI voor beleidsmakers",
        "provider": "JADS",
        "url": "https://example.org/course",
        "languages": ["nl", "en"],
        "mode": "blended",
        "workloadHours": 16,
        "priceEur": 0.0,
        "eqfLevel": 6,
        "iscedField": "0613",
        "targetGroups": ["policy-makers", "civil-servants"],
        "schoolLevel": "professional",
    }
    assert body_validate(kind="course", body=body).items() >= body.items()


def test_an_organisation_maps_its_identifiers_and_services():
    page = record_page(
        "organisation",
        ror_id="02c2kyt77",
        kvk_number="17105542",
        size_class="large",
        services=["test-before-invest", "skills-and-training"],
        open_to_partnership=True,
        website="https://www.tue.nl/",
    )
    body = body_from_page(page)
    assert body == {
        "name": "TU/e",
        "identifiers": {"ror": "02c2kyt77", "kvk": "17105542"},
        "type": "knowledge-institution",
        "sizeClass": "large",
        "services": ["test-before-invest", "skills-and-training"],
        "openToPartnership": True,
        "website": "https://www.tue.nl/",
    }
    assert body_validate(kind="organisation", body=body).items() >= body.items()


def test_problems_are_traced_back_to_page_fields():
    assert page_field_for("project", ("shortDescription",)) == "short_description"
    assert page_field_for("project", ("contact", "email")) == "contact_email"
    assert page_field_for("project", ("location", "lat")) == "latitude"
    assert page_field_for("project", ("location",)) == "latitude"
    assert page_field_for("project", ("impactAssessments", 0, "url")) == (
        "impact_assessments"
    )
    assert page_field_for("dataset", ("distributions", 1)) == "distributions"
    assert page_field_for("course", ()) is None


def test_every_wire_field_has_a_page_field():
    for kind, model in BODY_MODELS.items():
        wire_names = {field.alias for field in model.model_fields.values()}
        assert wire_names == set(FIELD_OF_WIRE[kind]), kind


def test_kinds_have_one_mapping_each():
    assert set(FIELD_OF_WIRE) == {kind.value for kind in Kind}
