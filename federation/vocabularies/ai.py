"""Vocabularies of AI projects: AI Act classes and Annex III areas, decision types,
methods, status, technology readiness and the risk self-check answers.

Values are the wire values of ``federation.records.ProjectBody``, which derives
its allowed values from these lists; labels are plain language and translatable.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AiActClass(models.TextChoices):
    """The risk classes of the EU AI Act (Regulation (EU) 2024/1689)."""

    PROHIBITED = "prohibited", _("Prohibited practice (AI Act, article 5)")
    HIGH = "high", _("High risk (AI Act, article 6 and Annex III)")
    LIMITED = "limited", _("Limited risk: transparency duties (AI Act, article 50)")
    MINIMAL = "minimal", _("Minimal risk")
    NOT_AI = "not-ai", _("Not an AI system")


class AnnexIIIArea(models.TextChoices):
    """The eight areas of AI Act Annex III where AI systems are high-risk."""

    BIOMETRICS = (
        "biometrics",
        _("1. Biometrics: remote identification, categorisation, emotion recognition"),
    )
    CRITICAL_INFRASTRUCTURE = (
        "critical-infrastructure",
        _(
            "2. Critical infrastructure: digital infrastructure, road traffic, "
            "water, gas, heating, electricity"
        ),
    )
    EDUCATION = (
        "education",
        _(
            "3. Education and vocational training: admission, assessment, "
            "monitoring of students"
        ),
    )
    EMPLOYMENT = (
        "employment",
        _(
            "4. Employment and workers' management: recruitment, promotion, "
            "dismissal, task allocation"
        ),
    )
    ESSENTIAL_SERVICES = (
        "essential-services",
        _(
            "5. Essential private and public services: benefits, credit, insurance, "
            "emergency calls"
        ),
    )
    LAW_ENFORCEMENT = "law-enforcement", _("6. Law enforcement")
    MIGRATION = "migration", _("7. Migration, asylum and border control")
    JUSTICE_DEMOCRACY = (
        "justice-democracy",
        _("8. Administration of justice and democratic processes"),
    )


class DecisionType(models.TextChoices):
    """What the system's output does (algorithm register standard)."""

    DESCRIPTIVE = "descriptive", _("Descriptive: shows what happened")
    DIAGNOSTIC = "diagnostic", _("Diagnostic: explains why it happened")
    PREDICTIVE = "predictive", _("Predictive: estimates what will happen")
    PRESCRIPTIVE = "prescriptive", _("Prescriptive: recommends or decides what to do")


class Method(models.TextChoices):
    """How the system works."""

    SELF_LEARNING = "self-learning", _("Self-learning (machine learning)")
    RULE_BASED = "rule-based", _("Rule-based (rules written by people)")
    HYBRID = "hybrid", _("Hybrid (rules and machine learning)")


class ProjectStatus(models.TextChoices):
    """Where a project stands in its life cycle."""

    IDEA = "idea", _("Idea")
    DEVELOPMENT = "development", _("In development")
    PILOT = "pilot", _("Pilot")
    IN_USE = "in-use", _("In use")
    RETIRED = "retired", _("Retired")


class PublicationCategory(models.TextChoices):
    """The Dutch algorithm register's publication category (standard 1.0)."""

    HIGH_RISK_AI_SYSTEM = "high-risk-ai-system", _("High-risk AI system (A)")
    IMPACTFUL = "impactful", _("Impactful algorithm (B)")
    OTHER = "other", _("Other algorithm (C)")


