"""Plain text of the HTML in record bodies and register texts: one helper for
summaries, search documents, JSON-LD, DCAT and the register import."""

from __future__ import annotations

import html

import nh3

# Tags that separate text; every other tag goes and keeps its text, and
# script and style go with their content (nh3's default).
_PARAGRAPH_TAGS = ("p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6")
_BLOCK_TAGS = {*_PARAGRAPH_TAGS, "li", "br", "blockquote", "pre", "tr"}


def _no_attribute(_tag: str, _name: str, _value: str) -> None:
    return None


# The cleaner writes the kept tags in one form (lower case, no attributes,
# "<br>" for "<br/>"), so plain string replacement finds them all.
_CLEANER = nh3.Cleaner(
    tags=_BLOCK_TAGS, attributes={}, attribute_filter=_no_attribute, link_rel=None
)
_PARAGRAPH = "\n\n"
_LINES: dict[str, str] = {
    **{f"<{tag}>": _PARAGRAPH for tag in _PARAGRAPH_TAGS},
    **{f"</{tag}>": _PARAGRAPH for tag in _PARAGRAPH_TAGS},
    "<li>": "\n- ",
    "<br>": "\n",
}


def plain_text(
    value: str | None, *, limit: int | None = None, paragraphs: bool = False
) -> str:
    """The text of ``value`` (HTML or plain text) without tags, entities
    decoded. Block tags separate words; white space is folded to single
    spaces, or, with ``paragraphs``, kept as lines: paragraphs separated by a
    blank line, list items as "- " lines. ``limit`` cuts on a word boundary
    with an ellipsis."""
    if not value:
        return ""
    cleaned = _CLEANER.clean(value)
    for tag in _BLOCK_TAGS:
        separator = _LINES.get(f"<{tag}>", " ") if paragraphs else " "
        cleaned = cleaned.replace(f"<{tag}>", separator)
        cleaned = cleaned.replace(f"</{tag}>", _LINES.get(f"</{tag}>", " "))
    text = html.unescape(cleaned)
    text = _lines(text) if paragraphs else " ".join(text.split())
    return text_cut(text, limit=limit) if limit is not None else text


def _lines(text: str) -> str:
    lines: list[str] = []
    for line in text.split("\n"):
        folded = " ".join(line.split())
        if folded or (lines and lines[-1]):
            lines.append(folded)
    return "\n".join(lines).strip()


def text_cut(text: str, *, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters on a word boundary, with an
    ellipsis where anything was cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace():
        # the last word is cut short: it goes
        cut = cut.rsplit(" ", 1)[0]
    return f"{cut.rstrip(' ,.;:-')}…"
