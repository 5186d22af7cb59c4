"""Shared parts of the browser tests: Debian's chromium through Playwright, a
page per visitor language (chosen the way a browser does, by Accept-Language),
axe-core's accessibility check and the screenshots of docs/i18n.md.

axe-core is committed under ``tests/vendor/axe-core`` (``make static`` copies it
from the version pinned in package-lock.json), so the check needs no network.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.cms.test_browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# Impacts that fail a page; "minor" and "moderate" are reported by axe but allowed.
FAILING_IMPACTS = ("serious", "critical")


@pytest.fixture
def chromium() -> Iterator[Any]:
    """A headless chromium; fails loudly when it is missing. Playwright runs an
    event loop in this thread, where Django refuses database calls: request
    this fixture after the ones that build data (last in the arguments)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"chromium is not installed at {CHROMIUM}: the browser tests need "
            "Debian's chromium (apt-get install -y chromium; .ci/run does this). "
            "Set HUBNET_CHROMIUM to use another binary."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def visitor_page(browser: Any, *, language: str = "en-GB") -> Any:
    """A fresh page whose browser asks for ``language`` (Accept-Language and
    ``navigator.language``), as a visitor's browser set to that language does."""
    context = browser.new_context(viewport=VIEWPORT, locale=language)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def screenshot(page: Any, name: str) -> Path | None:
    """Save the visible part of ``page`` as ``<name>.png`` in the directory named
    by HUBNET_SCREENSHOT_DIR (e.g. docs/screenshots); nothing when it is unset,
    so a test run never rewrites the committed pictures."""
    directory = os.environ.get("HUBNET_SCREENSHOT_DIR")
    if not directory:
        return None
    path = Path(directory) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000
    return path


def axe_violations(
    page: Any, *, allowed: Sequence[tuple[str, str]] = ()
) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on ``page``, one entry per rule
    and element; ``allowed`` holds (rule id, CSS selector) pairs: a violation of
    that rule on an element matching that selector is left out (markup we do
    not own)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    found = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            impact = node.get("impact") or violation["impact"]
            if impact not in FAILING_IMPACTS or _allowed(
                page, violation["id"], node["target"], allowed
            ):
                continue
            found.append(
                {
                    "id": violation["id"],
                    "impact": impact,
                    "target": " ".join(str(part) for part in node["target"]),
                    "summary": node.get("failureSummary", "").replace("\n", " "),
                    "html": node.get("html", "")[:300],
                }
            )
    return found


def _allowed(
    page: Any, rule: str, target: list[Any], allowed: Sequence[tuple[str, str]]
) -> bool:
    """Whether the element axe names by ``target`` matches a selector allowed
    for ``rule`` (elements inside frames or shadow roots never do)."""
    selectors = [selector for rule_id, selector in allowed if rule_id == rule]
    if not selectors or len(target) != 1 or not isinstance(target[0], str):
        return False
    return page.evaluate(
        "([target, selectors]) => selectors.some("
        "(selector) => document.querySelector(target).matches(selector))",
        [target[0], selectors],
    )


def violations_text(violations: list[dict[str, Any]]) -> str:
    """One line per violation, for an assertion message."""
    return "\n".join(
        f"{v['id']} ({v['impact']}) at {v['target']}: {v['summary']} {v['html']}"
        for v in violations
    )
