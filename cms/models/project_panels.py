"""The editing tabs of ``ProjectPage``: what an editor fills in, grouped the
way the algorithm register and the AI Act risk self-check ask for it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    Panel,
    TitleFieldPanel,
)

from cms.models.base import ContactFields, HubPage
from cms.panels import RiskSuggestionPanel

PROJECT_TABS: list[tuple[Any, list[Panel]]] = [
    (
        _("Overview"),
        [
            TitleFieldPanel("title", heading=_("Name")),
            FieldPanel("short_description"),
            FieldPanel("description"),
            MultiFieldPanel(
                [
                    FieldPanel("organisation_name"),
                    FieldPanel("department"),
                ],
                heading=_("Responsible organisation"),
            ),
            *ContactFields.contact_panels,
            MultiFieldPanel(
                [
                    FieldPanel("status"),
                    FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                    FieldPanel("trl"),
                ],
                heading=_("Status"),
            ),
            FieldPanel("goal"),
            FieldPanel("themes"),
            FieldPanel("sectors"),
            FieldPanel("technologies"),
            InlinePanel("partners", heading=_("Partners"), label=_("Partner")),
            FieldPanel("language"),
        ],
    ),
    (
        _("Transparency and risk"),
        [
            MultiFieldPanel(
                [
                    FieldPanel("risk_is_ai_system"),
                    FieldPanel("risk_prohibited_practice"),
                    FieldPanel("annex_iii_area"),
                    FieldPanel("risk_profiling"),
                    FieldPanel("risk_interacts_with_people"),
                    FieldPanel("risk_generates_content"),
                    FieldPanel("risk_human_influence"),
                    FieldPanel("risk_rights_impact"),
                ],
                heading=_("Risk self-check"),
            ),
            RiskSuggestionPanel(heading=_("Suggested AI Act class")),
            MultiFieldPanel(
                [
                    FieldPanel("ai_act_class"),
                    FieldPanel("ai_act_override_reason"),
                ],
                heading=_("Your decision"),
            ),
            FieldPanel("decision_type"),
            FieldPanel("human_intervention"),
            FieldPanel("affected_groups"),
            FieldPanel("objection_procedure"),
            FieldPanel("proportionality"),
            FieldPanel("risks"),
            FieldPanel("bias_and_protected_attributes"),
            FieldPanel("biometric_data"),
            FieldPanel("lawful_basis"),
            InlinePanel(
                "lawful_basis_links",
                heading=_("Laws and decisions"),
                label=_("Law or decision"),
            ),
            InlinePanel(
                "impact_assessments",
                heading=_("Impact assessments"),
                label=_("Impact assessment"),
            ),
            FieldPanel("impact_assessment_notes"),
            FieldPanel("methods"),
            FieldPanel("methods_and_models"),
            FieldPanel("performance_and_monitoring"),
        ],
    ),
    (
        _("AI Act registration"),
        [
            MultiFieldPanel(
                [
                    FieldPanel("deployer_address"),
                    FieldPanel("submitter_name"),
                    FieldRowPanel(
                        [
                            FieldPanel("submitter_address"),
                            FieldPanel("submitter_contact"),
                        ]
                    ),
                ],
                heading=_("Deployer"),
            ),
            MultiFieldPanel(
                [FieldPanel("ai_provider_name"), FieldPanel("eu_database_url")],
                heading=_("Provider"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("fria_processes"),
                    FieldPanel("fria_period_frequency"),
                    FieldPanel("fria_affected_persons"),
                    FieldPanel("fria_risks_of_harm"),
                    FieldPanel("fria_measures"),
                    FieldPanel("fria_notified_on"),
                ],
                heading=_("Fundamental rights impact assessment"),
            ),
        ],
    ),
    (
        _("Data"),
        [
            InlinePanel("datasets", heading=_("Datasets used"), label=_("Dataset")),
            FieldPanel("source_data"),
            InlinePanel(
                "source_data_links",
                heading=_("Data sources"),
                label=_("Data source"),
            ),
            FieldPanel("source_code_url"),
            FieldPanel("licence"),
        ],
    ),
    (
        _("Funding and procurement"),
        [
            FieldPanel("publicly_funded"),
            InlinePanel("funding_lines", heading=_("Funding"), label=_("Funding line")),
            FieldPanel("supplier"),
            FieldPanel("procurement_clauses"),
        ],
    ),
    (
        _("Algorithm register"),
        [
            FieldPanel("publication_category"),
            FieldPanel("policy_areas"),
            FieldPanel("website"),
            FieldPanel("register_url"),
            FieldPanel("processing_register_url"),
            FieldPanel("source_id"),
            FieldPanel("tags"),
        ],
    ),
    (_("Location"), HubPage.location_panels),
]
