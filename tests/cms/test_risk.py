"""The risk self-check: the suggested AI Act class, impact and reasons."""

import pytest

from cms.risk import RiskAnswers, impact_level, risk_suggest
from federation.vocabularies import HumanInfluence, RightsImpact


@pytest.mark.parametrize(
    ("answers", "expected_class"),
    [
        (RiskAnswers(), "minimal"),
        (RiskAnswers(is_ai_system=False, annex_iii_area="employment"), "not-ai"),
        (
            RiskAnswers(prohibited_practice=True, annex_iii_area="employment"),
            "prohibited",
        ),
        (RiskAnswers(annex_iii_area="employment"), "high"),
        (RiskAnswers(interacts_with_people=True), "limited"),
        (RiskAnswers(generates_content=True), "limited"),
        # Article 6(3): a person fully decides and little is at stake
        (
            RiskAnswers(
                annex_iii_area="education", human_influence="full", rights_impact="low"
            ),
            "minimal",
        ),
        (
            RiskAnswers(
                annex_iii_area="education",
                human_influence="full",
                rights_impact="none",
                interacts_with_people=True,
            ),
            "limited",
        ),
        # ... but not when it profiles people
        (
            RiskAnswers(
                annex_iii_area="education",
                human_influence="full",
                rights_impact="low",
                profiling=True,
            ),
            "high",
        ),
        # ... nor when a person only partly decides, or the stakes are higher
        (
            RiskAnswers(
                annex_iii_area="education",
                human_influence="substantial",
                rights_impact="low",
            ),
            "high",
        ),
        (
            RiskAnswers(
                annex_iii_area="education",
                human_influence="full",
                rights_impact="medium",
            ),
            "high",
        ),
    ],
)
def test_suggested_class(answers, expected_class):
    assert risk_suggest(answers).ai_act_class == expected_class


def test_high_risk_explains_the_area_and_the_duties():
    # when a system is used in an Annex III area
    suggestion = risk_suggest(
        RiskAnswers(
            annex_iii_area="essential-services",
            human_influence="none",
            rights_impact="high",
        )
    )
    # then the reason names the area in plain words, and the duties follow
    assert suggestion.ai_act_class == "high"
    assert suggestion.impact == "high"
    assert suggestion.reasons == (
        "It is used in an area the AI Act calls high-risk: 5. Essential private and "
        "public services: benefits, credit, insurance, emergency calls.",
    )
    assert suggestion.advice == (
        "Before publishing, add an impact assessment (DPIA, IAMA or FRIA), describe "
        "the human oversight and explain how people can object.",
    )
    assert suggestion.ai_act_class_label == (
        "High risk (AI Act, article 6 and Annex III)"
    )


def test_profiling_is_given_as_a_reason():
    suggestion = risk_suggest(
        RiskAnswers(
            annex_iii_area="employment",
            profiling=True,
            human_influence="full",
            rights_impact="low",
        )
    )
    assert len(suggestion.reasons) == 2
    assert suggestion.reasons[1].startswith("It profiles people")


def test_the_derogation_is_explained():
    suggestion = risk_suggest(
        RiskAnswers(
            annex_iii_area="education", human_influence="full", rights_impact="none"
        )
    )
    assert "Article 6(3)" in suggestion.reasons[0]
    assert suggestion.reasons[1].startswith("It is not used in a high-risk area")


def test_high_impact_outside_the_ai_act_still_gets_advice():
    # given a minimal-risk system that decides alone with high stakes
    suggestion = risk_suggest(RiskAnswers(human_influence="none", rights_impact="high"))
    # then the AI Act class stays minimal, and the advice asks for an IAMA
    assert (suggestion.ai_act_class, suggestion.impact) == ("minimal", "high")
    assert suggestion.advice == (
        "The decision strongly affects people and a person can hardly change it: do "
        "an impact assessment (IAMA) and explain how people can object, even though "
        "the AI Act does not require it.",
    )


def test_unanswered_criteria_are_asked_for():
    suggestion = risk_suggest(RiskAnswers(interacts_with_people=True))
    assert suggestion.impact is None
    assert suggestion.impact_label == ""
    assert suggestion.advice[-1].startswith("Answer how much a person can influence")


def test_not_ai_and_prohibited_are_explained():
    assert (
        "not an AI system" in risk_suggest(RiskAnswers(is_ai_system=False)).reasons[0]
    )
    prohibited = risk_suggest(RiskAnswers(prohibited_practice=True))
    assert "may not be used in the EU" in prohibited.reasons[0]


@pytest.mark.parametrize(
    ("rights", "influence", "expected"),
    [
        ("none", "none", "low"),
        ("low", "full", "low"),
        ("low", "limited", "medium"),
        ("medium", "substantial", "medium"),
        ("medium", "none", "high"),
        ("high", "full", "medium"),
        ("high", "substantial", "high"),
    ],
)
def test_impact_from_the_two_criteria(rights, influence, expected):
    assert impact_level(human_influence=influence, rights_impact=rights) == expected


def test_every_combination_of_the_criteria_has_an_impact():
    levels = {
        impact_level(human_influence=influence, rights_impact=rights)
        for influence in HumanInfluence.values
        for rights in RightsImpact.values
    }
    assert levels == {"low", "medium", "high"}
    assert impact_level(human_influence="", rights_impact="high") is None


def test_the_suggestion_follows_the_page_and_shows_in_the_editor(db, client):
    from tests.cms.factories import logged_in, project_page, user_in

    # given a project in an Annex III area, saved with the editor's answers
    page = project_page(
        annex_iii_area="migration",
        ai_act_class="high",
        risk_human_influence="limited",
        risk_rights_impact="high",
    )
    page.full_clean()
    assert page.ai_act_suggested_class == "high"
    # when an editor opens the page
    editor = user_in("Editors", username="eva")
    html = logged_in(editor).get(f"/admin/pages/{page.pk}/edit/").content.decode()
    # then the suggestion and its reasons are in the form
    assert 'data-risk-suggestion="high"' in html
    assert "7. Migration, asylum and border control" in html
