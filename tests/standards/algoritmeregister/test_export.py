"""Export to the algorithm register: validation against the standard, the
commands, and the public HTTP export (the same JSON for everybody)."""

import io

import pytest
from django.core.management import CommandError, call_command

from standards.algoritmeregister.schema import FIELDS
from standards.algoritmeregister.selectors import own_project_records
from standards.algoritmeregister.services import (
    algoritmeregister_entries_parse,
    algoritmeregister_export,
    algoritmeregister_import,
)
from tests.cms.catalogue import federated
from tests.cms.factories import (
    high_risk_project,
    logged_in,
    project_page,
    record_page,
    user_in,
)
from tests.standards.algoritmeregister.helpers import (
    REGISTER_1_0,
    REGISTER_BROKEN,
    entries,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/algoritmeregister/"


def detail_url(record_id: str) -> str:
    return f"/api/v1/algoritmeregister/{record_id}.json"


def test_a_project_missing_required_fields_of_the_standard_is_refused():
    # given a published Dutch project without publication category or contact
    page = project_page(publish=True, language="nl")
    # when the hub's projects are exported
    result = algoritmeregister_export(records=own_project_records())
    # then it is refused with the fields it misses, and nothing is exported
    assert result.entries == []
    assert result.refused == [
        {
            "id": page.record_id,
            "name": "Parkeerscan",
            "reason": "required by standard 1.0: publication_category, contact_email",
        }
    ]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"title": "Parkeerscan " + "x" * 100},
            "name: String should have at most 100 characters",
        ),
        (
            {"language": "en"},
            "lang: the register takes entries in Dutch (nld) only, not 'eng'; "
            "write the project in Dutch to publish it there",
        ),
        (
            {"policy_areas": [], "themes": ["TRAN", "HEAL", "EDUC", "JUST"]},
            None,
        ),
    ],
)
def test_export_checks_lengths_and_value_lists(fields, reason):
    # given a published project that is complete but for ``fields``
    values = {
        "language": "nl",
        "publication_category": "other",
        "contact_email": "parkeren@example.org",
        **fields,
    }
    project_page(publish=True, **values)
    # when it is exported
    result = algoritmeregister_export(records=own_project_records())
    # then it is refused for the reason, or exported
    if reason is None:
        # four themes map to the first three policy areas
        assert result.entries[0]["category"] == [
            "Verkeer",
            "Zorg en gezondheid",
            "Onderwijs en wetenschap",
        ]
    else:
        assert [item["reason"] for item in result.refused] == [reason]


def test_a_high_risk_project_goes_out_as_a_high_risk_ai_system():
    # given a published high-risk project with no publication category of its own
    high_risk_project(publish=True, language="nl", contact_email="a@example.org")
    # when it is exported
    (entry,) = algoritmeregister_export(records=own_project_records()).entries
    # then its category follows from the AI Act class, and its IAMA is named
    assert entry["publication_category"] == "Hoog-risico AI-systeem"
    assert entry["impacttoetsen_grouping"] == [
        {
            "title": "Impact Assessment Mensenrechten en Algoritmes (IAMA)",
            "link": "https://example.org/iama",
        }
    ]
    assert (entry["status"], entry["lang"], entry["standard_version"]) == (
        "In gebruik",
        "nld",
        "1.0",
    )


def test_the_export_command_reports_refused_projects_and_exits_1(tmp_path):
    # given one project that breaks the standard
    project_page(publish=True, language="nl")
    out, err = io.StringIO(), io.StringIO()
    # when it is exported with the command
    with pytest.raises(CommandError) as raised:
        call_command(
            "export",
            "algoritmeregister",
            out=tmp_path / "r.json",
            stdout=out,
            stderr=err,
        )
    # then the file holds no entry, stderr names the project and the reason
    assert raised.value.returncode == 1
    assert (tmp_path / "r.json").read_text() == "[]\n"
    assert "“Parkeerscan”: required by standard 1.0: publication_category" in (
        err.getvalue()
    )
    assert out.getvalue() == "0 exported, 1 refused\n"


