"""``hubnet import algoritmeregister`` on a real export of the Dutch register:
it finishes, and every entry is imported or refused with a reason naming it.

The import runs as the command a user runs, in a child process with a timeout,
so that an import that never finishes fails this test instead of hanging it.
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cms.models import ProjectPage
from tests.cms.factories import hub_home
from tests.conftest import ROOT, test_database_url
from tests.standards.algoritmeregister.helpers import DATA

REAL_EXPORT = DATA / "algoritmeregister_entries_nl.json"
ENTRIES = 80
# The import takes seconds (most of it Wagtail's page writes, about 80 queries
# an entry); catastrophic backtracking took hours. The bound is generous for a
# loaded CI machine; the child is killed after TIMEOUT.
TIME_BOUND = 60.0
TIMEOUT = 180.0
LINE = re.compile(r"^#(\d+) (.*)$")
SUMMARY = re.compile(
    r"^(\d+) entries: (\d+) created, (\d+) updated, (\d+) unchanged, (\d+) skipped"
)


def hubnet_import(
    path: Path, *options: str
) -> tuple[subprocess.CompletedProcess, float]:
    """``hubnet import algoritmeregister PATH`` on the test database, timed."""
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hubnet.settings.test",
        "DATABASE_URL": test_database_url(),
    }
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "hubnet",
            "import",
            "algoritmeregister",
            str(path),
            *options,
        ],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return done, time.monotonic() - started


def report_lines(stdout: str) -> dict[int, str]:
    """Entry position -> the rest of its report line."""
    lines = {}
    for line in stdout.splitlines():
        match = LINE.match(line)
        if match:
            lines[int(match.group(1))] = match.group(2)
    return lines


def outcome_counts(stdout: str) -> dict[str, int]:
    match = SUMMARY.search(stdout.splitlines()[-1])
    assert match, stdout[-500:]
    total, created, updated, unchanged, skipped = map(int, match.groups())
    return {
        "total": total,
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "skipped": skipped,
    }


def assert_accounted_for(stdout: str) -> None:
    """Every entry has one report line: imported, or skipped with a reason that
    follows the entry's name."""
    names = [entry["name"] for entry in json.loads(REAL_EXPORT.read_text("utf-8"))]
    lines = report_lines(stdout)
    assert sorted(lines) == list(range(1, ENTRIES + 1))
    for position, text in lines.items():
        name = names[position - 1].strip()
        if " skipped: " in text:
            # a refused entry is named by what it gave (cut to 100 characters)
            assert text.startswith(f"“{name[:100]}” skipped: "), text
            assert text.split(" skipped: ", 1)[1].strip(), text
        else:
            assert text.startswith(f"“{name}” "), text


@pytest.mark.django_db(transaction=True)
def test_the_real_export_imports_in_seconds_and_every_entry_is_accounted_for():
    # given a hub and a real export of 80 entries in the register's 0.x names
    hub_home()
    assert len(json.loads(REAL_EXPORT.read_text("utf-8"))) == ENTRIES
    # when it is checked with a dry run
    dry, dry_seconds = hubnet_import(REAL_EXPORT, "--dry-run")
    # then it finishes, every entry has its line and nothing is written
    assert dry.returncode == 0, dry.stdout[-3000:] + dry.stderr[-3000:]
    assert_accounted_for(dry.stdout)
    assert outcome_counts(dry.stdout) == {
        "total": ENTRIES,
        "created": ENTRIES,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
    }
    assert dry.stdout.splitlines()[-1].endswith("(dry run: nothing written)")
    assert ProjectPage.objects.count() == 0
    assert dry_seconds < TIME_BOUND
    # when it is imported for real
    real, real_seconds = hubnet_import(REAL_EXPORT)
    # then every entry is a draft page
    assert real.returncode == 0, real.stdout[-3000:] + real.stderr[-3000:]
    assert_accounted_for(real.stdout)
    assert outcome_counts(real.stdout)["created"] == ENTRIES
    assert ProjectPage.objects.count() == ENTRIES
    assert ProjectPage.objects.filter(live=True).count() == 0
    assert real_seconds < TIME_BOUND
    # when it is imported again
    again, _ = hubnet_import(REAL_EXPORT)
    # then nothing changes
    assert again.returncode == 0, again.stdout[-3000:]
    changed = [line for line in again.stdout.splitlines() if " unchanged " not in line]
    assert changed == [again.stdout.splitlines()[-1]]
    assert ProjectPage.objects.count() == ENTRIES
