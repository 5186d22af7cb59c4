"""What the dashboard counts, declared once: one ``Panel`` per figure. The page,
its CSV downloads and ``GET /api/v1/insight`` all read ``PANELS``; adding a
figure over a field of the index is one entry here (and its title's
translations).

A panel counts the records that match the search filters (``search.query_string``)
and its own ``where`` terms, by one of these measures:

- ``terms``: records per value of ``field`` (``label`` names the vocabulary
  whose labels the values get, ``facet`` the search parameter a value narrows);
- ``months``: records per month of ``field`` (a date);
- ``funding``: per funding programme, the records and the sum of their amounts;
- ``shares``: for each ``Share``, how many records of its base also match its
  condition (transparency completeness).

A panel or share over a field the index does not map yet is left out
(``panel_available``), so a panel can be declared before its field exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from search.index import FACET_FIELDS

Measure = Literal["terms", "months", "funding", "shares"]
# Index fields beyond the facet fields that panels may name.
OTHER_FIELDS = ("updatedAt", "funding")


@dataclass(frozen=True)
class Share:
    """One completeness figure: of the records matching ``base`` (field →
    value), those that also match ``has``."""

    name: str
    label: str | Promise
    base: dict[str, Any]
    has: dict[str, Any]


@dataclass(frozen=True)
class Panel:
    """One figure of the dashboard (see the module docstring)."""

    name: str
    title: str | Promise
    measure: Measure = "terms"
    field: str = ""
    where: tuple[tuple[str, Any], ...] = ()
    label: str = ""
    facet: str = ""
    size: int = 50
    shares: tuple[Share, ...] = ()
    map: bool = False

    def fields(self) -> set[str]:
        """Every index field the panel reads."""
        names = {self.field} if self.field else set()
        names |= {name for name, _value in self.where}
        for share in self.shares:
            names |= set(share.base) | set(share.has)
        return names


_HIGH_RISK = {"kind": "project", "aiActClass": "high"}
_READINESS_SHOWN = {"kind": "project", "aiActReadinessPublic": True}
_PUBLICLY_FUNDED = {"kind": "project", "publiclyFunded": True}

PANELS: tuple[Panel, ...] = (
    Panel("kinds", _("Records per kind"), field="kind", facet="kinds"),
    Panel("levels", _("Records per level"), field="level", facet="levels"),
    Panel("countries", _("Records per country"), field="country", facet="countries"),
    Panel(
        "regions",
        _("Records per NUTS 2 region"),
        field="nuts2",
        label="nuts",
        facet="nuts",
        size=200,
        map=True,
    ),
    Panel("months", _("Records per month of publication"), "months", "updatedAt"),
    Panel(
        "ai_act_classes",
        _("Projects per AI Act class"),
        field="aiActClass",
        where=(("kind", "project"),),
        facet="ai_act_classes",
    ),
    Panel(
        "impact_levels",
        _("Projects per impact level"),
        field="impactLevel",
        where=(("kind", "project"),),
        facet="impact_levels",
    ),
    Panel(
        "transparency",
        _("Transparency of projects"),
        "shares",
        shares=(
            Share(
                "objection_route",
                _("High-risk systems with an objection route"),
                _HIGH_RISK,
                {"disclosures": "objectionRoute"},
            ),
            Share(
                "human_oversight",
                _("High-risk systems with human oversight"),
                _HIGH_RISK,
                {"disclosures": "humanOversight"},
            ),
            Share(
                "impact_assessment",
                _("High-risk systems with an impact assessment"),
                _HIGH_RISK,
                {"disclosures": "impactAssessment"},
            ),
            Share(
                "source_code",
                _("Publicly funded systems that publish their source code"),
                _PUBLICLY_FUNDED,
                {"disclosures": "sourceCode"},
            ),
        ),
    ),
    Panel(
        "high_risk_areas",
        _("High-risk systems per Annex III area"),
        field="annexIiiArea",
        where=(("kind", "project"), ("aiActClass", "high")),
        facet="annex_iii_areas",
    ),
    Panel(
        "ai_act_readiness",
        _("AI Act readiness of high-risk systems"),
        "shares",
        shares=(
            Share(
                "package_complete",
                _("With a complete registration package"),
                _READINESS_SHOWN,
                {"aiActPackageComplete": True},
            ),
            Share(
                "fria_performed",
                _("With a fundamental rights impact assessment"),
                _READINESS_SHOWN,
                {"friaPerformed": True},
            ),
            Share(
                "fria_notified",
                _("Notified to the market surveillance authority"),
                _READINESS_SHOWN,
                {"friaNotified": True},
            ),
        ),
    ),
    Panel(
        "decision_types",
        _("Projects per decision type"),
        field="decisionType",
        where=(("kind", "project"),),
    ),
    Panel(
        "funding",
        _("Funding per programme"),
        "funding",
        "funding",
        label="programme",
        where=(("kind", "project"),),
    ),
    Panel(
        "target_groups",
        _("Courses per target group"),
        field="targetGroups",
        where=(("kind", "course"),),
        facet="target_groups",
    ),
    Panel(
        "school_levels",
        _("Courses per school level"),
        field="schoolLevel",
        where=(("kind", "course"),),
    ),
    Panel(
        "eqf_levels",
        _("Courses per EQF level"),
        field="eqfLevel",
        where=(("kind", "course"),),
    ),
)


def panel_available(panel: Panel) -> bool:
    """Whether the index maps every field ``panel`` reads."""
    known = set(FACET_FIELDS) | set(OTHER_FIELDS)
    return panel.fields() <= known


def panels_available() -> tuple[Panel, ...]:
    """The declared panels the index can answer, in order."""
    return tuple(panel for panel in PANELS if panel_available(panel))


def panel_named(name: str) -> Panel | None:
    """The available panel called ``name``."""
    return next((panel for panel in panels_available() if panel.name == name), None)
