"""Validation of record pages: messages on the field, nothing published."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cms.models import ProjectPage, ProjectPartner
from cms.validation import publish_problems
from federation.models import StoredRecord
from federation.valid_body import body_validated
from tests.cms.factories import (
    high_risk_project,
    project_page,
    record_page,
)
from tests.federation.factories import body_for, stored_record

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_high_risk_project_without_impact_assessment_is_not_published():
    # given a high-risk project without an impact assessment (a draft may be saved)
    page = high_risk_project(impact_assessments=[])
    revision = page.save_revision()
    # when it is published
    errors = errors_of(revision.publish)
    # then the message names the impact assessments, and nothing went live
    assert errors == {
        "impact_assessments": [
            "A high-risk project needs at least one impact assessment (DPIA, IAMA "
            "or FRIA): add one under “Impact assessments”."
        ]
    }
    assert ProjectPage.objects.get(pk=page.pk).live is False
    assert StoredRecord.objects.count() == 0


def test_high_risk_project_needs_oversight_objection_route_and_area():
    # given a high-risk project missing its human oversight, objection route, area
    # (high by the editor's choice, so the override is explained)
    page = high_risk_project(
        human_intervention="",
        objection_procedure="",
        annex_iii_area="",
        ai_act_override_reason="We follow the high-risk duties of our own accord.",
    )
    revision = page.save_revision()
    # when it is published
    errors = errors_of(revision.publish)
    # then each missing field has its message
    assert sorted(errors) == [
        "annex_iii_area",
        "human_intervention",
        "objection_procedure",
    ]
    assert "how people can object" in errors["objection_procedure"][0]
    assert "human intervention" in errors["human_intervention"][0]
    assert StoredRecord.objects.count() == 0


def test_complete_high_risk_project_is_published():
    page = high_risk_project(publish=True)
    record = StoredRecord.objects.get(record_id=page.record_id)
    assert record.body["aiActClass"] == "high"
    assert record.body["annexIiiArea"] == "essential-services"
    assert record.body["impactAssessments"] == [
        {
            "type": "iama",
            "date": "2025-01-15",
            "url": "https://example.org/iama",
            "summary": "Risks are acceptable with human review.",
        }
    ]


def test_an_unknown_nuts_code_is_refused_on_the_field():
    page = project_page()
    page.nuts_codes = ["NL413", "NL999"]
    errors = errors_of(page.full_clean)
    assert errors == {
        "nuts_codes": [
            "NL999 is not a NUTS 2021 region code. Use codes like NL41 "
            "(Noord-Brabant) or NL414 (Zuidoost-Noord-Brabant)."
        ]
    }


def test_codes_outside_the_vocabulary_are_refused_on_the_field():
    # given a dataset with one known theme and two unknown ones
    page = record_page("dataset")
    page.themes = ["TRAN", "XXXX", "tran"]
    # when it is cleaned, then the unknown ones are named; the known one passes
    assert errors_of(page.full_clean) == {
        "themes": ["XXXX, tran is not an option here."]
    }
    page.themes = ["TRAN", "ENVI"]
    page.full_clean()


def test_nuts_codes_must_lie_in_the_chosen_country():
    page = project_page()
    page.country = "BE"
    assert list(errors_of(page.full_clean)) == ["nuts_codes"]


def test_an_unknown_licence_is_refused_on_the_field():
    page = record_page("dataset")
    page.licence = "WTFPL-9"
    errors = errors_of(page.full_clean)
    assert errors == {
        "licence": [
            "“WTFPL-9” is not an SPDX licence identifier in this hub's list. Pick "
            "one from the list, e.g. EUPL-1.2 or Apache-2.0."
        ]
    }


def test_an_end_before_the_start_is_refused_on_the_end_date():
    page = project_page()
    page.start_date, page.end_date = dt.date(2025, 6, 1), dt.date(2025, 5, 31)
    assert errors_of(page.full_clean) == {
        "end_date": ["The end date is before the start date."]
    }


def test_dataset_coverage_ends_after_it_starts():
    page = record_page("dataset")
    page.temporal_start, page.temporal_end = dt.date(2025, 1, 1), dt.date(2024, 1, 1)
    assert list(errors_of(page.full_clean)) == ["temporal_end"]


def test_a_point_needs_both_coordinates():
    page = record_page("organisation")
    page.latitude = 51.44
    assert list(errors_of(page.full_clean)) == ["longitude"]


def test_a_class_other_than_the_suggestion_needs_a_reason():
    # given a project the self-check calls high-risk
    page = project_page(annex_iii_area="law-enforcement", ai_act_class="minimal")
    # then choosing "minimal" without a reason is refused, on the reason field
    errors = errors_of(page.full_clean)
    assert list(errors) == ["ai_act_override_reason"]
    assert "The self-check suggests “High risk" in errors["ai_act_override_reason"][0]
    # and with a reason it is accepted, the suggestion stored beside the choice
    page.ai_act_override_reason = "Only statistics; no decision about a person."
    page.full_clean()
    assert (page.ai_act_suggested_class, page.ai_act_class) == ("high", "minimal")


def test_the_class_must_be_confirmed_before_publishing():
    page = project_page(ai_act_class="")
    errors = errors_of(page.save_revision().publish)
    assert errors == {
        "ai_act_class": [
            "Confirm the AI Act class. The self-check suggests “Minimal risk”."
        ]
    }


def test_a_body_the_record_schema_refuses_is_explained_on_the_field():
    # given markup in a plain-text field
    page = project_page(short_description="Scans <b>cars</b>.")
    # when publishing
    errors = errors_of(page.save_revision().publish)
    # then the record schema's reason shows on that field
    assert errors == {
        "short_description": [
            "The catalogue refuses this: markup is not allowed in a plain-text field."
        ]
    }
    assert StoredRecord.objects.count() == 0


def test_rich_text_is_sanitized_when_the_page_is_cleaned():
    page = project_page(
        description='<p onclick="x()">Hi<script>alert(1)</script> '
        '<a href="javascript:alert(2)">link</a></p>'
    )
    page.full_clean()
    assert page.description == "<p>Hi <a>link</a></p>"


def test_script_never_reaches_the_rendered_page(client):
    # given a published page whose description was stored with a script
    page = project_page(publish=True)
    ProjectPage.objects.filter(pk=page.pk).update(
        description="<p>Hi</p><script>alert('x')</script><img src=x onerror=alert(1)>"
    )
    # when the page is rendered
    html = client.get(page.url).content.decode()
    # then no script or event handler is in it
    assert "<p>Hi</p>" in html
    assert "alert(" not in html
    assert "onerror" not in html


def test_keywords_are_plain_short_texts():
    page = project_page(sectors=["mobility", "<b>x</b>"])
    assert list(errors_of(page.full_clean)) == ["sectors"]


def test_a_partner_is_a_page_or_a_held_organisation_record():
    page = project_page()
    # neither a page nor a record id
    assert list(errors_of(ProjectPartner(page=page, role="partner").full_clean)) == [
        "organisation_record_id"
    ]
    # a record id of another kind
    partner = ProjectPartner(page=page, organisation_record_id="nl:dataset:x")
    assert list(errors_of(partner.full_clean)) == ["organisation_record_id"]
    # a well-formed id this hub does not hold
    unknown = "nl:organisation:00000000-0000-4000-8000-000000000001"
    partner = ProjectPartner(page=page, organisation_record_id=unknown)
    assert (
        "holds no organisation"
        in errors_of(partner.full_clean)["organisation_record_id"][0]
    )
    # a federated organisation record
    held = stored_record(kind="organisation", origin="nl")
    ProjectPartner(page=page, organisation_record_id=held.record_id).full_clean()


def test_a_partner_page_must_be_published_first():
    # given a project whose partner organisation is still a draft
    organisation = record_page("organisation")
    page = project_page(
        partners=[ProjectPartner(organisation_page=organisation, role="supplier")]
    )
    # then publishing the project is refused, naming the organisation
    errors = errors_of(page.save_revision().publish)
    assert errors == {
        "partners": ["Publish the organisation “TU/e” before this project."]
    }
    # once the organisation is published, the project publishes with its id
    organisation.save_revision().publish()
    ProjectPage.objects.get(pk=page.pk).save_revision().publish()
    body = StoredRecord.objects.get(kind="project").body
    organisation_id = type(organisation).objects.get(pk=organisation.pk).record_id
    assert body["partners"] == [{"organisation": organisation_id, "role": "supplier"}]


def test_an_incomplete_high_risk_draft_can_be_saved():
    page = high_risk_project(impact_assessments=[], human_intervention="")
    revision = page.save_revision()
    assert revision.content["human_intervention"] == ""
    assert ProjectPage.objects.get(pk=page.pk).live is False


def test_a_body_validated_by_the_caller_is_not_checked_again_for_its_kind_only():
    # given a dataset page whose record body breaks the schema (a title of
    # blanks maps to an empty one), and a valid body of each kind
    page = record_page("dataset")
    page.title = "   "
    dataset_body = body_validated(kind="dataset", body=body_for("dataset"))
    course_body = body_validated(kind="course", body=body_for("course"))

    # then the schema finds the problem, unless the caller gives the page's
    # body as validated; a body of another kind does not count
    assert "title" in publish_problems(page)
    assert publish_problems(page, body=dataset_body) == {}
    assert publish_problems(page, body=course_body) == publish_problems(page)
