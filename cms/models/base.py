"""What every record page shares: its record id, language, description, location
and contact, validation on ``clean()``, and the tabbed editing interface.

A *record page* (``HubPage``) is a Wagtail page that becomes one record in the
hub's catalogue when it is published (see ``cms.services`` and ``cms.mapping``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)
from wagtail.models import Page
from wagtail.search import index

from cms.fields import NutsCodesField, SanitizedRichTextField
from cms.forms import HubPageForm, publish_rules_deferred
from cms.validation import page_problems
from federation.vocabularies import KIND_PLURALS, Kind, Language, country_choices

# Longest plain text a record body accepts in a long text field.
LONG_TEXT = 5000
LICENCE_ERRORS = {
    "invalid_choice": _(
        "“%(value)s” is not an SPDX licence identifier in this hub's list. Pick "
        "one from the list, e.g. EUPL-1.2 or Apache-2.0."
    )
}


class ContactFields(models.Model):
    """Who to contact about a record (name, e-mail, web page)."""

    contact_name = models.CharField(
        _("contact name"),
        max_length=120,
        blank=True,
        help_text=_("A team or role rather than a person, e.g. 'Data team'."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("A shared mailbox that will still work in a few years."),
    )
    contact_url = models.URLField(
        _("contact page"),
        max_length=500,
        blank=True,
        help_text=_("A web page with a contact form or more contact details."),
    )

    contact_panels: ClassVar[list[Panel]] = [
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_url")]),
            ],
            heading=_("Contact"),
        )
    ]

    class Meta:
        abstract = True


class HubPage(Page):
    """A page that is published as one record of ``record_kind``."""

    record_kind: ClassVar[str]

    record_id = models.CharField(
        _("record id"),
        max_length=200,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The catalogue id, set when the page is first published."),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        blank=True,
        choices=Language.choices,
        help_text=_(
            "The language this page is written in. Leave empty for the site's language."
        ),
    )
    description = SanitizedRichTextField(
        _("description"),
        blank=True,
        help_text=_("The full story, in plain language. Headings, lists and links."),
    )
    place = models.CharField(
        _("place"),
        max_length=120,
        blank=True,
        help_text=_("The town or address people know it by."),
    )
    nuts_codes = NutsCodesField(
        _("NUTS regions"),
        help_text=_(
            "NUTS 2021 codes of the regions it covers, separated by commas, e.g. "
            "NL41 (Noord-Brabant) or NL414 (Zuidoost-Noord-Brabant)."
        ),
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        choices=country_choices,
        help_text=_("Leave empty to take it from the NUTS regions."),
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("In decimal degrees (WGS 84), e.g. 51.6978."),
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("In decimal degrees (WGS 84), e.g. 5.3037."),
    )

    location_panels: ClassVar[list[Panel]] = [
        MultiFieldPanel(
            [
                FieldPanel("place"),
                FieldPanel("nuts_codes"),
                FieldPanel("country"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Location"),
        )
    ]

    search_fields: ClassVar[list[index.BaseField]] = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("place"),
    ]

    base_form_class = HubPageForm
    subpage_types: ClassVar[list[str]] = []
    exclude_fields_in_copy: ClassVar[list[str]] = ["record_id"]

    class Meta:
        abstract = True

    def clean(self) -> None:
        """Coherence rules always; publish rules when the page goes (or is) live,
        unless the admin form checks them itself (it sees the submitted inline
        rows, the model does not)."""
        super().clean()
        publishing = self.live and not publish_rules_deferred(self)
        problems = page_problems(self, publishing=publishing)
        if problems:
            raise ValidationError(problems)

    def with_content_json(self, content: dict[str, Any]) -> HubPage:
        """Keep the record id when a revision is restored or published: it belongs
        to the page, not to a revision (it may be set after the revision)."""
        page = super().with_content_json(content)
        page.record_id = self.record_id
        return page

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The page's record as the detail templates show it (see
        ``cms.presenters.record.record_context``)."""
        from cms.presenters.record import page_record_context

        context = super().get_context(request, *args, **kwargs)
        context.update(page_record_context(self))
        return context

    @property
    def record_language(self) -> str:
        """The ISO 639-1 language of the page's text."""
        return self.language or self.locale.language_code[:2].lower()


class HubIndexPage(Page):
    """The listing of one kind of record under the hub's home page: the
    catalogue's records of ``record_kind``, this hub's and federated ones."""

    record_kind: ClassVar[str]

    intro = SanitizedRichTextField(
        _("introduction"),
        blank=True,
        help_text=_("A few sentences above the list."),
    )

    content_panels: ClassVar[list[Any]] = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar[list[str]] = ["cms.HubHomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The catalogue's records of this index's kind (own and federated),
        filtered by the GET form and paginated."""
        from cms.filters import filter_form
        from cms.presenters.listing import catalogue_page

        context = super().get_context(request, *args, **kwargs)
        form = filter_form(self.record_kind, request.GET)
        context["filter_form"] = form
        context["results"] = catalogue_page(
            filters=form.catalogue_filter(), page=request.GET.get("page")
        )
        context["kind_plural"] = KIND_PLURALS[Kind(self.record_kind)]
        return context


def hub_edit_handler(tabs: Sequence[tuple[Any, list[Panel]]]) -> TabbedInterface:
    """A tabbed editing interface: the given (heading, panels) tabs, then Wagtail's
    Promote and Settings tabs."""
    return TabbedInterface(
        [
            *(ObjectList(panels, heading=heading) for heading, panels in tabs),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(
                [
                    *Page.settings_panels,
                    FieldPanel(
                        "record_id",
                        read_only=True,
                        help_text=_(
                            "The id of this page's record in the catalogue, for "
                            "other hubs to refer to it. Set on first publish."
                        ),
                    ),
                ],
                heading=_("Settings"),
            ),
        ]
    )
