"""The record schema allows exactly the vocabularies' codes (federation.records
derives its allowed values from federation.vocabularies)."""

import typing

import pytest
from django.utils import translation

from federation.graphql.bodies import BODY_TYPES
from federation.records import (
    RECORD_ID,
    CourseBody,
    DatasetBody,
    Funding,
    ImpactAssessment,
    Kind,
    OrganisationBody,
    ProjectBody,
    Record,
    RecordInvalid,
    body_validate,
)
from federation.vocabularies import (
    HUB_LEVELS,
    AccessRights,
    AiActClass,
    AnnexIIIArea,
    CourseMode,
    DecisionType,
    FundingProgramme,
    HubLevel,
    ImpactAssessmentType,
    Method,
    OrganisationType,
    PersonalData,
    ProjectStatus,
    PublicationCategory,
    SizeClass,
)
from federation.vocabularies.labels import code_label

SCHEMA_FIELDS = [
    (ProjectBody, "status", ProjectStatus),
    (ProjectBody, "decision_type", DecisionType),
    (ProjectBody, "ai_act_class", AiActClass),
    (ProjectBody, "annex_iii_area", AnnexIIIArea),
    (ProjectBody, "methods", Method),
    (ProjectBody, "publication_category", PublicationCategory),
    (Funding, "programme", FundingProgramme),
    (ImpactAssessment, "type", ImpactAssessmentType),
    (DatasetBody, "access_rights", AccessRights),
    (DatasetBody, "personal_data", PersonalData),
    (CourseBody, "mode", CourseMode),
    (OrganisationBody, "type", OrganisationType),
    (OrganisationBody, "size_class", SizeClass),
    (Record, "origin_level", HubLevel),
]


def _allowed(model, name):
    """The values of the field's ``Literal`` (inside ``| None`` if optional)."""
    annotation = model.model_fields[name].annotation
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is typing.Literal:
            return typing.get_args(candidate)
    raise AssertionError(f"{model.__name__}.{name} is not a Literal")


@pytest.mark.parametrize(("model", "name", "vocabulary"), SCHEMA_FIELDS)
def test_the_schema_allows_exactly_the_vocabulary_codes(model, name, vocabulary):
    # then: the same codes in the same order (the GraphQL notes list them so)
    assert _allowed(model, name) == tuple(vocabulary.values)


def test_a_code_outside_the_vocabulary_is_refused_with_the_allowed_ones():
    # given a project whose status is not in the vocabulary
    body = {
        "name": "Parkeerscan",
        "shortDescription": "Scans number plates.",
        "organisation": "Gemeente 's-Hertogenbosch",
        "status": "in use",
    }
    # when / then
    with pytest.raises(RecordInvalid) as refused:
        body_validate(kind="project", body=body)
    assert str(refused.value) == (
        "body.status: Input should be 'idea', 'development', 'pilot', "
        "'in-use' or 'retired'"
    )


def test_kinds_and_levels_are_defined_once():
    assert tuple(Kind.values) == ("project", "dataset", "course", "organisation")
    assert HUB_LEVELS == ("local", "regional", "national", "eu")
    assert RECORD_ID.pattern.count("project|dataset|course|organisation") == 1
    assert set(BODY_TYPES) == set(Kind)


def test_graphql_notes_list_the_vocabulary_codes():
    # given the body type derived from ProjectBody
    field = BODY_TYPES[Kind.PROJECT]._meta.fields["ai_act_class"]
    # then its description lists the vocabulary's codes
    assert "One of: prohibited, high, limited, minimal, not-ai." in (field.description)


@pytest.mark.parametrize(
    ("key", "code", "label"),
    [
        ("status", "in-use", "In use"),
        ("aiActClass", "high", "High risk (AI Act, article 6 and Annex III)"),
        ("kind", "dataset", "Dataset"),
        ("level", "regional", "Regional hub"),
        ("level", "eu", "European hub"),
        ("country", "NL", "Netherlands"),
        ("country", "GR", "Greece"),
        ("status", "not-a-status", "not-a-status"),
    ],
)
def test_codes_have_labels(key, code, label):
    with translation.override("en"):
        assert code_label(key, code) == label


@pytest.mark.parametrize(
    ("language", "name"),
    [("nl", "Nederland"), ("fr", "Pays-Bas"), ("de", "Niederlande")],
)
def test_country_names_are_translated(language, name):
    with translation.override(language):
        assert code_label("country", "NL") == name


def test_country_choices_are_sorted_by_their_name_in_the_active_language():
    from federation.vocabularies import country_choices

    with translation.override("en"):
        english = [str(name) for _, name in country_choices()]
    with translation.override("de"):
        german = [(code, str(name)) for code, name in country_choices()]
    assert english == sorted(english)
    assert english[:2] == ["Albania", "Austria"]
    assert [name for _, name in german] == sorted(name for _, name in german)
    assert ("DE", "Deutschland") in german
