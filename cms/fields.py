"""Model fields for lists and rich text on hub pages.

Lists are stored as JSON (works on SQLite and PostgreSQL, travels in revisions):
``ChoiceListField`` holds codes of one vocabulary (edited as checkboxes),
``KeywordListField`` free keywords (edited as comma-separated text) and
``NutsCodesField`` NUTS 2021 codes (comma-separated, checked against the list).
``SanitizedRichTextField`` cleans HTML whenever the page is validated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import nh3
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from federation.vocabularies.places import nuts_codes_validate

# The editor's rich text features; they match the tags a record body allows.
RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link"]
# Wagtail's stored rich text format for those features (internal links keep
# ``linktype`` and ``id``).
_STORED_TAGS = {"p", "br", "b", "i", "strong", "em", "h3", "h4", "ul", "ol", "li", "a"}
# "<" then an optional "/" (white space either side), then a tag's first letter;
# one white-space run per side, so a long run is read once, not split two ways.
_MARKUP = re.compile(r"<\s*(?:/\s*)?[a-zA-Z!]|javascript:", re.IGNORECASE)
KEYWORD_MAX_LENGTH = 80
KEYWORDS_MAX = 30


def rich_text_sanitize(value: str) -> str:
    """Strip everything but the allowed tags from stored rich text (scripts,
    event handlers and ``javascript:`` links go)."""
    return nh3.clean(
        value,
        tags=_STORED_TAGS,
        attributes={"a": {"href", "linktype", "id"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


class SanitizedRichTextField(RichTextField):
    """A RichTextField whose value is sanitized whenever the model is cleaned
    (admin forms, ``save_revision()``, publishing), not only in the editor."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return rich_text_sanitize(value) if isinstance(value, str) else value


class _ListField(models.JSONField):
    """A JSON list that is empty by default and optional unless told."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def _formfield(self, form_class: type[forms.Field], **kwargs: Any) -> forms.Field:
        defaults: dict[str, Any] = {
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        defaults.pop("encoder", None)
        defaults.pop("decoder", None)
        return form_class(**defaults)

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(_("Expected a list of texts."), code="invalid")


class ChoiceListField(_ListField):
    """Several codes from one vocabulary (a ``TextChoices`` class)."""

    def __init__(
        self, *args: Any, vocabulary: type[models.TextChoices], **kwargs: Any
    ) -> None:
        self.vocabulary = vocabulary
        # Looked up per code: a ``TextChoices``' ``values`` is a new list each
        # time it is read (with every label translated on the way).
        self._codes = frozenset(vocabulary.values)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["vocabulary"] = self.vocabulary
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> forms.Field:  # type: ignore[override]
        kwargs.pop("widget", None)
        return self._formfield(
            forms.MultipleChoiceField,
            choices=self.vocabulary.choices,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        unknown = [code for code in value if code not in self._codes]
        if unknown:
            raise ValidationError(
                _("%(codes)s is not an option here."),
                code="invalid_choice",
                params={"codes": ", ".join(unknown)},
            )


class KeywordListFormField(forms.CharField):
    """Comma-separated text in the form, a list of unique keywords in Python."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.normalize: Callable[[str], str] = kwargs.pop("normalize", str.strip)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            parts: Iterable[str] = value
        else:
            parts = re.split(r"[,;\n]", super().to_python(value) or "")
        keywords: list[str] = []
        for part in parts:
            keyword = self.normalize(part.strip())
            if keyword and keyword not in keywords:
                keywords.append(keyword)
        return keywords

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial or []) != self.to_python(data or "")


class KeywordListField(_ListField):
    """Free keywords (sectors, technologies, ...): short, plain text, at most 30."""

    def formfield(self, **kwargs: Any) -> forms.Field:  # type: ignore[override]
        kwargs.pop("widget", None)
        return self._formfield(KeywordListFormField, **kwargs)

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        if len(value) > KEYWORDS_MAX:
            raise ValidationError(
                _("Give at most %(max)d keywords."),
                code="max_keywords",
                params={"max": KEYWORDS_MAX},
            )
        for keyword in value:
            if len(keyword) > KEYWORD_MAX_LENGTH:
                raise ValidationError(
                    _("“%(keyword)s” is longer than %(max)d characters."),
                    code="keyword_length",
                    params={"keyword": keyword[:20] + "…", "max": KEYWORD_MAX_LENGTH},
                )
            if _MARKUP.search(keyword):
                raise ValidationError(
                    _("Keywords are plain text: remove the markup from “%(k)s”."),
                    code="markup",
                    params={"k": keyword},
                )


class NutsCodesField(_ListField):
    """NUTS 2021 region codes (``NL41, NL414``), each checked against the list."""

    def formfield(self, **kwargs: Any) -> forms.Field:  # type: ignore[override]
        kwargs.pop("widget", None)
        return self._formfield(
            KeywordListFormField, normalize=lambda code: code.upper(), **kwargs
        )

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        if len(value) > 10:
            raise ValidationError(_("Give at most 10 regions."), code="max_regions")
        nuts_codes_validate(value)
