"""``hubnet harvest add|list|run|remove``."""

import pytest
from django.core.management import CommandError, call_command

from cms.models import DatasetPage
from standards.harvest.models import HarvestSource
from tests.standards.harvest.server import Portal, synthetic_dataset

pytestmark = pytest.mark.django_db


def test_add_list_run_remove(portal: Portal, hub, capsys):
    # Given a catalogue of three datasets
    portal.datasets = [synthetic_dataset(n) for n in (1, 2, 3)]

    # When a source is added, run, listed and removed with its pages
    call_command(
        "harvest",
        "add",
        "portal",
        portal.url("/catalog"),
        "--kind",
        "dcat",
        "--publish",
    )
    call_command("harvest", "run", "portal")
    call_command("harvest", "list")
    assert DatasetPage.objects.live().count() == 3
    call_command("harvest", "remove", "portal", "--withdraw")

    # Then each step said what it did
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"added portal (dcat) {portal.url('/catalog')}"
    assert out[1].startswith("done in ")
    assert out[1].endswith(
        ": 3 created, 0 updated, 0 unchanged, 0 withdrawn, 0 refused"
    )
    assert out[2].startswith(f"portal\tdcat\t{portal.url('/catalog')}\tdone in ")
    assert out[3] == "removed portal; 3 pages withdrawn"
    assert not HarvestSource.objects.exists()
    assert not DatasetPage.objects.live().exists()


def test_add_refuses_unknown_kind_and_bad_url(db):
    with pytest.raises(CommandError, match="invalid choice: 'ftp'"):
        call_command("harvest", "add", "x", "https://x.example.org", "--kind", "ftp")
    with pytest.raises(CommandError, match="not an http\\(s\\) URL"):
        call_command("harvest", "add", "x", "file:///etc/passwd", "--kind", "dcat")
    assert not HarvestSource.objects.exists()


def test_run_of_failed_source_says_why(portal: Portal, hub, capsys):
    # Given a source whose catalogue is gone
    call_command("harvest", "add", "gone", portal.url("/nothing"), "--kind", "dcat")

    # When it is run, the command fails with the reason
    with pytest.raises(CommandError, match="/nothing: HTTP 404"):
        call_command("harvest", "run", "gone")
