"""cms.presenters and cms.selectors keep to their roles: presenters read
through selectors and never import a service (a function that writes);
selectors return records and never import presentation."""

import ast
from pathlib import Path

import pytest

CMS = Path(__file__).resolve().parents[2] / "cms"


def _imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, top-level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _is_service(module: str) -> bool:
    return "services" in module.split(".")


PRESENTERS = sorted((CMS / "presenters").glob("*.py"))


def test_the_presenters_are_the_four_pages():
    # then presentation lives in one package, one module per thing shown
    assert [path.name for path in PRESENTERS] == [
        "__init__.py",
        "admin.py",
        "home.py",
        "listing.py",
        "record.py",
    ]
    assert not list(CMS.glob("selectors_*.py"))


@pytest.mark.parametrize("path", PRESENTERS, ids=lambda path: path.name)
def test_a_presenter_imports_no_service(path: Path):
    # given a presenter module, then none of its imports is a services module
    assert sorted(filter(_is_service, _imported_modules(path))) == []


def test_the_selectors_import_no_presentation():
    # given the cms selectors, then they import no presenter, template or label
    imported = _imported_modules(CMS / "selectors.py")
    assert (
        sorted(
            module
            for module in imported
            if module.startswith(
                ("cms.presenters", "federation.vocabularies", "django.template")
            )
            or _is_service(module)
        )
        == []
    )
