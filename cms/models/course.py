"""Training courses (schema.org Course, European Learning Model): ``CoursePage``."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    TitleFieldPanel,
)
from wagtail.search import index

from cms.fields import ChoiceListField
from cms.models.base import LONG_TEXT, HubIndexPage, HubPage, hub_edit_handler
from federation.vocabularies import (
    CourseMode,
    EqfLevel,
    IscedField,
    Language,
    SchoolLevel,
    TargetGroup,
)


class CourseIndexPage(HubIndexPage):
    """The hub's list of training courses."""

    record_kind = "course"

    subpage_types: ClassVar[list[str]] = ["cms.CoursePage"]

    class Meta:
        verbose_name = _("course index")


class CoursePage(HubPage):
    """A training course about AI: for whom, at what level, when, and what it
    costs."""

    record_kind = "course"

    provider = models.CharField(
        _("provider"),
        max_length=300,
        help_text=_("The organisation that gives the course."),
    )
    course_url = models.URLField(
        _("course website"),
        max_length=500,
        blank=True,
        help_text=_("Where people read more and sign up."),
    )
    languages = ChoiceListField(_("languages"), vocabulary=Language)
    mode = models.CharField(_("mode"), max_length=20, choices=CourseMode.choices)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    workload_hours = models.PositiveIntegerField(
        _("workload (hours)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10000)],
        help_text=_("Hours of study in total, including self-study."),
    )
    price_eur = models.DecimalField(
        _("price (euro)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("0 for a free course; leave empty if unknown."),
    )
    eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"), null=True, blank=True, choices=EqfLevel.choices
    )
    isced_field = models.CharField(
        _("field of education (ISCED-F)"),
        max_length=4,
        blank=True,
        choices=IscedField.choices,
    )
    learning_outcomes = models.TextField(
        _("learning outcomes"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("What participants can do afterwards."),
    )
    credential = models.CharField(
        _("credential"),
        max_length=120,
        blank=True,
        help_text=_("E.g. certificate, micro-credential, ECTS credits."),
    )
    target_groups = ChoiceListField(_("target groups"), vocabulary=TargetGroup)
    school_level = models.CharField(
        _("school level"),
        max_length=30,
        blank=True,
        choices=SchoolLevel.choices,
        help_text=_("Where it fits in education, if it does."),
    )

    search_fields: ClassVar[list[index.BaseField]] = [
        *HubPage.search_fields,
        index.SearchField("provider"),
        index.FilterField("mode"),
    ]
    parent_page_types: ClassVar[list[str]] = ["cms.CourseIndexPage"]

    edit_handler = hub_edit_handler(
        [
            (
                _("Overview"),
                [
                    TitleFieldPanel("title"),
                    FieldPanel("description"),
                    FieldPanel("provider"),
                    FieldPanel("course_url"),
                    FieldPanel("target_groups"),
                    FieldPanel("school_level"),
                    FieldPanel("languages"),
                    FieldPanel("language"),
                ],
            ),
            (
                _("Learning"),
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("eqf_level"),
                            FieldPanel("isced_field"),
                            FieldPanel("learning_outcomes"),
                            FieldPanel("credential"),
                        ],
                        heading=_("Level and outcomes"),
                    ),
                ],
            ),
            (
                _("Schedule and price"),
                [
                    FieldPanel("mode"),
                    FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                    FieldRowPanel(
                        [FieldPanel("workload_hours"), FieldPanel("price_eur")]
                    ),
                ],
            ),
            (_("Location"), HubPage.location_panels),
        ]
    )

    class Meta:
        verbose_name = _("course")
