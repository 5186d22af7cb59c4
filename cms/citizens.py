"""The section of a project page for the people it affects, in plain language.

Built from the project's record body (own page or federated record alike), so
every hub explains a system the same way: who it affects, what it does with its
outcome, what the AI Act class means, who checks it, how to object, which
assessments were published and whom to ask. Where a field is empty the section
says so rather than leaving a gap: a missing objection route is information too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from federation.vocabularies.labels import code_label

_DECISIONS = {
    "descriptive": lambda: _(
        "The system shows what happened. It does not predict or decide anything "
        "about you."
    ),
    "diagnostic": lambda: _(
        "The system helps to explain why something happened. People draw the "
        "conclusions."
    ),
    "predictive": lambda: _(
        "The system estimates what is likely to happen, for example a risk. "
        "People use that estimate in their work."
    ),
    "prescriptive": lambda: _(
        "The system recommends what to do, or decides it. Read below who checks "
        "its outcomes."
    ),
}
_AI_ACT = {
    "prohibited": lambda: _(
        "The organisation has classified this system as a practice that the EU "
        "AI Act forbids. Such systems may not be used in the EU."
    ),
    "high": lambda: _(
        "Under the EU AI Act this is a high-risk system. Strict rules apply: risk "
        "management, good data, human oversight, records of its use and "
        "registration in the EU database."
    ),
    "limited": lambda: _(
        "Under the EU AI Act you must be told when you deal with this AI system "
        "or with content it made."
    ),
    "minimal": lambda: _(
        "The EU AI Act sets no specific duties for this system. Other laws, such "
        "as the GDPR, still apply."
    ),
    "not-ai": lambda: _(
        "This is not an AI system under the EU AI Act: it follows rules that "
        "people wrote. Other laws, such as the GDPR, still apply."
    ),
}


@dataclass(frozen=True)
class Assessment:
    """A published impact assessment, for citizens."""

    label: str
    date: str
    url: str
    summary: str


@dataclass(frozen=True)
class CitizenSection:
    """What a project means for the people it affects, field by field."""

    organisation: str
    affected_groups: list[str]
    decision: str
    ai_act_class: str
    ai_act_explanation: str
    biometric: str
    oversight: str
    objection: str
    lawful_basis: str
    risks: str
    assessments: list[Assessment] = field(default_factory=list)
    contact: dict[str, str] = field(default_factory=dict)

    @property
    def has_oversight(self) -> bool:
        return bool(self.oversight)

    @property
    def has_objection_route(self) -> bool:
        return bool(self.objection)


def citizen_section(body: dict[str, Any]) -> CitizenSection:
    """The citizens' section of a project from its record body (wire form)."""
    biometric = body.get("biometricData")
    ai_act_class = body.get("aiActClass") or ""
    return CitizenSection(
        organisation=str(body.get("organisation") or ""),
        affected_groups=[str(group) for group in body.get("affectedGroups") or []],
        decision=_DECISIONS[body["decisionType"]]()
        if body.get("decisionType") in _DECISIONS
        else "",
        ai_act_class=code_label("aiActClass", ai_act_class) if ai_act_class else "",
        ai_act_explanation=_AI_ACT[ai_act_class]() if ai_act_class in _AI_ACT else "",
        biometric=(
            ""
            if biometric is None
            else _(
                "It uses biometric data: features of people's bodies, such as "
                "faces, fingerprints or voices."
            )
            if biometric
            else _("It does not use biometric data.")
        ),
        oversight=str(body.get("humanIntervention") or ""),
        objection=str(body.get("objectionProcedure") or ""),
        lawful_basis=str(body.get("lawfulBasis") or ""),
        risks=str(body.get("risks") or ""),
        assessments=[
            Assessment(
                label=code_label("type", item.get("type", ""), kind="project"),
                date=str(item.get("date") or ""),
                url=str(item.get("url") or ""),
                summary=str(item.get("summary") or ""),
            )
            for item in body.get("impactAssessments") or []
        ],
        contact={
            key: str(value)
            for key, value in (body.get("contact") or {}).items()
            if key in ("name", "email", "url") and value
        },
    )
