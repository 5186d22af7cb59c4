"""The risk self-check: suggest a project's AI Act class and explain why.

Editors answer the AI Act's questions (is it an AI system, a prohibited practice,
in an Annex III area, does it profile people, talk to people, generate content?)
and the two criteria Dutch municipalities use to weigh an algorithm's impact: how
much a person can influence the decision and how strongly it touches people's
rights. ``risk_suggest`` turns the answers into a suggested class, the impact level
and plain-language reasons. The editor confirms the class or overrides it with a
reason; this module only suggests. Pure: no database, no settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from federation.vocabularies.ai import (
    AiActClass,
    AnnexIIIArea,
    HumanInfluence,
    ImpactLevel,
    RightsImpact,
)

# Impact on people from the two municipal criteria: rights impact (rows) against
# how much a person can influence the decision (columns).
_IMPACT: dict[str, dict[str, str]] = {
    RightsImpact.NONE: {
        HumanInfluence.FULL: ImpactLevel.LOW,
        HumanInfluence.SUBSTANTIAL: ImpactLevel.LOW,
        HumanInfluence.LIMITED: ImpactLevel.LOW,
        HumanInfluence.NONE: ImpactLevel.LOW,
    },
    RightsImpact.LOW: {
        HumanInfluence.FULL: ImpactLevel.LOW,
        HumanInfluence.SUBSTANTIAL: ImpactLevel.LOW,
        HumanInfluence.LIMITED: ImpactLevel.MEDIUM,
        HumanInfluence.NONE: ImpactLevel.MEDIUM,
    },
    RightsImpact.MEDIUM: {
        HumanInfluence.FULL: ImpactLevel.MEDIUM,
        HumanInfluence.SUBSTANTIAL: ImpactLevel.MEDIUM,
        HumanInfluence.LIMITED: ImpactLevel.HIGH,
        HumanInfluence.NONE: ImpactLevel.HIGH,
    },
    RightsImpact.HIGH: {
        HumanInfluence.FULL: ImpactLevel.MEDIUM,
        HumanInfluence.SUBSTANTIAL: ImpactLevel.HIGH,
        HumanInfluence.LIMITED: ImpactLevel.HIGH,
        HumanInfluence.NONE: ImpactLevel.HIGH,
    },
}


@dataclass(frozen=True)
class RiskAnswers:
    """The editor's answers to the self-check ('' = not answered)."""

    is_ai_system: bool = True
    prohibited_practice: bool = False
    annex_iii_area: str = ""
    profiling: bool = False
    interacts_with_people: bool = False
    generates_content: bool = False
    human_influence: str = ""
    rights_impact: str = ""


@dataclass(frozen=True)
class RiskSuggestion:
    """The suggested AI Act class, the impact on people (None when the two
    criteria are not both answered), and why, in plain words."""

    ai_act_class: str
    impact: str | None
    reasons: tuple[str, ...]
    advice: tuple[str, ...]

    @property
    def ai_act_class_label(self) -> str:
        return str(AiActClass(self.ai_act_class).label)

    @property
    def impact_label(self) -> str:
        return str(ImpactLevel(self.impact).label) if self.impact else ""


def impact_level(*, human_influence: str, rights_impact: str) -> str | None:
    """The impact on people from the two municipal criteria, None if unanswered."""
    if not human_influence or not rights_impact:
        return None
    return str(_IMPACT[RightsImpact(rights_impact)][HumanInfluence(human_influence)])


def risk_suggest(answers: RiskAnswers) -> RiskSuggestion:
    """Suggest the AI Act class for ``answers`` and explain the suggestion."""
    impact = impact_level(
        human_influence=answers.human_influence, rights_impact=answers.rights_impact
    )
    ai_act_class, reasons = _classify(answers)
    return RiskSuggestion(
        ai_act_class=ai_act_class,
        impact=impact,
        reasons=tuple(reasons),
        advice=tuple(_advice(ai_act_class, impact)),
    )


def _classify(answers: RiskAnswers) -> tuple[str, list[str]]:
    if not answers.is_ai_system:
        return AiActClass.NOT_AI, [
            _(
                "You said this is not an AI system: it follows rules people wrote "
                "and does not learn or infer from data. The AI Act does not apply, "
                "but the algorithm register still asks you to explain it."
            )
        ]
    if answers.prohibited_practice:
        return AiActClass.PROHIBITED, [
            _(
                "You said it does something the AI Act forbids (article 5), such as "
                "social scoring or manipulating people. Such a system may not be "
                "used in the EU."
            )
        ]
    if answers.annex_iii_area:
        area = str(AnnexIIIArea(answers.annex_iii_area).label)
        if answers.profiling:
            return AiActClass.HIGH, [
                _("It is used in an area the AI Act calls high-risk: %(area)s.")
                % {"area": area},
                _(
                    "It profiles people, so it stays high-risk even when a person "
                    "takes the final decision."
                ),
            ]
        if _narrow_support(answers):
            reasons = [
                _(
                    "It is used in a high-risk area (%(area)s), but a person takes "
                    "the decision, the system only prepares it, and the effect on "
                    "people's rights is low. Article 6(3) then allows treating it "
                    "as not high-risk: write this assessment down."
                )
                % {"area": area}
            ]
            ai_act_class, more = _transparency(answers)
            return ai_act_class, reasons + more
        return AiActClass.HIGH, [
            _("It is used in an area the AI Act calls high-risk: %(area)s.")
            % {"area": area}
        ]
    return _transparency(answers)


def _narrow_support(answers: RiskAnswers) -> bool:
    """Article 6(3): only prepares a decision a person fully takes, low stakes."""
    return answers.human_influence == HumanInfluence.FULL and answers.rights_impact in (
        RightsImpact.NONE,
        RightsImpact.LOW,
    )


def _transparency(answers: RiskAnswers) -> tuple[str, list[str]]:
    reasons = []
    if answers.interacts_with_people:
        reasons.append(
            _(
                "People talk or interact with it directly, so they must be told "
                "they are dealing with an AI system."
            )
        )
    if answers.generates_content:
        reasons.append(
            _(
                "It generates text, images, sound or video, so its output must be "
                "marked as made by AI."
            )
        )
    if reasons:
        return AiActClass.LIMITED, reasons
    return AiActClass.MINIMAL, [
        _(
            "It is not used in a high-risk area and it neither talks to people nor "
            "generates content: the AI Act adds no duties."
        )
    ]


def _advice(ai_act_class: str, impact: str | None) -> list[str]:
    advice = []
    if ai_act_class == AiActClass.HIGH:
        advice.append(
            _(
                "Before publishing, add an impact assessment (DPIA, IAMA or FRIA), "
                "describe the human oversight and explain how people can object."
            )
        )
    if impact == ImpactLevel.HIGH and ai_act_class != AiActClass.HIGH:
        advice.append(
            _(
                "The decision strongly affects people and a person can hardly "
                "change it: do an impact assessment (IAMA) and explain how people "
                "can object, even though the AI Act does not require it."
            )
        )
    elif impact == ImpactLevel.MEDIUM:
        advice.append(
            _(
                "The decision affects people: describe the human oversight and how "
                "people can object."
            )
        )
    if impact is None:
        advice.append(
            _(
                "Answer how much a person can influence the decision and how "
                "strongly it touches people's rights to see its impact."
            )
        )
    return advice
