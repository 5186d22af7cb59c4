"""The hub's home page: the root of this hub's site."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from cms.fields import SanitizedRichTextField


class HubHomePage(Page):
    """What the hub is; the index pages of the four kinds hang below it."""

    intro = SanitizedRichTextField(
        _("introduction"),
        blank=True,
        help_text=_("What this hub does and for whom, in a few sentences."),
    )

    content_panels: ClassVar[list[Any]] = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar[list[str]] = ["wagtailcore.Page"]
    subpage_types: ClassVar[list[str]] = [
        "cms.ProjectIndexPage",
        "cms.DatasetIndexPage",
        "cms.CourseIndexPage",
        "cms.OrganisationIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("hub home page")

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The hub (level, region, neighbours) and the newest records of each
        kind in its catalogue, with the index page of each kind."""
        from cms.presenters.home import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(home=self))
        return context
