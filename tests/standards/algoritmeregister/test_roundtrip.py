"""Import, publish, export: every field of standard 1.0 comes back as it went in."""

import json

import pytest
from django.core.management import call_command
from wagtail.models import Revision

from cms.models import ProjectPage
from standards.algoritmeregister.schema import FIELDS
from standards.algoritmeregister.selectors import own_project_records
from standards.algoritmeregister.services import (
    algoritmeregister_export,
    algoritmeregister_import,
)
from tests.cms.factories import logged_in
from tests.standards.algoritmeregister.helpers import (
    REGISTER_1_0,
    empty_as_none,
    entries,
)

pytestmark = pytest.mark.django_db


def test_import_then_export_keeps_every_field_of_the_standard(published_register):
    # given the fixture entries imported and published
    given = entries(REGISTER_1_0)
    # when the hub's projects are exported
    result = algoritmeregister_export(records=own_project_records())
    # then nothing is refused, and each entry has every field of the standard
    assert result.refused == []
    assert len(result.entries) == 3
    by_source_id = {entry["source_id"]: entry for entry in result.entries}
    for entry in given:
        exported = by_source_id[entry["source_id"]]
        assert list(exported) == list(FIELDS)
        for name in FIELDS:
            assert empty_as_none(exported[name]) == empty_as_none(entry.get(name)), (
                entry["name"],
                name,
            )


def test_the_export_command_writes_the_same_entries(published_register, tmp_path):
    # given the published projects
    out = tmp_path / "register.json"
    # when the export command writes them to a file
    call_command("export", "algoritmeregister", out=out, stdout=(lines := _Lines()))
    # then the file holds the entries, and the summary is printed
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == algoritmeregister_export(records=own_project_records()).entries
    assert lines.text == "3 exported, 0 refused\n"


def test_re_importing_the_export_of_published_projects_changes_nothing(
    published_register, tmp_path
):
    # given the published projects exported to a file
    out = tmp_path / "register.json"
    call_command("export", "algoritmeregister", out=out, stdout=_Lines())
    pages, revisions = ProjectPage.objects.count(), Revision.objects.count()
    # when that file and the original are imported again
    again = algoritmeregister_import(entries=json.loads(out.read_text()))
    original = algoritmeregister_import(entries=entries(REGISTER_1_0))
    # then every entry is unchanged and nothing was written
    assert [line.outcome for line in again.lines + original.lines] == ["unchanged"] * 6
    assert (ProjectPage.objects.count(), Revision.objects.count()) == (
        pages,
        revisions,
    )
    assert (
        ProjectPage.objects.filter(live=True, has_unpublished_changes=False).count()
        == 3
    )


class _Lines:
    """A stdout for call_command that keeps what was written."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_the_public_project_page_shows_the_register_fields(published_register):
    # given a published imported project
    page = published_register["Signalering onrechtmatige bijstand"]
    # when its public page is shown
    html = logged_in(None).get(page.url).content.decode()
    # then the register's fields are on it
    for text in (
        "High-risk AI system (A)",
        "Sociale zekerheid, Werk, Organisatie en bedrijfsvoering",
        'href="https://wetten.overheid.nl/BWBR0015703">Participatiewet</a>',
        'href="https://www.rvig.nl/brp">Basisregistratie Personen</a>',
        "https://gemeentenoorderhaaks.nl/verwerkingen/bijstand",
    ):
        assert text in html, text


def test_imported_lists_keep_the_entry_order_in_their_positions(published_register):
    # given the imported and published projects; when their lists are read
    positions = {
        (page.title, relation): [
            row.sort_order for row in getattr(page, relation).all()
        ]
        for page in ProjectPage.objects.all()
        for relation in (
            "impact_assessments",
            "lawful_basis_links",
            "source_data_links",
        )
    }
    # then each row holds its place in the entry (rows without one would be
    # read back in the table's order, which moves with the table's history)
    assert positions
    assert all(found == list(range(len(found))) for found in positions.values())
    assert any(len(found) > 1 for found in positions.values())
