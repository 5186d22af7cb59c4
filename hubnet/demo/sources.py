"""The demo's copies of public data (``hubnet/demo_data/``, see the README
there for sources and licences), read once per process."""

from __future__ import annotations

import csv
import html
import re
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "demo_data"
AI = "Artificial intelligence"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


@cache
def research_organisations() -> list[dict[str, str]]:
    return _rows("research_organisations_nl_be.csv")


@cache
def innovation_hubs() -> list[dict[str, str]]:
    return _rows("digital_innovation_hubs.csv")


@cache
def ai_cases() -> list[dict[str, str]]:
    return [
        row for row in _rows("public_sector_ai_cases.csv") if row["technology"] == AI
    ]


def clean(text: str | None) -> str:
    """Entities decoded (the hubs file has some encoded twice), whitespace folded."""
    text = text or ""
    for _ in range(2):
        text = html.unescape(text)
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text)
    return " ".join(text.split())
