"""Reading rendered pages in the cms tests: JSON-LD, headings, form labels,
landmarks and scripts."""

from __future__ import annotations

import json
from typing import Any

from bs4 import BeautifulSoup, Tag

JSONLD_TYPE = "application/ld+json"


def soup_of(html: str | bytes) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def jsonld_of(html: str | bytes) -> list[dict[str, Any]]:
    """The JSON-LD objects embedded in a page (each must parse)."""
    return [
        json.loads(script.string or "")
        for script in soup_of(html).find_all("script", type=JSONLD_TYPE)
    ]


def scripts_that_run(html: str | bytes) -> list[Tag]:
    """<script> elements a browser would execute (anything but data blocks)."""
    return [
        script
        for script in soup_of(html).find_all("script")
        if script.get("type") != JSONLD_TYPE
    ]


def heading_levels(html: str | bytes) -> list[int]:
    """The levels of the headings in the page's main content, in order."""
    main = soup_of(html).find("main")
    return [
        int(heading.name[1])
        for heading in main.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    ]


def unlabelled_controls(html: str | bytes) -> list[str]:
    """Form controls (not hidden, not buttons) without a label: no <label for>,
    no wrapping label, no aria-label(ledby)."""
    soup = soup_of(html)
    labelled = {label.get("for") for label in soup.find_all("label")}
    missing = []
    for control in soup.find_all(["input", "select", "textarea"]):
        if control.get("type") in ("hidden", "submit", "button"):
            continue
        if (
            control.get("id") in labelled
            or control.find_parent("label")
            or control.get("aria-label")
            or control.get("aria-labelledby")
        ):
            continue
        missing.append(str(control.get("name")))
    return missing


def text_of(tag: Tag | None) -> str:
    return " ".join(tag.get_text(" ").split()) if tag is not None else ""
