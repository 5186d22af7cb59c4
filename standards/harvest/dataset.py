"""Checks shared by the dataset kinds (DCAT-AP, CKAN): text, URLs and the
shape of the page values a dataset item carries."""

from __future__ import annotations

import html
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from cms.fields import rich_text_sanitize
from standards.harvest.items import ItemRefused

URL_MAX = 500
TITLE_MAX = 255
_url_validator = URLValidator(schemes=("http", "https"))


def text_clean(value: str, *, limit: int) -> str:
    """Plain text without markup (tags are dropped, entities read), cut to
    ``limit``."""
    return html.unescape(rich_text_sanitize_plain(value)).strip()[:limit]


def rich_text_sanitize_plain(value: str) -> str:
    """``value`` with every tag dropped and its text kept."""
    return nh3.clean(value, tags=set())


def description_html(value: str) -> str:
    """The description as the page's rich text: markup sanitised by the
    catalogue's helper, plain text put in paragraphs."""
    text = value.strip()
    if not text:
        return ""
    if "<" in text:
        return rich_text_sanitize(text)
    return "".join(
        f"<p>{html.escape(part.strip())}</p>"
        for part in text.split("\n\n")
        if part.strip()
    )


def url_of(value: str, *, field: str) -> str:
    """A checked http(s) URL; ``ItemRefused`` for anything else."""
    text = value.strip()
    if len(text) > URL_MAX:
        raise ItemRefused(f"{field}: URL longer than {URL_MAX} characters")
    try:
        _url_validator(text)
    except ValidationError:
        raise ItemRefused(f"{field}: not an http(s) URL: {text[:80]!r}") from None
    return text


def source_link(value: str) -> tuple[str, str]:
    """Where an item is at its source as a checked http(s) URL, with "" as the
    reason; or "" and why it was left out (a bad link does not refuse the item)."""
    if not value:
        return "", ""
    try:
        return url_of(value, field="source link"), ""
    except ItemRefused as error:
        return "", f"{error} (left out)"


def dataset_values(
    *,
    title: str,
    description: str,
    publisher: str,
    keywords: list[str],
    themes: list[str],
    licence: str,
    access_rights: str,
    temporal_start: Any,
    temporal_end: Any,
    frequency: str,
    country: str,
    nuts_codes: list[str],
    language: str,
    landing_page: str,
    distributions: list[dict[str, Any]],
    source: str = "",
) -> dict[str, Any]:
    """The page values of a harvested dataset; ``ItemRefused`` when it lacks
    what a dataset record needs."""
    title = text_clean(title, limit=TITLE_MAX)
    if not title:
        raise ItemRefused("no title")
    publisher = text_clean(publisher, limit=300)
    if not publisher:
        raise ItemRefused("no publisher (neither the dataset's nor the catalogue's)")
    if temporal_start and temporal_end and temporal_end < temporal_start:
        raise ItemRefused("temporal coverage ends before it starts")
    keywords = sorted({text_clean(word, limit=80) for word in keywords} - {""})[:30]
    return {
        "title": title,
        "description": description_html(description),
        "publisher": publisher,
        "keywords": keywords,
        "themes": sorted(set(themes)),
        "licence": licence,
        "access_rights": access_rights or "public",
        "temporal_start": temporal_start.isoformat() if temporal_start else None,
        "temporal_end": temporal_end.isoformat() if temporal_end else None,
        "frequency": frequency,
        "country": country,
        "nuts_codes": sorted(set(nuts_codes)),
        "language": language,
        "contact_url": landing_page,
        "distributions": distributions,
        "harvested_from": source,
    }
