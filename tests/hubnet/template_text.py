"""User-visible text of a Django template that is not inside a translation tag.

The template is tokenised with Django's own Lexer; translation blocks, comments
and every ``{{ }}`` / ``{% %}`` are replaced by a space, and what is left is
read as HTML: text nodes (outside ``<script>`` and ``<style>``) and the values of
the attributes a person reads or hears must then hold no word except a few
names that are never translated.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

# Attributes shown (title, placeholder) or read out (alt, aria-*) to a person.
READ_ATTRIBUTES = frozenset(
    {"title", "alt", "aria-label", "aria-description", "placeholder"}
)
# Names and symbols that are the same in every language.
ALLOWED_WORDS = frozenset({"hubnet", "km", "ms", "ror"})
WORD = re.compile(r"[^\W\d_]+")
# A quoted literal a tag or filter shows as it is (``heading="..."``,
# ``|default:"..."``); ``_("...")`` is the translated form and does not match,
# nor does a code handed on to the ``vocab`` filter, which shows its label.
SHOWN_LITERAL = re.compile(
    r"(?:\b(?:heading|label|title|placeholder)\s*=|\|(?:yesno|default|default_if_none):)"
    r'\s*"([^"]*)"(?!\|vocab)'
)


def _untranslated_words(text: str) -> list[str]:
    return [word for word in WORD.findall(text) if word.lower() not in ALLOWED_WORDS]


def _without_template_syntax(source: str, found: list[str]) -> str:
    """The template's literal text with every tag, variable and translation
    block replaced by one space; literals shown by a tag or filter go to ``found``."""
    pieces: list[str] = []
    skipping_until: str | None = None
    for token in Lexer(source).tokenize():
        if skipping_until is not None:
            is_block = token.token_type == TokenType.BLOCK
            if is_block and token.contents.split()[0] == skipping_until:
                skipping_until = None
            continue
        if token.token_type == TokenType.TEXT:
            pieces.append(token.contents)
            continue
        if token.token_type in {TokenType.BLOCK, TokenType.VAR}:
            found.extend(
                f"{{{{ {token.contents} }}}}"
                for literal in SHOWN_LITERAL.findall(token.contents)
                if _untranslated_words(literal)
            )
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in {"blocktranslate", "blocktrans"}:
                skipping_until = f"end{name}"
            elif name == "comment":
                skipping_until = "endcomment"
        pieces.append(" ")
    return "".join(pieces)


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._raw_depth += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and _untranslated_words(value):
                self.found.append(f'<{tag} {name}="{value.strip()}">')

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._raw_depth:
            self._raw_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._raw_depth and _untranslated_words(data):
            self.found.append(" ".join(data.split()))


def untranslated_text(path: Path) -> list[str]:
    """Each piece of user-visible text in the template at ``path`` that no
    translation tag covers (empty when the template is fully translatable)."""
    finder = _TextFinder()
    source = path.read_text(encoding="utf-8")
    finder.feed(_without_template_syntax(source, finder.found))
    finder.close()
    return finder.found
