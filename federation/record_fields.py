"""The field types of the record: plain and rich text, keywords, NUTS codes,
URLs and record ids, each with the validator that keeps markup, scripts and
malformed codes out of every body (``federation.records`` builds the bodies)."""

from __future__ import annotations

import re
from typing import Annotated

import nh3
from pydantic import AfterValidator, Field, HttpUrl

from federation.vocabularies.envelope import Kind

SLUG = r"[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?"
RECORD_ID = re.compile(
    rf"^(?P<origin>{SLUG}):(?P<kind>{'|'.join(Kind.values)}):"
    r"(?P<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
# "<" then an optional "/" (white space either side), then a tag's first letter;
# one white-space run per side, so a long run is read once, not split two ways.
_MARKUP = re.compile(r"<\s*(?:/\s*)?[a-zA-Z!]|javascript:", re.IGNORECASE)
_HOSTILE = re.compile(r"<\s*script|\son[a-z]+\s*=|javascript:", re.IGNORECASE)
RICH_TEXT_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
}


def _plain(value: str) -> str:
    if _MARKUP.search(value):
        raise ValueError("markup is not allowed in a plain-text field")
    return value.strip()


def _rich(value: str) -> str:
    if _HOSTILE.search(value):
        raise ValueError("script or event-handler markup is not allowed")
    return nh3.clean(
        value,
        tags=RICH_TEXT_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
    ).strip()


_NUTS = re.compile(r"[A-Z]{2}[A-Z0-9]{0,3}")


def _nuts(value: str) -> str:
    if not _NUTS.fullmatch(value):
        raise ValueError(f"{value!r} is not a NUTS code")
    return value


Text = Annotated[str, Field(max_length=300), AfterValidator(_plain)]
ShortText = Annotated[str, Field(max_length=120), AfterValidator(_plain)]
LongText = Annotated[str, Field(max_length=5000), AfterValidator(_plain)]
RichText = Annotated[str, Field(max_length=20000), AfterValidator(_rich)]
Keyword = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_plain)]
Keywords = Annotated[list[Keyword], Field(max_length=30)]
NutsCode = Annotated[str, AfterValidator(_nuts)]
Url = Annotated[HttpUrl, Field(max_length=500)]
RecordRef = Annotated[str, Field(pattern=RECORD_ID.pattern)]
