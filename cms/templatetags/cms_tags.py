"""Template helpers of the public site."""

from __future__ import annotations

import nh3
from django import template
from django.db.models import Model
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html

from cms.selectors import labels
from federation.records import RICH_TEXT_TAGS

register = template.Library()


@register.filter
def rich_html(value: str | None) -> SafeString:
    """Rich text as safe HTML: Wagtail's links expanded, then sanitized with the
    record schema's tag list (so no script ever reaches a page)."""
    if not value:
        return mark_safe("")
    html = nh3.clean(
        expand_db_html(str(value)),
        tags=RICH_TEXT_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
    )
    return mark_safe(html)  # noqa: S308 - sanitized by nh3 above


@register.simple_tag
def record_url(record_id: str) -> str:
    """The public page of a held record."""
    return reverse("cms:record_detail", args=[record_id])


@register.filter
def list_labels(page: Model, field_name: str) -> list[str]:
    """The labels of a list field's codes: ``page|list_labels:"themes"``."""
    values = getattr(page, field_name, None) or []
    vocabulary = getattr(page._meta.get_field(field_name), "vocabulary", None)
    return labels(values, vocabulary) if vocabulary else [str(v) for v in values]