class PolicyArea(models.TextChoices):
    """The Dutch algorithm register's policy areas ("thema", standard 1.0): the
    values are the register's own, so an entry keeps them exactly."""

    ORGANISATION = "Organisatie en bedrijfsvoering", _("Organisation and operations")
    CULTURE = "Cultuur en recreatie", _("Culture and recreation")
    ECONOMY = "Economie", _("Economy")
    PUBLIC_FINANCE = "Overheidsfinanciën", _("Public finance")
    HOUSING = "Wonen", _("Housing")
    INTERNATIONAL = "Internationaal", _("International")
    MIGRATION = "Migratie en integratie", _("Migration and integration")
    NATURE = "Natuur en milieu", _("Nature and environment")
    EDUCATION = "Onderwijs en wetenschap", _("Education and science")
    PUBLIC_ORDER = "Openbare orde en veiligheid", _("Public order and safety")
    LAW = "Recht", _("Law")
    SPATIAL = "Ruimte en infrastructuur", _("Spatial planning and infrastructure")
    SOCIAL_SECURITY = "Sociale zekerheid", _("Social security")
    TRAFFIC = "Verkeer", _("Traffic")
    WORK = "Werk", _("Work")
    HEALTH = "Zorg en gezondheid", _("Care and health")


class TechnologyReadiness(models.IntegerChoices):
    """Technology readiness levels as defined in the EU's Horizon programmes."""

    TRL1 = 1, _("TRL 1: basic principles observed")
    TRL2 = 2, _("TRL 2: technology concept formulated")
    TRL3 = 3, _("TRL 3: experimental proof of concept")
    TRL4 = 4, _("TRL 4: technology validated in the lab")
    TRL5 = 5, _("TRL 5: technology validated in a relevant environment")
    TRL6 = 6, _("TRL 6: technology demonstrated in a relevant environment")
    TRL7 = 7, _("TRL 7: prototype demonstrated in an operational environment")
    TRL8 = 8, _("TRL 8: system complete and qualified")
    TRL9 = 9, _("TRL 9: system proven in an operational environment")


class HumanInfluence(models.TextChoices):
    """How much a person can influence the decision (first municipal criterion)."""

    NONE = "none", _("None: the system decides on its own")
    LIMITED = (
        "limited",
        _("Limited: a person checks some outcomes or can stop the system"),
    )
    SUBSTANTIAL = (
        "substantial",
        _("Substantial: a person weighs the outcome with other information"),
    )
    FULL = (
        "full",
        _("Full: a person takes the decision; the system only prepares information"),
    )


class RightsImpact(models.TextChoices):
    """How strongly the decision touches people's rights (second criterion)."""

    NONE = "none", _("None: it does not affect people")
    LOW = "low", _("Low: small effects that are easy to undo")
    MEDIUM = (
        "medium",
        _("Medium: affects services, money or chances, but can be corrected"),
    )
    HIGH = (
        "high",
        _(
            "High: legal or similarly significant effects (benefits, fines, permits, "
            "jobs, liberty)"
        ),
    )


class ImpactLevel(models.TextChoices):
    """The impact on people that the two municipal criteria add up to."""

    LOW = "low", _("Low impact")
    MEDIUM = "medium", _("Medium impact")
    HIGH = "high", _("High impact")


class ImpactAssessmentType(models.TextChoices):
    """Impact assessments a project can publish."""

    DPIA = "dpia", _("DPIA: data protection impact assessment (GDPR)")
    IAMA = "iama", _("IAMA: human rights and algorithms impact assessment")
    FRIA = "fria", _("FRIA: fundamental rights impact assessment (AI Act)")
    OTHER = "other", _("Other assessment")


class PartnerRole(models.TextChoices):
    """The part a partner organisation plays in a project."""

    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")
    SUPPLIER = "supplier", _("Supplier")
    DEVELOPER = "developer", _("Developer")
    FUNDER = "funder", _("Funder")
    USER = "user", _("User")
    KNOWLEDGE_PARTNER = "knowledge-partner", _("Knowledge partner")
    OTHER = "other", _("Other")


class FundingProgramme(models.TextChoices):
    """Where the money comes from."""

    DIGITAL_EUROPE = "digital-europe", _("Digital Europe programme")
    HORIZON_EUROPE = "horizon-europe", _("Horizon Europe")
    ERDF = "erdf", _("European Regional Development Fund (ERDF)")
    NATIONAL = "national", _("National government")
    REGIONAL = "regional", _("Regional government")
    MUNICIPAL = "municipal", _("Municipality")
    PRIVATE = "private", _("Private")
    OTHER = "other", _("Other")
