"""AI projects and algorithms in use: ``ProjectPage``.

Fields follow ``federation.records.ProjectBody`` (a superset of the Dutch
algorithm register standard and the Eurocities transparency standard); the risk
self-check (``cms.risk``) adds the questions that lead to the AI Act class.
Repeated parts are inline panels of ``Orderable`` rows (``project_parts``):
partners, datasets used, funding lines and impact assessments.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from cms.fields import ChoiceListField, KeywordListField
from cms.models.ai_act import AiActRegistrationFields
from cms.models.base import (
    LICENCE_ERRORS,
    LONG_TEXT,
    ContactFields,
    HubIndexPage,
    HubPage,
    hub_edit_handler,
)
from cms.models.project_panels import PROJECT_TABS
from cms.risk import RiskAnswers, RiskSuggestion, risk_suggest
from federation.vocabularies import (
    AiActClass,
    AnnexIIIArea,
    DecisionType,
    EuDataTheme,
    HumanInfluence,
    Method,
    PolicyArea,
    ProjectStatus,
    PublicationCategory,
    RightsImpact,
    TechnologyReadiness,
    licence_choices,
)


def _long_text(label: Any, help_text: Any) -> models.TextField:
    return models.TextField(
        label, max_length=LONG_TEXT, blank=True, help_text=help_text
    )


class ProjectIndexPage(HubIndexPage):
    """The hub's list of AI projects."""

    record_kind = "project"

    subpage_types: ClassVar[list[str]] = ["cms.ProjectPage"]

    class Meta:
        verbose_name = _("project index")


