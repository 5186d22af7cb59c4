"""What a deployer of a high-risk AI system registers and assesses under the AI
Act (Regulation (EU) 2024/1689): the fields of ``ProjectPage`` that feed its
registration package (Annex VIII Section C) and its fundamental rights impact
assessment (Art. 27(1)(a)-(f) and the notification of Art. 27(3)).

They stay at the origin hub: the record body carries only whether the package
is complete (``cms.aiact``), never these texts.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.models.base import LONG_TEXT


def _assessment_text(label: Any, help_text: Any) -> models.TextField:
    return models.TextField(
        label, max_length=LONG_TEXT, blank=True, help_text=help_text
    )


class AiActRegistrationFields(models.Model):
    """The deployer's registration (Annex VIII C) and FRIA (Art. 27) fields."""

    deployer_address = models.CharField(
        _("deployer's address"),
        max_length=300,
        blank=True,
        help_text=_("The postal address of the organisation that uses the system."),
    )
    submitter_name = models.CharField(
        _("submitted by"),
        max_length=300,
        blank=True,
        help_text=_("Who registers the system in the EU database for you."),
    )
    submitter_address = models.CharField(
        _("submitter's address"), max_length=300, blank=True
    )
    submitter_contact = models.CharField(
        _("submitter's contact"),
        max_length=300,
        blank=True,
        help_text=_("An e-mail address or phone number."),
    )
    ai_provider_name = models.CharField(
        _("provider"),
        max_length=300,
        blank=True,
        help_text=_("The provider that registered the system in the EU database."),
    )
    eu_database_url = models.URLField(
        _("provider's entry in the EU database"),
        max_length=500,
        blank=True,
        help_text=_("The URL of the system's entry in the EU database."),
    )
    fria_processes = _assessment_text(
        _("FRIA: processes"),
        _("The processes in which you use the system, for its intended purpose."),
    )
    fria_period_frequency = _assessment_text(
        _("FRIA: period and frequency"),
        _("How long and how often you intend to use the system."),
    )
    fria_affected_persons = _assessment_text(
        _("FRIA: persons affected"),
        _("The categories of people and groups likely to be affected."),
    )
    fria_risks_of_harm = _assessment_text(
        _("FRIA: risks of harm"),
        _("The specific risks of harm to those people and groups."),
    )
    fria_measures = _assessment_text(
        _("FRIA: measures if risks materialise"),
        _("What you do when a risk materialises: governance and complaints."),
    )
    fria_notified_on = models.DateField(
        _("FRIA notified on"),
        null=True,
        blank=True,
        help_text=_("When you notified the market surveillance authority."),
    )

    class Meta:
        abstract = True
