"""Template helpers of the public site."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

import nh3
from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html

from federation.record_fields import RICH_TEXT_TAGS
from federation.vocabularies import country_name as vocabulary_country_name
from federation.vocabularies import nuts_label
from federation.vocabularies.labels import code_label, code_labels, labels

register = template.Library()

# What must not appear inside a <script> element's text: the JSON stays valid
# and no "</script>" or "<!--" can end or confuse the element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


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
def jsonld_script(data: Mapping[str, Any] | None) -> SafeString:
    """A JSON-LD data block: ``<script type="application/ld+json">``. The JSON
    has ``<``, ``>`` and ``&`` escaped, so the element holds data only."""
    if not data:
        return mark_safe("")
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),  # noqa: S308 - escaped above
    )


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


@register.filter
def vocab(value: Any, key: str) -> str:
    """The label of a code of wire field ``key``: ``body.status|vocab:"status"``."""
    return "" if value in (None, "") else code_label(key, value)


@register.filter
def vocab_list(values: Iterable[Any] | None, key: str) -> list[str]:
    """The labels of a list of codes: ``body.themes|vocab_list:"themes"``."""
    return code_labels(key, values or [])


@register.filter
def wire_date(value: Any) -> dt.date | dt.datetime | None:
    """An ISO date or date-time of a record (``2026-02-01``) as a Python value,
    for Django's ``date`` filter; None when it is not one."""
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).replace("Z", "+00:00")
    try:
        return parse_datetime(text) or parse_date(text)
    except ValueError:
        return None


@register.filter
def nuts_names(codes: Iterable[str] | None) -> list[str]:
    """``["NL414"]`` → ``["NL414 Zuidoost-Noord-Brabant"]``."""
    return [nuts_label(str(code)) for code in codes or []]


@register.filter
def country_name(code: str | None) -> str:
    """The name of a country by its ISO code (the code when unknown)."""
    return vocabulary_country_name(code) if code else ""


@register.filter
def lookup(mapping: Mapping[str, Any] | None, key: Any) -> Any:
    """``refs|lookup:record_id``: a value of a mapping by a variable key."""
    return (mapping or {}).get(key)


@register.simple_tag
def page_query(request: HttpRequest, number: int) -> str:
    """The current query string with ``page`` set to ``number`` (for pagination
    links that keep the filters)."""
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"
