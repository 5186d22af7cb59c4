"""Vocabularies of organisations: types (the quadruple helix), size classes and
the services of European Digital Innovation Hubs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    """What kind of organisation it is."""

    GOVERNMENT = "government", _("Government (local, regional, national or EU)")
    COMPANY = "company", _("Company")
    SME = "sme", _("SME or start-up")
    KNOWLEDGE_INSTITUTION = (
        "knowledge-institution",
        _("Knowledge institution (university, research or training organisation)"),
    )
    CIVIL_SOCIETY = "civil-society", _("Civil society (associations, citizens)")


class Helix(models.TextChoices):
    """The four strands of the quadruple helix of innovation."""

    GOVERNMENT = "government", _("Government")
    INDUSTRY = "industry", _("Industry")
    ACADEMIA = "academia", _("Academia")
    CIVIL_SOCIETY = "civil-society", _("Civil society")


HELIX_OF_TYPE: dict[str, str] = {
    OrganisationType.GOVERNMENT: Helix.GOVERNMENT,
    OrganisationType.COMPANY: Helix.INDUSTRY,
    OrganisationType.SME: Helix.INDUSTRY,
    OrganisationType.KNOWLEDGE_INSTITUTION: Helix.ACADEMIA,
    OrganisationType.CIVIL_SOCIETY: Helix.CIVIL_SOCIETY,
}


class SizeClass(models.TextChoices):
    """Company size classes of the EU SME definition (Recommendation 2003/361)."""

    MICRO = "micro", _("Micro: fewer than 10 people")
    SMALL = "small", _("Small: fewer than 50 people")
    MEDIUM = "medium", _("Medium: fewer than 250 people")
    LARGE = "large", _("Large: 250 people or more")


class EdihService(models.TextChoices):
    """The four service types of European Digital Innovation Hubs."""

    TEST_BEFORE_INVEST = "test-before-invest", _("Test before invest")
    SKILLS_AND_TRAINING = "skills-and-training", _("Skills and training")
    ACCESS_TO_FINANCE = "access-to-finance", _("Support to find investments")
    ECOSYSTEM_AND_NETWORKING = (
        "ecosystem-and-networking",
        _("Innovation ecosystem and networking"),
    )
