"""Mutants of a module: cosmic-ray's operators, a seeded sample of them, and the
reviewed file of known equivalents they are matched against.

Cosmic-ray mutates the whole parse tree (decorators, class bodies, module-level
pydantic fields), which is why it is used here; only its operators and its
mutation visitor are used, the driver (bench/mutation.py) runs the tests itself.
"""

from __future__ import annotations

import difflib
import random
import tomllib
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cosmic_ray.ast import ast_nodes, get_ast
from cosmic_ray.ast.ast_query import ASTQuery
from cosmic_ray.commands.init import _operators
from cosmic_ray.mutating import mutate_code
from parso import tree


@dataclass(frozen=True)
class Mutant:
    """One mutation: an operator applied at one occurrence in one module."""

    path: str
    operator: str
    occurrence: int
    line: int
    column: int
    function: str
    source_line: str
    # The header of the innermost block around the line (stripped): tells one
    # bare ``continue`` from another.
    block: str = ""

    @property
    def family(self) -> str:
        """The operator without its variant: ReplaceComparisonOperator_Eq_Lt -> ..."""
        return self.operator.split("/", 1)[-1].split("_", 1)[0]

    def key(self) -> tuple[str, str, str, str]:
        """What an equivalents entry names: stable while the line's text is."""
        return (self.path, self.function, self.source_line, self.operator)


@dataclass
class Equivalent:
    """A reviewed equivalent mutant: the tests cannot kill it because nothing breaks."""

    path: str
    function: str
    source_line: str
    operator: str
    reason: str
    # The mutated line's text: which of the operator's mutants on the line (a
    # number made +1 or -1); none names every one.
    mutation: str | None = None
    # The block's header, for a line whose text recurs in the function.
    block: str | None = None
    matched: bool = field(default=False, compare=False)

    def key(self) -> tuple[str, str, str, str]:
        return (self.path, self.function, self.source_line, self.operator)

    def matches(self, mutant: Mutant, mutated_line: str) -> bool:
        return (
            self.key() == mutant.key()
            and self.mutation in (None, mutated_line)
            and self.block in (None, mutant.block)
        )


def mutants_enumerate(*, root: Path, path: str) -> tuple[list[Mutant], int]:
    """Every mutant cosmic-ray's default operators make of ``path``, and how many
    signature and annotation mutants were left out (see ``_left_out``)."""
    source = (root / path).read_text(encoding="utf-8")
    lines = source.splitlines()
    nodes = list(ast_nodes(get_ast(source)))
    found: list[Mutant] = []
    annotations = 0
    for name, _args, operator in _operators({}):
        occurrence = 0
        for node in nodes:
            for start, _end in operator.mutation_positions(node):
                occurrence += 1
                if _left_out(name, node):
                    annotations += 1
                    continue
                found.append(
                    Mutant(
                        path=path,
                        operator=name,
                        occurrence=occurrence - 1,
                        line=start[0],
                        column=start[1],
                        function=_definition_name(node),
                        source_line=lines[start[0] - 1].strip(),
                        block=_block_header(lines, start[0]),
                    )
                )
    return found, annotations


def _block_header(lines: list[str], number: int) -> str:
    """The nearest line above ``number`` that is indented less (its block)."""
    line = lines[number - 1]
    indent = len(line) - len(line.lstrip())
    for above in reversed(lines[: number - 1]):
        if above.strip() and len(above) - len(above.lstrip()) < indent:
            return above.strip()
    return ""


def _in_signature_annotation(node: tree.NodeOrLeaf) -> bool:
    """Whether the node is in a parameter's or a return annotation: with postponed
    annotations nothing evaluates them, so their mutants say nothing of the tests."""
    while node.parent is not None:
        parent = node.parent
        if parent.type == "tfpdef" and node is parent.children[-1]:
            return True
        if parent.type == "funcdef" and parent.annotation is node:
            return True
        node = parent
    return False


def _in_field_annotation(node: tree.NodeOrLeaf) -> bool:
    """Whether the node is in the annotation of a class or module field."""
    while node.parent is not None:
        parent = node.parent
        if parent.type == "annassign" and node is parent.children[1]:
            return True
        node = parent
    return False


def _left_out(name: str, node: tree.NodeOrLeaf) -> bool:
    """Mutants that cannot tell a good test from a bad one: a signature's ``*``;
    in annotations, anything in
    a signature, and ``X | None`` made ``X / None`` in a field (pydantic fails at
    import, a dataclass never evaluates it). A field's ``Field(max_length=...)``
    stays: that is the record contract."""
    if _in_signature_annotation(node):
        return True
    if node.type == "operator" and node.parent.type in ("parameters", "typedargslist"):
        # The bare ``*`` before keyword-only parameters is no multiplication:
        # made ``/`` it still runs, and says nothing of the tests.
        return True
    return name.startswith(
        "core/ReplaceBinaryOperator_BitOr_"
    ) and _in_field_annotation(node)


