"""Plain text from the rich text of record bodies (for summaries and JSON-LD)."""

from __future__ import annotations

import html
import re

import nh3

_SPACE = re.compile(r"\s+")
_BLOCK_END = re.compile(r"</(p|li|h3|h4)>|<br\s*/?>", re.IGNORECASE)


def plain_text(rich: str | None, *, limit: int | None = None) -> str:
    """The text of sanitized rich text, without tags (scripts and styles are
    dropped with their content), whitespace collapsed, cut at ``limit``
    characters on a word boundary with an ellipsis."""
    if not rich:
        return ""
    spaced = _BLOCK_END.sub(lambda match: f"{match.group(0)} ", rich)
    text = _SPACE.sub(" ", html.unescape(nh3.clean(spaced, tags=set()))).strip()
    if limit is not None and len(text) > limit:
        cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:")
        text = f"{cut}…"
    return text
