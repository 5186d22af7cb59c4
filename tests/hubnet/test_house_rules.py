"""House rules the linters do not check: no Python module of the project grows
past MAX_LINES lines (a longer one is split into a package or a sibling module
along a real seam). Migrations and controlled vocabularies are generated or
declarative data and do not count."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 450
# Folders that are not the project's code: tools, data, build output.
NOT_CODE = {".venv", "var", "node_modules", "build", "dist", "target", "__pycache__"}
# Generated migrations and declarative vocabularies may be long.
EXEMPT_PARTS = {"migrations", "vocabularies"}
# Modules still waiting for their split: each allowance holds only while its file
# exists, so it lapses by itself when the module is split up.
AWAITING_SPLIT: tuple[str, ...] = ()


def python_modules(root: Path) -> list[Path]:
    """Every .py file under ``root`` outside NOT_CODE and hidden folders, without
    migrations and vocabularies."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [
            name
            for name in subfolders
            if name not in NOT_CODE
            and not name.startswith(".")
            and not name.endswith(".egg-info")
        ]
        for name in files:
            path = Path(folder) / name
            exempt = EXEMPT_PARTS & {*path.relative_to(root).parts, path.stem}
            if name.endswith(".py") and not exempt:
                found.append(path)
    return sorted(found)


def too_long(root: Path, *, allowed: tuple[str, ...] = ()) -> dict[str, int]:
    """The modules over MAX_LINES lines (path: lines), but those ``allowed``."""
    lengths = {
        path.relative_to(root).as_posix(): len(path.read_text().splitlines())
        for path in python_modules(root)
    }
    return {
        path: lines
        for path, lines in lengths.items()
        if lines > MAX_LINES and path not in allowed
    }


def test_no_module_is_longer_than_the_limit():
    # given every module of the project (code, tests, benchmarks)
    allowed = tuple(path for path in AWAITING_SPLIT if (ROOT / path).exists())
    # then none is longer than the limit, but those awaiting their split
    assert too_long(ROOT, allowed=allowed) == {}


def test_the_rule_counts_code_and_tests_but_not_migrations_or_vocabularies(
    tmp_path,
):
    # given a tree with one long module of each kind, and one at the limit
    long_text = "x = 1\n" * (MAX_LINES + 1)
    for path in (
        "app/services.py",
        "tests/app/test_services.py",
        "app/migrations/0001_initial.py",
        "app/vocabularies/themes.py",
        "app/vocabularies.py",
        ".venv/lib/site.py",
        "var/demo/settings.py",
    ):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(long_text)
    (tmp_path / "app/models.py").write_text("x = 1\n" * MAX_LINES)
    # when the rule reads it
    found = too_long(tmp_path)
    # then only the code and the test are too long
    assert found == {
        "app/services.py": MAX_LINES + 1,
        "tests/app/test_services.py": MAX_LINES + 1,
    }
    # and an allowance covers exactly the module it names
    assert too_long(tmp_path, allowed=("app/services.py",)) == {
        "tests/app/test_services.py": MAX_LINES + 1
    }
