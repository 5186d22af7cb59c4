"""The inline parts of a project page: partners, datasets used, funding lines
and impact assessments (``Orderable`` rows edited in inline panels)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from cms.models.base import LONG_TEXT
from cms.models.references import RecordReference
from federation.vocabularies import FundingProgramme, ImpactAssessmentType, PartnerRole


class ProjectPartner(Orderable, RecordReference):
    """An organisation taking part in a project, and its role."""

    reference_kind = "organisation"

    page = ParentalKey(
        "cms.ProjectPage", on_delete=models.CASCADE, related_name="partners"
    )
    organisation_page = models.ForeignKey(
        "cms.OrganisationPage",
        verbose_name=_("organisation of this hub"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_record_id = models.CharField(
        _("or: record id of an organisation of another hub"),
        max_length=200,
        blank=True,
        help_text=_("E.g. nl:organisation:7c2e…, as shown on its record page."),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=PartnerRole.choices, default="partner"
    )

    panels: ClassVar[list[Any]] = [
        FieldPanel("organisation_page"),
        FieldPanel("organisation_record_id"),
        FieldPanel("role"),
    ]
    reference_fields = ("organisation_page", "organisation_record_id")

    @property
    def organisation_ref(self) -> str:
        """The partner's record id (of the chosen page, or as given)."""
        return self.reference


class ProjectDataset(Orderable, RecordReference):
    """A dataset a project uses."""

    reference_kind = "dataset"

    page = ParentalKey(
        "cms.ProjectPage", on_delete=models.CASCADE, related_name="datasets"
    )
    dataset_page = models.ForeignKey(
        "cms.DatasetPage",
        verbose_name=_("dataset of this hub"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dataset_record_id = models.CharField(
        _("or: record id of a dataset of another hub"),
        max_length=200,
        blank=True,
        help_text=_("E.g. nl:dataset:7c2e…, as shown on its record page."),
    )

    panels: ClassVar[list[Any]] = [
        FieldPanel("dataset_page"),
        FieldPanel("dataset_record_id"),
    ]
    reference_fields = ("dataset_page", "dataset_record_id")

    @property
    def dataset_ref(self) -> str:
        """The dataset's record id (of the chosen page, or as given)."""
        return self.reference


class ProjectFunding(Orderable):
    """One source of a project's money."""

    page = ParentalKey(
        "cms.ProjectPage", on_delete=models.CASCADE, related_name="funding_lines"
    )
    programme = models.CharField(
        _("programme"), max_length=20, choices=FundingProgramme.choices
    )
    amount_eur = models.PositiveBigIntegerField(
        _("amount (euro)"), null=True, blank=True
    )

    panels: ClassVar[list[Any]] = [
        FieldRowPanel([FieldPanel("programme"), FieldPanel("amount_eur")])
    ]


class ProjectImpactAssessment(Orderable):
    """A published impact assessment of a project (DPIA, IAMA, FRIA)."""

    page = ParentalKey(
        "cms.ProjectPage", on_delete=models.CASCADE, related_name="impact_assessments"
    )
    assessment_type = models.CharField(
        _("type"), max_length=10, choices=ImpactAssessmentType.choices
    )
    title = models.CharField(
        _("name"),
        max_length=500,
        blank=True,
        help_text=_("Its own name, if not just the type, e.g. 'DPIA parking 2024'."),
    )
    date = models.DateField(_("date"), null=True, blank=True)
    url = models.URLField(
        _("link"), max_length=500, blank=True, help_text=_("Where people can read it.")
    )
    summary = models.TextField(
        _("summary"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("The main findings, in plain language."),
    )

    panels: ClassVar[list[Any]] = [
        FieldRowPanel([FieldPanel("assessment_type"), FieldPanel("date")]),
        FieldPanel("title"),
        FieldPanel("url"),
        FieldPanel("summary"),
    ]

    def clean(self) -> None:
        super().clean()
        if self.date and self.date > dt.date.today():
            raise ValidationError(
                {"date": _("An assessment that is published has a date in the past.")}
            )


class ProjectLink(Orderable):
    """A titled link of a project (a law, a data source); one table per use, so
    each has its own inline panel."""

    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("link"), max_length=500, blank=True)

    panels: ClassVar[list[Any]] = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("url")])
    ]

    class Meta(Orderable.Meta):
        abstract = True


class ProjectLawfulBasisLink(ProjectLink):
    """A law or decision a project rests on, with a link to its text."""

    page = ParentalKey(
        "cms.ProjectPage", on_delete=models.CASCADE, related_name="lawful_basis_links"
    )


class ProjectSourceDataLink(ProjectLink):
    """A data source a project uses, with a link to its description."""

    page = ParentalKey(
        "cms.ProjectPage", on_delete=models.CASCADE, related_name="source_data_links"
    )
