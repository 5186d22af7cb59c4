"""The standard's schema, the body mapping and the 0.x translation, without
pages: value lists map one to one, and 0.x entries are recognised."""

import pytest

from federation.records import body_validate
from federation.vocabularies import PolicyArea, ProjectStatus, PublicationCategory
from standards.algoritmeregister.legacy import is_legacy
from standards.algoritmeregister.mapping import (
    PUBLICATION_CATEGORY_FROM_REGISTER,
    STATUS_FROM_REGISTER,
    STATUS_TO_REGISTER,
    THEME_OF_CATEGORY,
    body_from_entry,
    entry_from_body,
    tags_split,
)
from standards.algoritmeregister.schema import (
    FIELDS,
    PUBLICATION_CATEGORIES,
    STATUSES,
    entry_problem,
    entry_validate,
)
from tests.standards.algoritmeregister.helpers import (
    REGISTER_0_X,
    REGISTER_1_0,
    empty_as_none,
    entries,
)


def test_every_register_status_maps_to_a_project_status_and_back():
    assert set(STATUS_FROM_REGISTER) == set(STATUSES)
    assert set(STATUS_TO_REGISTER) == set(ProjectStatus.values)
    for register_status, status in STATUS_FROM_REGISTER.items():
        assert STATUS_TO_REGISTER[status] == register_status
    # the finer statuses go out as the nearest register status
    assert (STATUS_TO_REGISTER["idea"], STATUS_TO_REGISTER["pilot"]) == (
        "In ontwikkeling",
        "In gebruik",
    )


def test_the_value_lists_are_the_vocabularies_of_the_pages():
    assert set(THEME_OF_CATEGORY) == set(PolicyArea.values)
    assert set(PUBLICATION_CATEGORIES) == set(PUBLICATION_CATEGORY_FROM_REGISTER)
    assert set(PUBLICATION_CATEGORY_FROM_REGISTER.values()) == set(
        PublicationCategory.values
    )


@pytest.mark.parametrize("position", [0, 1, 2])
def test_an_entry_maps_to_a_valid_body_and_back(position):
    # given a 1.0 entry
    given = entries(REGISTER_1_0)[position]
    # when it is mapped to a record body (as the catalogue stores it) and back
    body = body_validate(kind="project", body=body_from_entry(entry_validate(given)))
    entry = entry_from_body(body, language="nl")
    # then every field of the standard is as given
    assert {name: empty_as_none(entry[name]) for name in FIELDS} == {
        name: empty_as_none(given.get(name)) for name in FIELDS
    }


def test_validation_reasons_name_the_field():
    entry = entries(REGISTER_1_0)[0]
    assert entry_problem(entry) is None
    assert entry_problem(
        {**entry, "category": ["Verkeer", "Werk", "Wonen", "Recht"]}
    ) == ("category: List should have at most 3 items after validation, not 4")
    assert entry_problem({**entry, "begin_date": "2023-1-5"}) == (
        "begin_date: String should match pattern '^\\d{4}-(0[1-9]|1[0-2])$'"
    )
    assert entry_problem({**entry, "end_date": "2022-12"}) == (
        "end_date is before begin_date"
    )
    assert entry_problem({**entry, "contact_email": "bel ons"}) == (
        "contact_email: 'bel ons' is neither an e-mail address nor an http(s) URL"
    )
    assert entry_problem({**entry, "lawful_basis_grouping": [{"title": "Wet"}]}) == (
        "lawful_basis_grouping.0.link: required"
    )
    assert entry_problem({**entry, "goal": "x" * 2501}) == (
        "goal: String should have at most 2500 characters"
    )
    assert entry_problem([entry]) == "not a JSON object but an array"


def test_0_x_entries_are_recognised_and_1_0_entries_are_not():
    assert [is_legacy(entry) for entry in entries(REGISTER_0_X)] == [True, True]
    assert [is_legacy(entry) for entry in entries(REGISTER_1_0)] == [False] * 3


def test_tags_are_split_on_commas_and_lines():
    assert tags_split("Verkeer, Mobiliteit,VRI , Verkeer") == [
        "Verkeer",
        "Mobiliteit",
        "VRI",
    ]
    assert tags_split("<p>Verkeer</p><p>VRI, Mobiliteit</p>") == [
        "Verkeer",
        "VRI",
        "Mobiliteit",
    ]
