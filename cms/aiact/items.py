"""The items the AI Act asks of a deployer of a high-risk system, declared once.

Followed text: Regulation (EU) 2024/1689 as published in the Official Journal
(OJ L, 2024/1689, 12.7.2024). Each ``LegalItem`` names its provision, a label,
why it matters, and how to read it from a project page. ``cms.aiact.package``
turns them into a checklist; nothing else restates the law.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from cms.models import ProjectPage

Part = Literal["registration", "fria"]

REGULATION = "Regulation (EU) 2024/1689 (OJ L, 2024/1689, 12.7.2024)"

# Annex III points 1, 6 and 7 (biometrics, law enforcement, migration, asylum and
# border control): registered in the non-public section of the EU database with
# Section C points 1 to 3 only (Art. 49(4)).
RESTRICTED_AREAS = frozenset({"biometrics", "law-enforcement", "migration"})
# Annex III point 2 (critical infrastructure): registered at national level
# (Art. 49(5)) and exempt from the FRIA (Art. 27(1)).
NATIONAL_AREAS = frozenset({"critical-infrastructure"})
# Section C points that a restricted-area registration carries (Art. 49(4)(c)).
RESTRICTED_REGISTRATION_ITEMS = frozenset(
    {"annex-viii-c-1", "annex-viii-c-2", "annex-viii-c-3"}
)

# Body fields (wire names) a project in a restricted area keeps at its hub: the
# law makes none of them public for such systems.
WITHHELD_IN_RESTRICTED_AREAS: dict[str, str] = {
    "impactAssessments": "Art. 49(4)(c): Annex VIII C points 4-5 not registered",
    "impactAssessmentNotes": "Art. 49(4)(c): Annex VIII C points 4-5 not registered",
    "risks": "Art. 27(1)(d): part of the FRIA, notified to the authority only",
    "biasAndProtectedAttributes": "Art. 27(1)(d): part of the FRIA",
    "methodsAndModels": "Art. 49(4)(a): Annex VIII A point 6 (operating logic)",
    "sourceData": "Art. 49(4)(a): Annex VIII A point 6 (data, inputs)",
    "sourceDataLinks": "Art. 49(4)(a): Annex VIII A point 6 (data, inputs)",
    "euDatabaseUrl": "Art. 49(4): the entry is in the non-public section",
    "aiProvider": "Art. 49(4)(a): Annex VIII A point 1, non-public section",
    "supplier": "Art. 49(4)(a): Annex VIII A point 1, non-public section",
    "aiActPackageComplete": "Art. 49(4): registration facts are non-public",
    "friaPerformed": "Art. 49(4): registration facts are non-public",
    "friaNotified": "Art. 49(4): registration facts are non-public",
}


@dataclass(frozen=True)
class LegalItem:
    """One thing the law asks of the deployer, and where a page holds it."""

    key: str
    part: Part
    reference: str
    label: str | Promise
    why: str | Promise
    # Any, not ProjectPage: mypy meets this table inside the page models' own
    # import cycle, where their fields have no type yet.
    read: Callable[[Any], str]


def _text(*values: object) -> str:
    return " — ".join(str(v).strip() for v in values if v and str(v).strip())


def _all_or_nothing(*values: object) -> str:
    return _text(*values) if all(v and str(v).strip() for v in values) else ""


def _assessment_summary(page: ProjectPage, kind: str) -> str:
    return _text(
        *(
            row.summary
            for row in page.impact_assessments.all()
            if row.assessment_type == kind
        )
    )


def _deployer(page: ProjectPage) -> str:
    contact = page.contact_email or page.contact_url
    return _all_or_nothing(page.organisation_name, page.deployer_address, contact)


def _submitter(page: ProjectPage) -> str:
    return _all_or_nothing(
        page.submitter_name, page.submitter_address, page.submitter_contact
    )


def _provider_entry(page: ProjectPage) -> str:
    return (
        _text(page.ai_provider_name, page.eu_database_url)
        if page.eu_database_url
        else ""
    )


def _affected(page: ProjectPage) -> str:
    return _text(page.fria_affected_persons, ", ".join(page.affected_groups or []))


def _measures(page: ProjectPage) -> str:
    return (
        _text(page.fria_measures, page.objection_procedure)
        if page.fria_measures
        else ""
    )


def _notified(page: ProjectPage) -> str:
    return page.fria_notified_on.isoformat() if page.fria_notified_on else ""


LEGAL_ITEMS: tuple[LegalItem, ...] = (
    LegalItem(
        "annex-viii-c-1",
        "registration",
        "Annex VIII, Section C, point 1",
        _("Deployer's name, address and contact details"),
        _("The EU database names who uses the system and how to reach them."),
        _deployer,
    ),
    LegalItem(
        "annex-viii-c-2",
        "registration",
        "Annex VIII, Section C, point 2",
        _("Name, address and contact details of who submits on your behalf"),
        _("The authority must know who answers for the registration."),
        _submitter,
    ),
    LegalItem(
        "annex-viii-c-3",
        "registration",
        "Annex VIII, Section C, point 3",
        _("URL of the provider's entry of the system in the EU database"),
        _("Your registration points to the system the provider registered."),
        _provider_entry,
    ),
    LegalItem(
        "annex-viii-c-4",
        "registration",
        "Annex VIII, Section C, point 4; Art. 27",
        _("Summary of the findings of the fundamental rights impact assessment"),
        _("People can read what the FRIA found before the system is used on them."),
        lambda page: _assessment_summary(page, "fria"),
    ),
    LegalItem(
        "annex-viii-c-5",
        "registration",
        "Annex VIII, Section C, point 5; Art. 26(8)",
        _("Summary of the data protection impact assessment, where applicable"),
        _("The GDPR assessment shows how personal data are protected."),
        lambda page: _assessment_summary(page, "dpia"),
    ),
    LegalItem(
        "art-27-1-a",
        "fria",
        "Art. 27(1)(a)",
        _("The processes in which the system is used"),
        _("The assessment starts from how the system fits your work."),
        lambda page: page.fria_processes.strip(),
    ),
    LegalItem(
        "art-27-1-b",
        "fria",
        "Art. 27(1)(b)",
        _("The period and frequency of use"),
        _("How long and how often decide how much harm can add up."),
        lambda page: page.fria_period_frequency.strip(),
    ),
    LegalItem(
        "art-27-1-c",
        "fria",
        "Art. 27(1)(c)",
        _("The categories of persons and groups likely to be affected"),
        _("Risks can only be weighed for people you have named."),
        _affected,
    ),
    LegalItem(
        "art-27-1-d",
        "fria",
        "Art. 27(1)(d)",
        _("The specific risks of harm to those persons and groups"),
        _("Naming the risks is what the assessment is for."),
        lambda page: page.fria_risks_of_harm.strip(),
    ),
    LegalItem(
        "art-27-1-e",
        "fria",
        "Art. 27(1)(e)",
        _("The human oversight measures"),
        _("A person must be able to check and correct the system."),
        lambda page: page.human_intervention.strip(),
    ),
    LegalItem(
        "art-27-1-f",
        "fria",
        "Art. 27(1)(f)",
        _("The measures if risks materialise, including complaint handling"),
        _("People need a way to complain, and you a plan when harm occurs."),
        _measures,
    ),
    LegalItem(
        "art-27-3",
        "fria",
        "Art. 27(3)",
        _("Notification of the FRIA results to the market surveillance authority"),
        _("The authority must have the results before the system is used."),
        _notified,
    ),
)
FRIA_ASSESSMENT_ITEMS = frozenset(
    item.key for item in LEGAL_ITEMS if item.key.startswith("art-27-1-")
)
