"""Where the apps apply regular expressions, found in their source, and a
bounded run of a pattern (for tests/hubnet/test_regex_safety.py).

A site is a call that takes a pattern: ``re.compile``/``re.search``/... ,
Django's ``RegexValidator`` and ``re_path``, DRF's ``RegexField``, the settings'
``env.matching``, and any call with a ``pattern=`` or ``regex=`` keyword
(pydantic's ``Field``, drf-spectacular's ``OpenApiParameter``).
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import re
import signal
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("hubnet", "hubs", "cms", "federation", "search", "standards")
RE_FUNCTIONS = {
    # name -> position of the flags argument
    "compile": 1,
    "search": 2,
    "match": 2,
    "fullmatch": 2,
    "findall": 2,
    "finditer": 2,
    "split": 3,
    "sub": 4,
    "subn": 4,
}
PATTERN_CALLS = {"RegexValidator": 0, "RegexField": 0, "re_path": 0, "matching": 1}


@dataclass(frozen=True)
class Site:
    """One call that applies a pattern, named by where it is: the module and
    the (class, function or assigned) names around it."""

    path: str  # relative to the repository
    where: str  # e.g. "_URL", "_assessments", "ProjectBody.contact_email"
    call: str  # the called name (compile, Field, RegexField, ...)
    node: ast.expr
    flags: ast.expr | None

    @property
    def key(self) -> str:
        return f"{self.path}: {self.where}"

    @property
    def module(self) -> str:
        return self.path.removesuffix(".py").replace("/", ".")

    @property
    def engine(self) -> str:
        """``rust`` for pydantic's pattern constraint, else Python's ``re``."""
        return "rust" if self.call == "Field" else "python"

    def pattern(self) -> tuple[str, int] | None:
        """The pattern and flags, evaluated in the module (None when the
        pattern is a local value, known only at run time)."""
        namespace = vars(importlib.import_module(self.module))
        try:
            pattern = eval(ast.unparse(self.node), namespace)  # noqa: S307
            flags = eval(ast.unparse(self.flags), namespace) if self.flags else 0  # noqa: S307
        except NameError:
            return None
        if isinstance(pattern, re.Pattern):
            return pattern.pattern, pattern.flags
        return pattern, int(flags)


def regex_sites() -> list[Site]:
    """Every site in the apps' source (migrations left out); a name that holds
    several sites gets #2, #3, ... on the later ones."""
    sites: list[Site] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            tree = ast.parse(path.read_text(), filename=relative)
            found: list[Site] = []
            _visit(tree, relative, (), found)
            counts: dict[str, int] = {}
            for site in found:
                counts[site.where] = counts.get(site.where, 0) + 1
                if counts[site.where] > 1:
                    site = replace(site, where=f"{site.where}#{counts[site.where]}")
                sites.append(site)
    return sites


def _visit(node: ast.AST, path: str, scope: tuple[str, ...], found: list[Site]) -> None:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        scope = (*scope, node.name)
    elif isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [ast.unparse(target) for target in targets]
        scope = (*scope, names[0])
    site = _site(path, ".".join(scope) or "<module>", node)
    if site is not None:
        found.append(site)
    for child in ast.iter_child_nodes(node):
        _visit(child, path, scope, found)


def _site(path: str, where: str, node: ast.AST) -> Site | None:
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    owner = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
    keywords = {keyword.arg: keyword.value for keyword in node.keywords}
    pattern: ast.expr | None = None
    flags: ast.expr | None = keywords.get("flags")
    if owner == "re" and name in RE_FUNCTIONS:
        pattern = node.args[0] if node.args else keywords.get("pattern")
        position = RE_FUNCTIONS[name]
        if flags is None and len(node.args) > position:
            flags = node.args[position]
    elif name in PATTERN_CALLS and len(node.args) > PATTERN_CALLS[name]:
        pattern = node.args[PATTERN_CALLS[name]]
    else:
        pattern = keywords.get("pattern") or keywords.get("regex")
    if pattern is None:
        return None
    return Site(path, where, name, pattern, flags)


class TooSlow(Exception):
    """A pattern did not finish on an input within the bound."""


def _alarm(signum: int, frame: Any) -> None:
    raise TooSlow


def timed(run: Any, *, bound: float) -> float:
    """Seconds ``run()`` took; raises ``TooSlow`` when it passes ``bound``.

    Python's regex engine checks for signals while it matches, so a timer
    signal stops even a match that would run for hours (a thread could not:
    the match holds the GIL). Only the main thread can take the signal.
    """
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, bound)
    started = time.perf_counter()
    try:
        run()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return time.perf_counter() - started


def python_runs(pattern: str | bytes, flags: int, text: str, *, call: str) -> list[Any]:
    """What the apps do with a Python pattern: a whole match where the site
    only ever matches whole (``fullmatch``, ``env.matching``) or at the start
    (``match``); else a match at every position (as ``findall``, ``sub``,
    ``split`` and ``search`` do) and a whole match."""
    compiled = re.compile(pattern, flags)
    if isinstance(pattern, bytes):
        # A bytes pattern reads bytes: the same characters, encoded.
        text = text.encode("utf-8", "surrogatepass")  # type: ignore[assignment]
    if call in ("fullmatch", "matching"):
        return [lambda: compiled.fullmatch(text)]
    if call == "match":
        return [lambda: compiled.match(text)]
    return [lambda: compiled.findall(text), lambda: compiled.fullmatch(text)]


def rust_runs(pattern: str, text: str) -> list[Any]:
    """pydantic's pattern constraint (its Rust engine) on ``text``."""
    adapter = TypeAdapter(Annotated[str, Field(pattern=pattern)])

    def validate() -> None:
        with contextlib.suppress(ValidationError):
            adapter.validate_python(text)

    return [validate]