class ProjectPage(AiActRegistrationFields, ContactFields, HubPage):
    """An AI project or algorithm: what it does, who answers for it, how it
    affects people and how they can object."""

    record_kind = "project"

    # Overview
    short_description = models.TextField(
        _("short description"),
        max_length=500,
        help_text=_("One or two sentences in plain language: what does it do?"),
    )
    organisation_name = models.CharField(
        _("organisation"),
        max_length=300,
        help_text=_("The organisation that is responsible for the system."),
    )
    department = models.CharField(_("department"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProjectStatus.choices,
        default=ProjectStatus.DEVELOPMENT,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty if open.")
    )
    themes = ChoiceListField(_("themes"), vocabulary=EuDataTheme)
    sectors = KeywordListField(
        _("sectors"), help_text=_("Separated by commas, e.g. mobility, health.")
    )
    technologies = KeywordListField(
        _("technologies"),
        help_text=_("Separated by commas, e.g. computer vision, language models."),
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness"),
        null=True,
        blank=True,
        choices=TechnologyReadiness.choices,
    )
    goal = _long_text(
        _("goal and impact"), _("Why the organisation uses it and what it achieves.")
    )

    # Transparency and risk
    proportionality = _long_text(
        _("proportionality and alternatives"),
        _("Why the benefits outweigh the drawbacks, and what else was considered."),
    )
    human_intervention = _long_text(
        _("human intervention"),
        _("Who checks the outcome, and what can they change? Required if high-risk."),
    )
    decision_type = models.CharField(
        _("decision type"), max_length=20, blank=True, choices=DecisionType.choices
    )
    affected_groups = KeywordListField(
        _("affected groups"),
        help_text=_("Who the outcome affects, e.g. residents, job seekers."),
    )
    methods = models.CharField(
        _("methods and models"), max_length=20, blank=True, choices=Method.choices
    )
    biometric_data = models.BooleanField(
        _("uses biometric data"),
        null=True,
        blank=True,
        help_text=_("Faces, fingerprints, voices or other body features."),
    )
    risks = _long_text(
        _("risks and mitigations"), _("What could go wrong, and what you do about it.")
    )
    bias_and_protected_attributes = _long_text(
        _("bias and protected attributes"),
        _("Known biases, and whether it uses e.g. nationality, gender or age."),
    )
    lawful_basis = _long_text(
        _("lawful basis"), _("The laws and decisions that allow it, with links.")
    )
    objection_procedure = _long_text(
        _("objection and appeal"),
        _("How people can object or appeal, and where. Required if high-risk."),
    )
    performance_and_monitoring = _long_text(
        _("performance and monitoring"), _("How well it works and how you check it.")
    )

    # Risk self-check (see cms.risk)
    risk_is_ai_system = models.BooleanField(
        _("it is an AI system"),
        default=True,
        help_text=_(
            "It learns from data or infers how to reach its outcome (untick for "
            "rules that people wrote)."
        ),
    )
    risk_prohibited_practice = models.BooleanField(
        _("it does something the AI Act forbids"),
        default=False,
        help_text=_(
            "E.g. social scoring, manipulating people, predicting crime from "
            "profiles, untargeted scraping of faces (article 5)."
        ),
    )
    annex_iii_area = models.CharField(
        _("high-risk area (Annex III)"),
        max_length=30,
        blank=True,
        choices=AnnexIIIArea.choices,
        help_text=_("Leave empty if it is used in none of these areas."),
    )
    risk_profiling = models.BooleanField(
        _("it profiles people"),
        default=False,
        help_text=_("It rates or predicts people's behaviour, situation or traits."),
    )
    risk_interacts_with_people = models.BooleanField(
        _("people interact with it directly"),
        default=False,
        help_text=_("E.g. a chatbot or voice assistant."),
    )
    risk_generates_content = models.BooleanField(
        _("it generates content"),
        default=False,
        help_text=_("Text, images, sound or video."),
    )
    risk_human_influence = models.CharField(
        _("how much can a person influence the decision?"),
        max_length=20,
        blank=True,
        choices=HumanInfluence.choices,
    )
    risk_rights_impact = models.CharField(
        _("how strongly does it touch people's rights?"),
        max_length=20,
        blank=True,
        choices=RightsImpact.choices,
    )
    ai_act_suggested_class = models.CharField(
        _("suggested AI Act class"),
        max_length=20,
        blank=True,
        editable=False,
        choices=AiActClass.choices,
    )
    ai_act_class = models.CharField(
        _("AI Act class"),
        max_length=20,
        blank=True,
        choices=AiActClass.choices,
        help_text=_("Confirm the suggested class, or choose another and say why."),
    )
    ai_act_override_reason = models.TextField(
        _("reason for another class"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Required when you choose a class other than the suggested one."),
    )

    # Data
    source_code_url = models.URLField(
        _("source code"), max_length=500, blank=True, help_text=_("A public URL.")
    )
    licence = models.CharField(
        _("licence"),
        max_length=80,
        blank=True,
        choices=licence_choices,
        error_messages=LICENCE_ERRORS,
        help_text=_("The licence of the source code (SPDX identifier)."),
    )

    # Funding and procurement
    publicly_funded = models.BooleanField(_("publicly funded"), null=True, blank=True)
    supplier = models.CharField(
        _("supplier"),
        max_length=300,
        blank=True,
        help_text=_("The company that built or delivers the system."),
    )
    procurement_clauses = models.BooleanField(
        _("standard AI procurement clauses apply"),
        null=True,
        blank=True,
        help_text=_(
            "The contract obliges the supplier to explain how the system works "
            "(e.g. the EU model contractual AI clauses)."
        ),
    )

    # Algorithm register (Dutch publication standard 1.0)
    publication_category = models.CharField(
        _("publication category"),
        max_length=30,
        blank=True,
        choices=PublicationCategory.choices,
        help_text=_(
            "The Dutch algorithm register's category. Required to export to it."
        ),
    )
    policy_areas = ChoiceListField(
        _("policy areas"),
        vocabulary=PolicyArea,
        help_text=_("Up to three, as the Dutch algorithm register names them."),
    )
    methods_and_models = _long_text(
        _("technical description"),
        _("How it works: input, model, output. Say whether it is self-learning."),
    )
    source_data = _long_text(
        _("data used"),
        _("Which data it uses or was built with, and where they come from."),
    )
    impact_assessment_notes = _long_text(
        _("notes on impact assessments"),
        _("Why an assessment was not needed or not done, if so."),
    )
    website = models.URLField(
        _("public web page"),
        max_length=500,
        blank=True,
        help_text=_("Your organisation's page about it, for the public."),
    )
    register_url = models.URLField(
        _("source registration"),
        max_length=500,
        blank=True,
        help_text=_("Where it is registered first, e.g. your own algorithm register."),
    )
    processing_register_url = models.URLField(
        _("processing register"),
        max_length=500,
        blank=True,
        help_text=_("The entry in the public register of personal data processing."),
    )
    source_id = models.CharField(
        _("source id"),
        max_length=100,
        blank=True,
        help_text=_("Its id in your organisation's own register, if any."),
    )
    tags = KeywordListField(
        _("search terms"), help_text=_("Separated by commas, to help people find it.")
    )
    # Which algorithm register entry this page was imported from, so importing
    # the same entry again updates this page instead of creating another.
    register_key = models.CharField(
        max_length=100, blank=True, editable=False, db_index=True
    )

    search_fields: ClassVar[list[index.BaseField]] = [
        *HubPage.search_fields,
        index.SearchField("short_description"),
        index.SearchField("organisation_name"),
        index.FilterField("status"),
        index.FilterField("ai_act_class"),
    ]
    parent_page_types: ClassVar[list[str]] = ["cms.ProjectIndexPage"]
    # A copy is another project: it must not be found as the imported entry.
    exclude_fields_in_copy: ClassVar[list[str]] = [
        *HubPage.exclude_fields_in_copy,
        "register_key",
    ]

    edit_handler = hub_edit_handler(PROJECT_TABS)

    class Meta:
        verbose_name = _("project")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["register_key"],
                condition=~models.Q(register_key=""),
                name="project_register_key_unique",
            )
        ]

    def clean(self) -> None:
        # Keep the stored suggestion in step with the answers it came from.
        self.ai_act_suggested_class = self.risk_suggestion.ai_act_class
        super().clean()

    @property
    def risk_answers(self) -> RiskAnswers:
        """The self-check answers on this page."""
        return RiskAnswers(
            is_ai_system=self.risk_is_ai_system,
            prohibited_practice=self.risk_prohibited_practice,
            annex_iii_area=self.annex_iii_area,
            profiling=self.risk_profiling,
            interacts_with_people=self.risk_interacts_with_people,
            generates_content=self.risk_generates_content,
            human_influence=self.risk_human_influence,
            rights_impact=self.risk_rights_impact,
        )

    @property
    def risk_suggestion(self) -> RiskSuggestion:
        """The self-check's suggestion for the current answers."""
        return risk_suggest(self.risk_answers)
