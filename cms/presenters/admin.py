"""A held record as the Wagtail admin's "Federated records" section shows it:
every field of its body, labelled, with vocabulary labels and links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import capfirst

from cms.presenters.listing import record_path
from federation.models import StoredRecord
from federation.vocabularies import nuts_label
from federation.vocabularies.labels import code_label

_NOT_SHOWN = {"name", "title", "description"}


@dataclass(frozen=True)
class Line:
    """One line of a displayed value, optionally a link."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class DisplayField:
    """A labelled value of a record body, as lines."""

    key: str
    label: str
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class RecordDisplay:
    """A held record prepared for a template: title, description and fields."""

    record: StoredRecord
    title: str
    description: str
    fields: list[DisplayField]

    @property
    def is_federated(self) -> bool:
        return bool(self.record.received_from)


def record_display(stored: StoredRecord) -> RecordDisplay:
    """Prepare a held record's body for display, with vocabulary labels."""
    body = stored.body or {}
    fields = [
        DisplayField(key=key, label=_label(key), lines=lines)
        for key, value in body.items()
        if key not in _NOT_SHOWN and (lines := _lines(stored.kind, key, value))
    ]
    return RecordDisplay(
        record=stored,
        title=str(body.get("name") or body.get("title") or stored.record_id),
        description=str(body.get("description") or ""),
        fields=fields,
    )


def _label(key: str) -> str:
    return capfirst(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key).lower())


def _lines(kind: str, key: str, value: Any) -> list[Line]:
    if isinstance(value, list):
        return [line for item in value for line in _lines(kind, key, item)]
    if isinstance(value, dict):
        return [_line_of_object(kind, value)]
    if isinstance(value, bool):
        return [Line("yes" if value else "no")]
    if key == "nuts":
        return [Line(nuts_label(str(value)))]
    if key == "datasets":
        return [Line(str(value), href=record_path(str(value)))]
    text = _code_label(kind, key, value)
    href = text if text.startswith(("http://", "https://")) else None
    return [Line(text, href=href)]


def _line_of_object(kind: str, value: dict[str, Any]) -> Line:
    parts = [
        " ".join(line.text for line in _lines(kind, part_key, part))
        for part_key, part in value.items()
        if part_key not in ("url", "accessUrl", "organisation")
    ]
    href = value.get("url") or value.get("accessUrl")
    if "organisation" in value:
        href = record_path(str(value["organisation"]))
        parts.insert(0, str(value["organisation"]))
    return Line(" · ".join(part for part in parts if part), href=href)


def _code_label(kind: str, key: str, value: Any) -> str:
    return code_label(key, value, kind=kind)