def test_the_import_command_prints_a_line_per_entry_and_exits_1_on_skips(tmp_path):
    # given a hub and a file with good and broken entries
    out = io.StringIO()
    # when it is imported with the command
    with pytest.raises(CommandError) as raised:
        call_command("import", "algoritmeregister", str(REGISTER_BROKEN), stdout=out)
    # then every entry has its line, the summary follows, and the exit status is 1
    lines = out.getvalue().splitlines()
    assert raised.value.returncode == 1
    assert str(raised.value) == "5 of 6 entries skipped"
    assert lines[0].startswith("#1 “Goed algoritme” created (page ")
    assert lines[1:] == [
        "#2 skipped: name: required",
        "#3 “Veel te lange naam van een algoritme die de honderd tekens van de "
        "standaard ruimschoots overschrijdt” skipped: name: String should have at "
        "most 100 characters",
        "#4 “Onbekende status” skipped: status: Input should be 'In ontwikkeling', "
        "'In gebruik' or 'Buiten gebruik'",
        "#5 skipped: not a JSON object but a string",
        "#6 “Slechte link” skipped: website: 'gemeente noorderhaaks punt nl' is not "
        "an http(s) URL",
        "6 entries: 1 created, 0 updated, 0 unchanged, 5 skipped",
    ]


def test_the_import_command_succeeds_when_every_entry_imports():
    out = io.StringIO()
    call_command("import", "algoritmeregister", str(REGISTER_1_0), stdout=out)
    call_command("import", "algoritmeregister", str(REGISTER_1_0), stdout=out)
    assert out.getvalue().splitlines()[-1] == (
        "3 entries: 0 created, 0 updated, 3 unchanged, 0 skipped"
    )


def test_the_import_command_refuses_a_file_that_is_no_json(tmp_path):
    path = tmp_path / "register.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="is not a JSON file"):
        call_command("import", "algoritmeregister", str(path), stdout=io.StringIO())


def make_user(role):
    if role == "anonymous":
        return None
    if role == "other hub's editor":
        # a signed-in user in none of this hub's groups
        return user_in(None, username="other-editor")
    if role == "admin":
        return user_in(None, username="root", superuser=True)
    return user_in("Editors", username="editor")


ROLES = ["anonymous", "other hub's editor", "own editor", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_everybody_gets_the_same_public_export(role, published_register):
    # given the published projects, and the export as an anonymous client sees it
    anonymous = logged_in(None)
    expected_list = anonymous.get(LIST_URL).json()
    some = published_register["Parkeerscanauto"]
    expected_one = anonymous.get(detail_url(some.record_id)).json()
    client = logged_in(make_user(role))
    # when a client in ``role`` asks for all entries and for one
    listed = client.get(LIST_URL)
    one = client.get(detail_url(some.record_id))
    # then both answer 200 with the same JSON
    assert (listed.status_code, one.status_code) == (200, 200)
    assert listed.json() == expected_list
    assert one.json() == expected_one
    assert listed.json()["count"] == 3
    assert listed.json()["refused"] == []
    assert [entry["name"] for entry in listed.json()["results"]] == [
        entry["name"] for entry in entries(REGISTER_1_0)
    ]
    assert list(one.json()) == list(FIELDS)
    assert one.json()["name"] == "Parkeerscanauto"


@pytest.mark.parametrize("role", ROLES)
def test_unknown_and_non_project_ids_are_404(role, published_register):
    client = logged_in(make_user(role))
    dataset = record_page("dataset", publish=True)
    other_hub = federated("project", full=True)
    page = published_register["Parkeerscanauto"]
    unknown = page.record_id[:-12] + "000000000000"
    for record_id in (unknown, dataset.record_id, other_hub.record_id, "nonsense"):
        assert client.get(detail_url(record_id)).status_code == 404, record_id


def test_a_project_that_breaks_the_standard_is_refused_over_http(db):
    page = project_page(publish=True, language="nl")
    one = logged_in(None).get(detail_url(page.record_id))
    listed = logged_in(None).get(LIST_URL)
    assert one.status_code == 422
    assert one.json() == {
        "id": page.record_id,
        "reason": "required by standard 1.0: publication_category, contact_email",
    }
    assert listed.json()["results"] == []
    assert listed.json()["refused"] == [
        {
            "id": page.record_id,
            "name": "Parkeerscan",
            "reason": "required by standard 1.0: publication_category, contact_email",
        }
    ]


def test_the_export_is_read_only(published_register):
    response = logged_in(user_in(None, username="root", superuser=True)).post(
        LIST_URL, {}
    )
    assert response.status_code == 405


def test_entries_of_a_page_of_the_http_export_import_as_unchanged(published_register):
    # given the first page of the HTTP export
    page = logged_in(None).get(LIST_URL, {"page_size": 2}).json()
    # when it is imported
    report = algoritmeregister_import(
        entries=algoritmeregister_entries_parse(data=page)
    )
    # then its two entries are found again and unchanged
    assert [line.outcome for line in report.lines] == ["unchanged", "unchanged"]
