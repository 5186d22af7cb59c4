"""Datasets (DCAT-AP 3): ``DatasetPage`` and its distributions."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    TitleFieldPanel,
)
from wagtail.models import Orderable
from wagtail.search import index

from cms.fields import ChoiceListField, KeywordListField
from cms.models.base import (
    LICENCE_ERRORS,
    LONG_TEXT,
    ContactFields,
    HubIndexPage,
    HubPage,
    hub_edit_handler,
)
from federation.vocabularies import (
    AccessRights,
    EuDataTheme,
    FileFormat,
    PersonalData,
    UpdateFrequency,
    licence_choices,
)


class DatasetIndexPage(HubIndexPage):
    """The hub's list of datasets."""

    record_kind = "dataset"

    subpage_types: ClassVar[list[str]] = ["cms.DatasetPage"]

    class Meta:
        verbose_name = _("dataset index")


class DatasetPage(ContactFields, HubPage):
    """A dataset: what it holds, who publishes it, who may use it and how good it
    is."""

    record_kind = "dataset"

    publisher = models.CharField(
        _("publisher"),
        max_length=300,
        help_text=_("The organisation that makes the dataset available."),
    )
    keywords = KeywordListField(
        _("keywords"), help_text=_("Separated by commas, e.g. parking, permits.")
    )
    themes = ChoiceListField(
        _("themes"),
        vocabulary=EuDataTheme,
        help_text=_("The EU's data themes it belongs to."),
    )
    licence = models.CharField(
        _("licence"),
        max_length=80,
        blank=True,
        choices=licence_choices,
        error_messages=LICENCE_ERRORS,
        help_text=_("Under which licence people may reuse it (SPDX identifier)."),
    )
    access_rights = models.CharField(
        _("access"), max_length=20, choices=AccessRights.choices
    )
    b2g_sharing = models.BooleanField(
        _("available to governments"),
        null=True,
        blank=True,
        help_text=_("Can a government body get it for a public interest task?"),
    )
    temporal_start = models.DateField(_("covers from"), null=True, blank=True)
    temporal_end = models.DateField(_("covers until"), null=True, blank=True)
    frequency = models.CharField(
        _("update frequency"),
        max_length=20,
        blank=True,
        choices=UpdateFrequency.choices,
    )
    personal_data = models.CharField(
        _("personal data"),
        max_length=20,
        choices=PersonalData.choices,
        default=PersonalData.NONE,
    )
    quality_notes = models.TextField(
        _("quality"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_(
            "Is it representative? Known gaps and biases? Numbers that help judge it."
        ),
    )
    # Set by a harvest only (the item's page at its source), shown, not edited.
    harvested_from = models.URLField(_("harvested from"), max_length=500, blank=True)

    search_fields: ClassVar[list[index.BaseField]] = [
        *HubPage.search_fields,
        index.SearchField("publisher"),
        index.FilterField("access_rights"),
    ]
    parent_page_types: ClassVar[list[str]] = ["cms.DatasetIndexPage"]

    edit_handler = hub_edit_handler(
        [
            (
                _("Overview"),
                [
                    TitleFieldPanel("title"),
                    FieldPanel("description"),
                    FieldPanel("publisher"),
                    FieldPanel("harvested_from", read_only=True),
                    *ContactFields.contact_panels,
                    FieldPanel("keywords"),
                    FieldPanel("themes"),
                    FieldPanel("language"),
                ],
            ),
            (
                _("Transparency and quality"),
                [FieldPanel("personal_data"), FieldPanel("quality_notes")],
            ),
            (
                _("Data"),
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("access_rights"),
                            FieldPanel("licence"),
                            FieldPanel("b2g_sharing"),
                        ],
                        heading=_("Access and reuse"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldRowPanel(
                                [
                                    FieldPanel("temporal_start"),
                                    FieldPanel("temporal_end"),
                                ]
                            ),
                            FieldPanel("frequency"),
                        ],
                        heading=_("Time"),
                    ),
                    InlinePanel(
                        "distributions",
                        heading=_("Distributions"),
                        label=_("Distribution"),
                    ),
                ],
            ),
            (_("Location"), HubPage.location_panels),
        ]
    )

    class Meta:
        verbose_name = _("dataset")


class DatasetDistribution(Orderable):
    """One way to get a dataset: a download or an access point."""

    page = ParentalKey(
        DatasetPage, on_delete=models.CASCADE, related_name="distributions"
    )
    access_url = models.URLField(
        _("access URL"),
        max_length=500,
        help_text=_("The page or service where people get the data."),
    )
    download_url = models.URLField(
        _("download URL"), max_length=500, blank=True, help_text=_("A direct file.")
    )
    file_format = models.CharField(
        _("format"), max_length=20, blank=True, choices=FileFormat.choices
    )
    media_type = models.CharField(
        _("media type"),
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                r"^[\w.+-]+/[\w.+-]+$",
                _("A media type looks like text/csv or application/json."),
            )
        ],
        help_text=_("Leave empty to take it from the format."),
    )
    byte_size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)

    panels: ClassVar[list[Any]] = [
        FieldPanel("access_url"),
        FieldPanel("download_url"),
        FieldRowPanel(
            [
                FieldPanel("file_format"),
                FieldPanel("media_type"),
                FieldPanel("byte_size"),
            ]
        ),
    ]
