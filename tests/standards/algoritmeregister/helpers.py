"""Shared helpers of the algorithm register tests: the fixture files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
REGISTER_1_0 = DATA / "register_1_0.json"
REGISTER_0_X = DATA / "register_0_x.json"
REGISTER_BROKEN = DATA / "register_broken.json"


def entries(path: Path) -> list[Any]:
    """The entries of a fixture file, freshly parsed."""
    return json.loads(path.read_text(encoding="utf-8"))


def empty_as_none(value: Any) -> Any:
    """A register value with "not given" spelt one way (None)."""
    return None if value in (None, "", []) else value
