"""ARCHITECTURE.md names the places a newcomer must touch: every path it names
exists, every ``path::name`` is defined there, and its import table is the one
the import-rules test enforces."""

import ast
import re
from pathlib import Path

import pytest

from tests.hubnet.test_import_rules import ALLOWED, APPS

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
# `path/to/file.py::Name.attr`, `path/to/file.html`, `folder/` in backticks.
REFERENCE = re.compile(r"`([a-z_]+/[\w/.-]*?)(?:::([\w.]+))?`")


def references(text: str) -> list[tuple[str, str | None]]:
    return [(path, name) for path, name in REFERENCE.findall(text)]


def defined_names(path: Path) -> dict[str, set[str]]:
    """Top-level names of a module, each with the names assigned or defined in
    its body (a class's attributes and methods)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: dict[str, set[str]] = {}
    for node in tree.body:
        for name in _bound(node):
            names[name] = {
                member
                for child in getattr(node, "body", [])
                for member in _bound(child)
            }
    return names


def _bound(node: ast.AST) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [target.id for target in node.targets if isinstance(target, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    if isinstance(node, ast.ImportFrom):
        # a module that re-exports a name defines it for its importers
        return [alias.asname or alias.name for alias in node.names]
    return []


def is_defined(path: Path, dotted: str) -> bool:
    first, *rest = dotted.split(".")
    names = defined_names(path)
    if first not in names:
        return False
    return not rest or rest[0] in names[first]


DOCUMENT = ARCHITECTURE.read_text()
REFERENCES = sorted(set(references(DOCUMENT)))


def test_the_page_names_enough_places_to_follow():
    steps = DOCUMENT.split("## Add a field to the record and see it in search")[1]
    steps = steps.split("\n## ")[0]
    numbered = re.findall(r"^\d+\. \*\*", steps, flags=re.MULTILINE)
    assert len(numbered) == 10
    assert len([name for _, name in references(steps) if name]) >= 12


@pytest.mark.parametrize(
    ("path", "name"), REFERENCES, ids=[f"{p}::{n}" if n else p for p, n in REFERENCES]
)
def test_a_named_place_exists(path, name):
    # given a place ARCHITECTURE.md names, then it exists in the tree
    target = ROOT / path
    assert target.exists(), f"{path} is named in ARCHITECTURE.md but does not exist"
    if name:
        assert target.suffix == ".py", path
        assert is_defined(target, name), f"{path} defines no {name}"


def test_the_import_table_is_the_enforced_one():
    # given the table of ARCHITECTURE.md
    block = DOCUMENT.split("## Imports run one way")[1].split("```")[1]
    documented: dict[str, set[str]] = {}
    for line in block.strip().splitlines():
        app, below = (part.strip() for part in line.split("->"))
        documented[app] = (
            set() if below == "(none)" else {name.strip() for name in below.split(",")}
        )
    # then it lists every app, and each app's imports are the allowed ones
    assert set(documented) == set(APPS)
    assert documented.pop("hubnet") == set(APPS) - {"hubnet"}
    assert documented == {app: allowed - {app} for app, allowed in ALLOWED.items()}


def test_the_checks_would_catch_a_moved_name(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("class Body:\n    title: str = ''\n\nLIMIT = 3\n")
    assert is_defined(module, "Body.title")
    assert is_defined(module, "LIMIT")
    assert not is_defined(module, "Body.summary")
    assert not is_defined(module, "body_validate")
    assert references("see `a/b.py::C.d` and `e/f/`") == [
        ("a/b.py", "C.d"),
        ("e/f/", ""),
    ]
