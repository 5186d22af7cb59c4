"""Admin panels of record pages."""

from __future__ import annotations

from typing import Any

from wagtail.admin.panels import HelpPanel


class RiskSuggestionPanel(HelpPanel):
    """Shows the risk self-check's suggestion for the page's saved answers: the
    AI Act class, the impact on people and why, in plain words (no JavaScript;
    it follows the answers on every save)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("template", "cms/panels/risk_suggestion.html")
        super().__init__(**kwargs)
