"""docs/configuration.md and .env.example list every variable the code reads,
and nothing else.

What the code reads is found in its source, not by running it (a run sees one
configuration's branches only): every call of the ``hubnet.env`` helper
(``env.int("NAME", ...)``) and every direct read of ``os.environ`` in the hub's
packages, plus the ``${NAME}`` variables docker-compose.yml takes from ``.env``.
A name given as anything but a literal (or a module constant) fails the test:
then nobody could tell which variable it is.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from hubnet.env import Env

ROOT = Path(__file__).resolve().parent.parent.parent
# Not hub code: the test suite and the benchmarks read their own variables.
NOT_HUB_CODE = {"tests", "bench"}
HELPER_METHODS = {
    name for name in vars(Env) if not name.startswith("_") and callable(vars(Env)[name])
}
ENVIRON_METHODS = {"get", "setdefault"}


@dataclass
class Reads:
    """Variable names read, and the reads whose name is not a literal."""

    helper: set[str] = field(default_factory=set)
    direct: set[str] = field(default_factory=set)
    unresolved: list[str] = field(default_factory=list)


def hub_packages() -> list[Path]:
    return sorted(
        path.parent
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_HUB_CODE
    )


def _constants(tree: ast.Module, root: Path) -> dict[str, str]:
    """Module-level ``NAME = "literal"`` assignments, and such names imported
    (``from package.module import NAME``) from a module under ``root``."""
    constants = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = node.value.value
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            base = root.joinpath(*node.module.split("."))
            for module in (base.with_suffix(".py"), base / "__init__.py"):
                if module.is_file():
                    imported = _module_constants(module, root)
                    for alias in node.names:
                        if alias.name in imported:
                            constants[alias.asname or alias.name] = imported[alias.name]
    return constants


_PARSING: set[Path] = set()


@functools.cache
def _module_constants(path: Path, root: Path) -> dict[str, str]:
    if path in _PARSING:  # an import cycle: its names resolve elsewhere or fail
        return {}
    _PARSING.add(path)
    try:
        return _constants(ast.parse(path.read_text()), root)
    finally:
        _PARSING.discard(path)


def _is_os_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _name_argument(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def source_reads(path: Path, reads: Reads, *, root: Path = ROOT) -> None:
    """Add the variables ``path`` reads to ``reads``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    constants = _constants(tree, root)
    where = path.relative_to(root)
    for node in ast.walk(tree):
        target: set[str] | None = None
        argument: ast.expr | None = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner, method = node.func.value, node.func.attr
            if (
                isinstance(owner, ast.Name)
                and owner.id == "env"
                and method in HELPER_METHODS
            ):
                target = reads.helper
            elif (_is_os_environ(owner) and method in ENVIRON_METHODS) or (
                isinstance(owner, ast.Name) and owner.id == "os" and method == "getenv"
            ):
                target = reads.direct
            argument = node.args[0] if node.args else None
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and _is_os_environ(node.value)
        ):
            target, argument = reads.direct, node.slice
        if target is None:
            continue
        name = _name_argument(argument, constants)
        if name is None:
            reads.unresolved.append(f"{where}:{node.lineno}")
        else:
            target.add(name)


def code_reads() -> Reads:
    reads = Reads()
    for package in hub_packages():
        for path in sorted(package.rglob("*.py")):
            source_reads(path, reads)
    return reads


def compose_reads() -> set[str]:
    """The variables docker-compose.yml substitutes from ``.env``."""
    text = (ROOT / "docker-compose.yml").read_text()
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))


def documented() -> set[str]:
    """Names in the first column of docs/configuration.md's tables."""
    names = set()
    for line in (ROOT / "docs" / "configuration.md").read_text().splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


def in_env_example() -> set[str]:
    """Names assigned in .env.example, commented out or not."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_the_source_scan_finds_the_reads_it_must():
    # given the scan, when run on the code, then it finds reads of every kind
    reads = code_reads()
    assert {"HUB_SLUG", "SEARCH_TIMEOUT", "NUM_PROXIES", "HEALTH_TOKEN"} <= reads.helper
    assert {"DJANGO_SETTINGS_MODULE", "SEARCH_NODE_HEAP", "JAVA_HOME"} <= reads.direct
    assert {"POSTGRES_PASSWORD", "HUBNET_IMAGE"} <= compose_reads()
    assert reads.unresolved == []


def test_the_scan_tells_helper_and_direct_reads_and_refuses_computed_names(
    tmp_path,
):
    # given
    (tmp_path / "names.py").write_text("HEAP = 'SAMPLE_HEAP'\n")
    source = tmp_path / "sample.py"
    source.write_text(
        "import os\n"
        "from hubnet.env import env\n"
        "from names import HEAP\n"
        "A = env.int('SAMPLE_A', 1, minimum=0)\n"
        "B = env.list('SAMPLE_B')\n"
        "C = os.environ.get(HEAP)\n"
        "D = os.environ['SAMPLE_D']\n"
        "E = os.getenv('SAMPLE_E')\n"
        "F = env.str(f'SAMPLE_{A}')\n"
        "G = {}.get('NOT_A_READ')\n"
    )
    reads = Reads()
    # when
    source_reads(source, reads, root=tmp_path)
    # then
    assert reads.helper == {"SAMPLE_A", "SAMPLE_B"}
    assert reads.direct == {"SAMPLE_HEAP", "SAMPLE_D", "SAMPLE_E"}
    assert reads.unresolved == ["sample.py:9"]


def test_every_variable_read_is_documented_and_in_the_example():
    # given
    reads = code_reads()
    read = reads.helper | reads.direct | compose_reads()
    # then
    assert sorted(read - documented()) == [], "missing in docs/configuration.md"
    assert sorted(read - in_env_example()) == [], "missing in .env.example"


def test_nothing_documented_or_in_the_example_is_unread():
    # given
    reads = code_reads()
    read = reads.helper | reads.direct | compose_reads()
    # then
    assert sorted(documented() - read) == [], "docs/configuration.md lists unread"
    assert sorted(in_env_example() - read) == [], ".env.example lists unread"
