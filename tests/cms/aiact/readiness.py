"""A project whose AI Act registration package is complete, for the tests of
``cms.aiact``: every Annex VIII Section C item and every Art. 27 point filled."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cms.models import ProjectImpactAssessment, ProjectPage


def assessments(*kinds: str) -> list[ProjectImpactAssessment]:
    """Impact assessments of ``kinds``, each with a summary."""
    return [
        ProjectImpactAssessment(
            assessment_type=kind,
            date=dt.date(2026, 5, 4),
            summary=f"{kind.upper()}: risks acceptable with review.",
        )
        for kind in kinds
    ]


def complete_fields(**overrides: Any) -> dict[str, Any]:
    """The fields of a high-risk project in use with a complete package."""
    return {
        "title": "Bijstandscheck",
        "short_description": "Checks benefit applications.",
        "organisation_name": "Gemeente Den Bosch",
        "status": "in-use",
        "ai_act_class": "high",
        "annex_iii_area": "essential-services",
        "contact_email": "algoritmes@example.org",
        "deployer_address": "Wolvenhoek 1, 5211 HH 's-Hertogenbosch",
        "submitter_name": "Functionaris AI-register",
        "submitter_address": "Wolvenhoek 1, 5211 HH 's-Hertogenbosch",
        "submitter_contact": "ai-register@example.org",
        "ai_provider_name": "Vendor BV",
        "eu_database_url": "https://ai-act-database.example.eu/systems/7",
        "fria_processes": "Intake of benefit applications.",
        "fria_period_frequency": "Daily, from 2026 to 2029.",
        "fria_affected_persons": "Applicants for social assistance.",
        "fria_risks_of_harm": "Wrongful refusal of benefits.",
        "human_intervention": "A case worker decides every application.",
        "fria_measures": "Stop the system; review all refusals.",
        "objection_procedure": "Object within six weeks.",
        "fria_notified_on": dt.date(2026, 6, 1),
        "impact_assessments": assessments("fria", "dpia"),
        **overrides,
    }


def complete_project(**overrides: Any) -> ProjectPage:
    """An unsaved project page with a complete package (``overrides`` applied)."""
    return ProjectPage(**complete_fields(**overrides))
