"""Licences: a curated list of SPDX identifiers, shipped as a data file.

A data file rather than choices in code: the list grows with what hubs need, and
adding a licence is a one-line change that needs no migration (model fields take
``licence_choices`` as a callable).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LICENCES_FILE = Path(__file__).resolve().parent / "data" / "spdx_licences.csv"
USE_LABELS = {
    "data": _("Data licences"),
    "content": _("Content licences"),
    "software": _("Software licences"),
}


@dataclass(frozen=True)
class Licence:
    """One licence of the SPDX License List."""

    id: str
    name: str
    use: str

    @property
    def url(self) -> str:
        return f"https://spdx.org/licenses/{self.id}.html"


@cache
def licences() -> dict[str, Licence]:
    """Every accepted licence by SPDX identifier (read from the data file once)."""
    with LICENCES_FILE.open(encoding="utf-8", newline="") as source:
        return {
            row["id"]: Licence(id=row["id"], name=row["name"], use=row["use"])
            for row in csv.DictReader(source)
        }


class _Choices(BaseChoiceIterator):
    """Choices in Django's normal form already: a field iterates them as they
    are (it normalises the list a callable returns on every check of a value)."""

    def __init__(self, choices: list[tuple[StrOrPromise, list[tuple[str, str]]]]):
        self.choices = choices

    def __iter__(self) -> Iterator[tuple[StrOrPromise, list[tuple[str, str]]]]:
        return iter(self.choices)


@cache
def licence_choices() -> _Choices:
    """Grouped choices for a select: (group label, [(id, "id - name"), ...]);
    built once, as the list is (group labels translate when shown)."""
    return _Choices(
        [
            (
                label,
                [
                    (licence.id, f"{licence.id}: {licence.name}")
                    for licence in licences().values()
                    if licence.use == use
                ],
            )
            for use, label in USE_LABELS.items()
        ]
    )


def licence_validate(value: str) -> None:
    """Refuse identifiers that are not in the SPDX list this hub accepts."""
    if value and value not in licences():
        raise ValidationError(
            _(
                "“%(value)s” is not an SPDX licence identifier in this hub's list. "
                "Pick one from the list, e.g. CC-BY-4.0 or EUPL-1.2."
            ),
            code="unknown_licence",
            params={"value": value},
        )