def _definition_name(node: tree.NodeOrLeaf) -> str:
    """The enclosing function or class; a decorator belongs to what it decorates."""
    ancestor = node
    while ancestor is not None:
        if ancestor.type == "decorated":
            return ancestor.children[-1].name.value
        ancestor = ancestor.parent
    return ASTQuery(node).get_definition_name() or "<module>"


def mutants_sample(
    *, mutants: list[Mutant], seed: int, count: int | None, root: Path
) -> list[Mutant]:
    """One mutant per line and operator family, then ``count`` of those lines.

    Seeded by the seed and the module's path, so adding a module never changes
    another module's sample; ``count=None`` keeps every line and family. A mutant
    that is not valid Python (``*`` in a signature made ``**``) is passed over for
    another of its group: a syntax error proves nothing about the tests.
    """
    if not mutants:
        return []
    rng = random.Random(f"{seed}:{mutants[0].path}")
    groups: dict[tuple[int, str], list[Mutant]] = defaultdict(list)
    for mutant in mutants:
        groups[(mutant.line, mutant.family)].append(mutant)
    order = sorted(groups)
    rng.shuffle(order)
    chosen: list[Mutant] = []
    for group in order:
        if count is not None and len(chosen) >= count:
            break
        candidates = groups[group][:]
        rng.shuffle(candidates)
        viable = next(
            (m for m in candidates if mutant_compiles(root=root, mutant=m)), None
        )
        if viable is not None:
            chosen.append(viable)
    return sorted(
        chosen, key=lambda mutant: (mutant.line, mutant.column, mutant.operator)
    )


def mutant_compiles(*, root: Path, mutant: Mutant) -> bool:
    try:
        # cosmic-ray's exception replacer fails on some nodes (an ``except`` of a
        # tuple it cannot rewrite): such a mutant cannot be made, so it is skipped.
        _, mutated = mutant_code(root=root, mutant=mutant)
    except AttributeError:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            compile(mutated, mutant.path, "exec")
    except SyntaxError:
        return False
    return True


def mutant_code(*, root: Path, mutant: Mutant) -> tuple[str, str]:
    """The module's source and the mutant's source."""
    from cosmic_ray.plugins import get_operator

    original = (root / mutant.path).read_text(encoding="utf-8")
    mutated = mutate_code(original, get_operator(mutant.operator)(), mutant.occurrence)
    if mutated is None:
        raise RuntimeError(f"{mutant} no longer applies to {mutant.path}")
    return original, mutated


def mutant_diff(*, original: str, mutated: str) -> list[str]:
    """The changed lines only, as ``-old`` / ``+new``."""
    return [
        line
        for line in difflib.unified_diff(
            original.splitlines(), mutated.splitlines(), lineterm="", n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def mutated_line(diff: list[str]) -> str:
    """The text a mutant puts in place of its line ("" when it removes the line)."""
    return " ".join(line[1:].strip() for line in diff if line.startswith("+"))


def equivalents_match(
    *, root: Path, mutants: list[Mutant], equivalents: list[Equivalent]
) -> None:
    """Mark the entries that still name one of ``mutants`` (the others are stale)."""
    for entry in equivalents:
        for mutant in mutants:
            if mutant.key() != entry.key():
                continue
            original, mutated = mutant_code(root=root, mutant=mutant)
            if entry.matches(
                mutant, mutated_line(mutant_diff(original=original, mutated=mutated))
            ):
                entry.matched = True
                break


def equivalents_load(path: Path) -> list[Equivalent]:
    """The reviewed equivalents; an entry without a reason is refused."""
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = []
    for number, entry in enumerate(data.get("equivalent", []), start=1):
        missing = {"file", "function", "line", "operator", "reason"} - set(entry)
        if missing or not str(entry.get("reason", "")).strip():
            raise ValueError(
                f"{path}: entry {number} lacks {sorted(missing) or 'reason'}"
            )
        entries.append(
            Equivalent(
                path=entry["file"],
                function=entry["function"],
                source_line=entry["line"].strip(),
                operator=entry["operator"],
                reason=entry["reason"].strip(),
                mutation=entry["mutation"].strip() if "mutation" in entry else None,
                block=entry["block"].strip() if "block" in entry else None,
            )
        )
    return entries
