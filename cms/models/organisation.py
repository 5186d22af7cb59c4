"""Partner organisations (the quadruple helix): ``OrganisationPage``."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.search import index

from cms.fields import ChoiceListField, KeywordListField
from cms.models.base import ContactFields, HubIndexPage, HubPage, hub_edit_handler
from federation.vocabularies import EdihService, OrganisationType, SizeClass


class OrganisationIndexPage(HubIndexPage):
    """The hub's list of partner organisations."""

    record_kind = "organisation"

    subpage_types: ClassVar[list[str]] = ["cms.OrganisationPage"]

    class Meta:
        verbose_name = _("organisation index")


class OrganisationPage(ContactFields, HubPage):
    """An organisation SMEs and others can partner with: what it is, what it knows
    and what it offers."""

    record_kind = "organisation"

    ror_id = models.CharField(
        _("ROR id"),
        max_length=9,
        blank=True,
        validators=[
            RegexValidator(
                r"^0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$",
                _("A ROR id has 9 characters, e.g. 02c2kyt77 (without ror.org/)."),
            )
        ],
        help_text=_("The Research Organization Registry id, for research bodies."),
    )
    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{8}$", _("A KvK number has 8 digits."))],
        help_text=_("Dutch Chamber of Commerce number."),
    )
    vat_number = models.CharField(
        _("VAT number"),
        max_length=14,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Z]{2}[0-9A-Z+*]{2,12}$",
                _("A VAT number starts with the country code, e.g. NL123456789B01."),
            )
        ],
    )
    organisation_type = models.CharField(
        _("type"), max_length=30, choices=OrganisationType.choices
    )
    size_class = models.CharField(
        _("size"), max_length=10, blank=True, choices=SizeClass.choices
    )
    sectors = KeywordListField(
        _("sectors"), help_text=_("Separated by commas, e.g. health, logistics.")
    )
    technologies = KeywordListField(
        _("technologies and expertise"),
        help_text=_("Separated by commas, e.g. computer vision, robotics."),
    )
    services = ChoiceListField(
        _("services offered"),
        vocabulary=EdihService,
        help_text=_("The services of a European Digital Innovation Hub it offers."),
    )
    open_to_partnership = models.BooleanField(
        _("open to partnership"),
        default=False,
        help_text=_("Tick if it welcomes new partners for projects."),
    )
    website = models.URLField(_("website"), max_length=500, blank=True)

    search_fields: ClassVar[list[index.BaseField]] = [
        *HubPage.search_fields,
        index.FilterField("organisation_type"),
        index.FilterField("open_to_partnership"),
    ]
    parent_page_types: ClassVar[list[str]] = ["cms.OrganisationIndexPage"]

    edit_handler = hub_edit_handler(
        [
            (
                _("Overview"),
                [
                    TitleFieldPanel("title", heading=_("Name")),
                    FieldPanel("description"),
                    FieldPanel("organisation_type"),
                    FieldPanel("size_class"),
                    FieldPanel("website"),
                    *ContactFields.contact_panels,
                    FieldPanel("language"),
                ],
            ),
            (
                _("Expertise and services"),
                [
                    FieldPanel("sectors"),
                    FieldPanel("technologies"),
                    FieldPanel("services"),
                    FieldPanel("open_to_partnership"),
                ],
            ),
            (
                _("Identifiers"),
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("ror_id"),
                            FieldPanel("kvk_number"),
                            FieldPanel("vat_number"),
                        ],
                        heading=_("Registry numbers"),
                    )
                ],
            ),
            (_("Location"), HubPage.location_panels),
        ]
    )

    class Meta:
        verbose_name = _("organisation")
