"""Imports run one way (README, Layout): every import of every module of an app,
top-level or inside a function, names only the apps below it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("hubnet", "alerts", "standards", "cms", "search", "federation", "hubs")
ALLOWED = {
    "hubs": {"hubs"},
    "federation": {"federation", "hubs"},
    "cms": {"cms", "federation", "hubs"},
    "search": {"search", "federation", "hubs"},
    "alerts": {"alerts", "search", "federation", "hubs"},
    "standards": {"standards", "cms", "federation", "hubs"},
}


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names & set(APPS)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_apps_below_it(app):
    # given every Python module of the app
    modules = sorted((ROOT / app).rglob("*.py"))
    assert modules, app
    # then none imports an app above it or beside it
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imported_apps(path) - ALLOWED[app])
        for path in modules
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_the_rule_would_catch_a_wrong_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from search.queries import catalogue_search\n")
    assert _imported_apps(module) == {"search"}
