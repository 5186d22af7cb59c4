"""From page to record body: one mapping per kind, and a dispatcher.

``body_from_page(page)`` returns the body of ``page``'s record in wire form
(camelCase keys, JSON types, empty values left out), ready for
``federation.services.store.record_publish``, which validates it against
``federation.records``. ``FIELD_OF_WIRE`` maps wire names back to page fields so
a refused body can be explained on the field the editor must change.

The mappings read the page as it is in memory (children included), so the same
function serves the publish check before saving and the publish itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from wagtail.rich_text import expand_db_html

from cms.aiact.items import RESTRICTED_AREAS, WITHHELD_IN_RESTRICTED_AREAS
from cms.aiact.package import registration_package_build
from federation.vocabularies import MEDIA_TYPES, country_of_nuts

if TYPE_CHECKING:
    from cms.models import (
        CoursePage,
        DatasetPage,
        HubPage,
        OrganisationPage,
        ProjectPage,
    )

Body = dict[str, Any]

# Wire name -> page attribute, for the plain values of each kind.
PROJECT_FIELDS: dict[str, str] = {
    "name": "title",
    "shortDescription": "short_description",
    "organisation": "organisation_name",
    "department": "department",
    "status": "status",
    "startDate": "start_date",
    "endDate": "end_date",
    "themes": "themes",
    "sectors": "sectors",
    "technologies": "technologies",
    "trl": "trl",
    "goal": "goal",
    "proportionality": "proportionality",
    "humanIntervention": "human_intervention",
    "decisionType": "decision_type",
    "affectedGroups": "affected_groups",
    "aiActClass": "ai_act_class",
    "annexIiiArea": "annex_iii_area",
    "biometricData": "biometric_data",
    "humanInfluence": "risk_human_influence",
    "rightsImpact": "risk_rights_impact",
    "risks": "risks",
    "biasAndProtectedAttributes": "bias_and_protected_attributes",
    "lawfulBasis": "lawful_basis",
    "objectionProcedure": "objection_procedure",
    "methods": "methods",
    "performanceAndMonitoring": "performance_and_monitoring",
    "supplier": "supplier",
    "procurementClauses": "procurement_clauses",
    "aiProvider": "ai_provider_name",
    "euDatabaseUrl": "eu_database_url",
    "sourceCodeUrl": "source_code_url",
    "licence": "licence",
    "publiclyFunded": "publicly_funded",
    "publicationCategory": "publication_category",
    "policyAreas": "policy_areas",
    "methodsAndModels": "methods_and_models",
    "sourceData": "source_data",
    "impactAssessmentNotes": "impact_assessment_notes",
    "website": "website",
    "registerUrl": "register_url",
    "processingRegisterUrl": "processing_register_url",
    "sourceId": "source_id",
    "tags": "tags",
}
DATASET_FIELDS: dict[str, str] = {
    "title": "title",
    "publisher": "publisher",
    "keywords": "keywords",
    "themes": "themes",
    "licence": "licence",
    "accessRights": "access_rights",
    "b2gSharing": "b2g_sharing",
    "temporalStart": "temporal_start",
    "temporalEnd": "temporal_end",
    "frequency": "frequency",
    "personalData": "personal_data",
    "qualityNotes": "quality_notes",
    "source": "harvested_from",
}
COURSE_FIELDS: dict[str, str] = {
    "title": "title",
    "provider": "provider",
    "url": "course_url",
    "languages": "languages",
    "mode": "mode",
    "startDate": "start_date",
    "endDate": "end_date",
    "workloadHours": "workload_hours",
    "priceEur": "price_eur",
    "eqfLevel": "eqf_level",
    "iscedField": "isced_field",
    "learningOutcomes": "learning_outcomes",
    "credential": "credential",
    "targetGroups": "target_groups",
    "schoolLevel": "school_level",
}
ORGANISATION_FIELDS: dict[str, str] = {
    "name": "title",
    "type": "organisation_type",
    "sizeClass": "size_class",
    "sectors": "sectors",
    "technologies": "technologies",
    "services": "services",
    "openToPartnership": "open_to_partnership",
    "website": "website",
}
_COMMON_FIELDS: dict[str, Any] = {
    "description": "description",
    "contact": {"name": "contact_name", "email": "contact_email", "url": "contact_url"},
    "location": {
        "lat": "latitude",
        "lon": "longitude",
        "nuts": "nuts_codes",
        "country": "country",
        "place": "place",
    },
}
# Where to show a problem with a wire field: a page field, a child relation, or a
# nested map for nested objects.
FIELD_OF_WIRE: dict[str, dict[str, Any]] = {
    "project": {
        **PROJECT_FIELDS,
        **_COMMON_FIELDS,
        "partners": "partners",
        "datasets": "datasets",
        "funding": "funding_lines",
        "impactAssessments": "impact_assessments",
        "lawfulBasisLinks": "lawful_basis_links",
        "sourceDataLinks": "source_data_links",
        "impactLevel": "risk_rights_impact",
        "aiActPackageComplete": "ai_act_class",
        "friaPerformed": "fria_processes",
        "friaNotified": "fria_notified_on",
    },
    "dataset": {
        **DATASET_FIELDS,
        **_COMMON_FIELDS,
        "distributions": "distributions",
    },
    "course": {
        **COURSE_FIELDS,
        **{k: v for k, v in _COMMON_FIELDS.items() if k != "contact"},
    },
    "organisation": {
        **ORGANISATION_FIELDS,
        **_COMMON_FIELDS,
        "identifiers": "ror_id",
    },
}


def body_from_page(page: HubPage) -> Body:
    """The record body of any record page (dispatches on ``record_kind``)."""
    return BODY_BUILDERS[page.record_kind](page)


def project_body_from_page(page: ProjectPage) -> Body:
    """A ``ProjectBody`` (algorithm register superset) from a project page.

    A system in a restricted Annex III area (points 1, 6, 7) leaves out what the
    AI Act keeps non-public for it (``WITHHELD_IN_RESTRICTED_AREAS``)."""
    body = _project_body(page)
    if page.annex_iii_area in RESTRICTED_AREAS:
        for wire in WITHHELD_IN_RESTRICTED_AREAS:
            body.pop(wire, None)
    return body


def _readiness(page: ProjectPage) -> Body:
    package = registration_package_build(page=page)
    if not package.high_risk:
        return {}
    return {
        "aiActPackageComplete": package.complete,
        "friaPerformed": package.fria_performed,
        "friaNotified": package.fria_notified,
    }


def _project_body(page: ProjectPage) -> Body:
    return _compact(
        {
            **_values(page, PROJECT_FIELDS),
            **_common(page),
            "impactLevel": page.risk_suggestion.impact,
            "partners": [
                {"organisation": record_id, "role": partner.role}
                for partner in page.partners.all()
                if (record_id := partner.organisation_ref)
            ],
            "datasets": [
                record_id
                for link in page.datasets.all()
                if (record_id := link.dataset_ref)
            ],
            "funding": [
                _compact(
                    {"programme": line.programme, "amountEur": line.amount_eur},
                )
                for line in page.funding_lines.all()
            ],
            "impactAssessments": [
                _compact(
                    {
                        "type": assessment.assessment_type,
                        "title": _wire(assessment.title),
                        "date": _wire(assessment.date),
                        "url": assessment.url,
                        "summary": _wire(assessment.summary),
                    }
                )
                for assessment in page.impact_assessments.all()
            ],
            "lawfulBasisLinks": _links(page.lawful_basis_links.all()),
            "sourceDataLinks": _links(page.source_data_links.all()),
            **_readiness(page),
        }
    )


def dataset_body_from_page(page: DatasetPage) -> Body:
    """A ``DatasetBody`` (DCAT-AP 3) from a dataset page."""
    return _compact(
        {
            **_values(page, DATASET_FIELDS),
            **_common(page),
            "distributions": [
                _compact(
                    {
                        "accessUrl": distribution.access_url,
                        "downloadUrl": distribution.download_url,
                        "format": distribution.file_format,
                        "mediaType": distribution.media_type
                        or MEDIA_TYPES.get(distribution.file_format),
                        "byteSize": distribution.byte_size,
                    }
                )
                for distribution in page.distributions.all()
            ],
        }
    )


def course_body_from_page(page: CoursePage) -> Body:
    """A ``CourseBody`` (schema.org Course, European Learning Model)."""
    body = _compact({**_values(page, COURSE_FIELDS), **_common(page)})
    body.pop("contact", None)  # courses name their provider and URL instead
    return body


def organisation_body_from_page(page: OrganisationPage) -> Body:
    """An ``OrganisationBody`` (for partner search) from an organisation page."""
    identifiers = {
        scheme: value.strip()
        for scheme, value in (
            ("ror", page.ror_id),
            ("kvk", page.kvk_number),
            ("vat", page.vat_number),
        )
        if value and value.strip()
    }
    return _compact(
        {
            **_values(page, ORGANISATION_FIELDS),
            **_common(page),
            "identifiers": identifiers,
        }
    )


BODY_BUILDERS: dict[str, Callable[[Any], Body]] = {
    "project": project_body_from_page,
    "dataset": dataset_body_from_page,
    "course": course_body_from_page,
    "organisation": organisation_body_from_page,
}


def page_field_for(kind: str, loc: Iterable[str | int]) -> str | None:
    """The page field (or child relation) to blame for a problem at ``loc`` of a
    body of ``kind`` (a pydantic error location); None when it is the whole body."""
    table: Any = FIELD_OF_WIRE[kind]
    for part in loc:
        if not isinstance(table, dict) or not isinstance(part, str):
            break
        table = table.get(part)
        if isinstance(table, str):
            return table
    if isinstance(table, dict) and table is not FIELD_OF_WIRE[kind]:
        return next((v for v in table.values() if isinstance(v, str)), None)
    return None


def _links(links: Iterable[Any]) -> list[Body]:
    return [
        _compact({"title": _wire(link.title), "url": _wire(link.url)}) for link in links
    ]


def _common(page: HubPage) -> Body:
    return {
        "description": _rich(page.description),
        "contact": _contact(page),
        "location": _location(page),
    }


def _values(page: HubPage, fields: dict[str, str]) -> Body:
    return {wire: _wire(getattr(page, attribute)) for wire, attribute in fields.items()}


def _wire(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _rich(value: str) -> str:
    return expand_db_html(value).strip() if value else ""


def _contact(page: HubPage) -> Body | None:
    contact = _compact(
        {
            "name": _wire(getattr(page, "contact_name", "")),
            "email": _wire(getattr(page, "contact_email", "")),
            "url": _wire(getattr(page, "contact_url", "")),
        }
    )
    return contact or None


def _location(page: HubPage) -> Body | None:
    countries = country_of_nuts(page.nuts_codes)
    country = page.country or (next(iter(countries)) if len(countries) == 1 else "")
    location = _compact(
        {
            "lat": page.latitude,
            "lon": page.longitude,
            "nuts": list(page.nuts_codes),
            "country": country,
            "place": _wire(page.place),
        }
    )
    return location or None


def _compact(values: Body) -> Body:
    """Leave out what is not given: None, empty texts, lists and objects."""
    return {
        key: value
        for key, value in values.items()
        if value is not None and value != "" and value != [] and value != {}
    }
