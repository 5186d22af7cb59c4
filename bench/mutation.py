"""Mutation testing of the core modules: break the code on purpose, one change at a
time, and count how often the module's own tests notice.

For each module in TARGETS (bench/mutation_targets.py): cosmic-ray's operators
give every mutant; a seeded sample keeps one mutant per line and operator family,
then COUNT of those lines; each sampled mutant is written into a private copy of
the tree and the module's tests run against it (``pytest -x``, no e2e tests, a
timeout: a mutant that hangs counts as killed). Mutants listed in the reviewed
equivalents file are reported as equivalent and not run. Prints a JSON report;
exits 1 when a module kills less than --threshold of its non-equivalent mutants,
or when an equivalents entry no longer matches any mutant (stale).

Runs on the embedded defaults, or on PostgreSQL and Redis when DATABASE_URL /
CELERY_BROKER_URL name them (then the test database is kept between mutants).

    python bench/mutation.py [--quick] [--module federation/records.py] [--seed 23]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from glob import glob
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutation_mutants import (
    Equivalent,
    Mutant,
    equivalents_load,
    equivalents_match,
    mutant_code,
    mutant_diff,
    mutants_enumerate,
    mutants_sample,
    mutated_line,
)
from mutation_targets import QUICK_MODULES, TARGETS, Target

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "bench" / "mutation_equivalents.toml"


def tree_copy() -> Path:
    """The tree (tracked and new files) in a private directory: mutants never
    touch the working tree, and an interrupted run leaves nothing mutated."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    copy = Path(tempfile.mkdtemp(prefix="hubnet-mutation-"))
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    built_node = ROOT / "search" / "node" / "target"
    if built_node.exists():
        (copy / "search" / "node" / "target").symlink_to(built_node)
    return copy


def tests_of(*, copy: Path, target: Target) -> list[str]:
    found: list[str] = []
    for pattern in target.tests:
        for name in sorted(glob(pattern, root_dir=copy)):
            if name not in found and "/e2e/" not in name:
                found.append(name)
    if not found:
        raise SystemExit(f"no tests match {target.tests}")
    return found


# Plugins these tests never use; loading them costs ~2.5 s a run (a third of a
# killed mutant's time).
PYTEST_COMMAND = (
    "-m",
    "pytest",
    "-x",
    "-q",
    "-p",
    "no:cacheprovider",
    "-p",
    "no:faker",
    "-p",
    "no:hypothesispytest",
    "-p",
    "no:schemathesis",
    "-p",
    "no:anyio",
)


def pytest_run(*, copy: Path, tests: list[str], timeout: float) -> tuple[str, float]:
    """Run the tests in the copy: 'passed', 'failed' or 'timeout', and seconds.

    A timeout ends the whole process group: the worker processes a test started
    must not outlive a hung mutant."""
    command = [sys.executable, *PYTEST_COMMAND]
    if os.environ.get("DATABASE_URL"):
        # Mutants never touch migrations: keep the test database between runs
        # (on PostgreSQL a store mutant then takes ~7 s instead of ~17 s).
        command.append("--reuse-db")
    environ = {**os.environ, "PYTHONPATH": str(copy)}
    started = time.monotonic()
    process = subprocess.Popen(
        [*command, *tests],
        cwd=copy,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process_group_kill(process)
        return "timeout", time.monotonic() - started
    except BaseException:
        # Interrupted (Ctrl-C, or SIGTERM from CI's timeout): take the run along.
        process_group_kill(process)
        raise
    return ("passed" if returncode == 0 else "failed"), time.monotonic() - started


def process_group_kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def interrupted(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def module_resolves_to_copy(*, copy: Path, path: str) -> None:
    """The tests must import the mutated copy, not the installed tree."""
    name = path.removesuffix(".py").replace("/", ".")
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import importlib.util as u; print(u.find_spec({name!r}).origin)",
        ],
        cwd=copy,
        env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if Path(found).resolve() != (copy / path).resolve():
        raise SystemExit(f"{name} imports from {found}, not from the copy {copy}")


def module_source_write(*, copy: Path, path: str, code: str) -> None:
    """Write a module and drop its bytecode: a same-size edit within the same
    second would otherwise be served from the stale .pyc."""
    target = copy / path
    target.write_text(code, encoding="utf-8")
    for cached in (target.parent / "__pycache__").glob(f"{target.stem}.*.pyc"):
        cached.unlink()


def equivalent_of(
    mutant: Mutant, diff: list[str], equivalents: list[Equivalent]
) -> Equivalent | None:
    changed = mutated_line(diff)
    return next(
        (entry for entry in equivalents if entry.matches(mutant, changed)), None
    )


def module_mutate(
    *,
    copy: Path,
    path: str,
    sample: list[Mutant],
    tests: list[str],
    equivalents: list[Equivalent],
    timeout_factor: float,
) -> dict:
    """Run the sample of one module; the module's report."""
    module_resolves_to_copy(copy=copy, path=path)
    status, baseline = pytest_run(copy=copy, tests=tests, timeout=1800)
    if status != "passed":
        raise SystemExit(f"{path}: its tests fail unmutated ({tests}); fix them first")
    timeout = max(60.0, baseline * timeout_factor)
    counts = {
        "tried": len(sample),
        "killed": 0,
        "timeout": 0,
        "equivalent": 0,
        "survived": 0,
    }
    survivors, equivalent = [], []
    for number, mutant in enumerate(sample, start=1):
        original, mutated = mutant_code(root=copy, mutant=mutant)
        described = {
            "where": f"{path}:{mutant.line}",
            "function": mutant.function,
            "operator": mutant.operator,
            "line": mutant.source_line,
            "diff": mutant_diff(original=original, mutated=mutated),
        }
        entry = equivalent_of(mutant, described["diff"], equivalents)
        if entry is not None:
            counts["equivalent"] += 1
            equivalent.append({**described, "reason": entry.reason})
            outcome, seconds = "equivalent", 0.0
        else:
            module_source_write(copy=copy, path=path, code=mutated)
            try:
                outcome, seconds = pytest_run(copy=copy, tests=tests, timeout=timeout)
            finally:
                module_source_write(copy=copy, path=path, code=original)
            if outcome == "passed":
                counts["survived"] += 1
                survivors.append(described)
            else:
                counts["killed"] += 1
                counts["timeout"] += outcome == "timeout"
        print(
            f"[{path} {number}/{len(sample)}] {outcome:<10} {seconds:5.1f}s "
            f"{mutant.line}: {mutant.operator}",
            file=sys.stderr,
            flush=True,
        )
    judged = counts["tried"] - counts["equivalent"]
    return {
        **counts,
        "score": round(counts["killed"] / judged, 3) if judged else 1.0,
        "baseline_seconds": round(baseline, 1),
        "tests": tests,
        "survivors": survivors,
        "equivalents": equivalent,
    }


def mutants_show(where: str) -> int:
    """Every mutant of FILE:LINE, written as the equivalents file wants it."""
    path, _, line = where.rpartition(":")
    every, _ = mutants_enumerate(root=ROOT, path=path)
    for mutant in every:
        if mutant.line != int(line):
            continue
        original, mutated = mutant_code(root=ROOT, mutant=mutant)
        change = mutated_line(mutant_diff(original=original, mutated=mutated))
        print(
            "[[equivalent]]\n"
            f"file = {json.dumps(mutant.path)}\n"
            f"function = {json.dumps(mutant.function)}\n"
            f"line = {json.dumps(mutant.source_line)}\n"
            f"block = {json.dumps(mutant.block)}\n"
            f"operator = {json.dumps(mutant.operator)}\n"
            f"mutation = {json.dumps(change)}\n"
            'reason = ""\n'
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", choices=sorted(TARGETS))
    parser.add_argument("--quick", action="store_true", help="the CI sample")
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--count", type=int, help="lines per module (0: every line)")
    parser.add_argument("--threshold", type=float, help="default 0.9; --quick: 1.0")
    parser.add_argument("--timeout-factor", type=float, default=3.0)
    parser.add_argument("--equivalents", type=Path, default=EQUIVALENTS)
    parser.add_argument(
        "--list", action="store_true", help="print the sample, run nothing"
    )
    parser.add_argument("--output", type=Path, help="also write the report here")
    parser.add_argument(
        "--show",
        metavar="FILE:LINE",
        help="print every mutant of a line as an equivalents entry, run nothing",
    )
    args = parser.parse_args(argv)
    modules = args.module or list(QUICK_MODULES if args.quick else TARGETS)
    threshold = (
        args.threshold if args.threshold is not None else (1.0 if args.quick else 0.9)
    )
    equivalents = equivalents_load(args.equivalents)
    if args.show:
        return mutants_show(args.show)

    started = time.monotonic()
    samples: dict[str, list[Mutant]] = {}
    enumerated: dict[str, int] = {}
    annotations: dict[str, int] = {}
    for path in modules:
        target = TARGETS[path]
        every, annotations[path] = mutants_enumerate(root=ROOT, path=path)
        enumerated[path] = len(every)
        equivalents_match(root=ROOT, mutants=every, equivalents=equivalents)
        count = target.quick_count if args.quick else target.count
        if args.count is not None:
            count = args.count or None
        samples[path] = mutants_sample(
            mutants=every, seed=args.seed, count=count, root=ROOT
        )
    stale = [
        {
            "file": entry.path,
            "function": entry.function,
            "line": entry.source_line,
            "operator": entry.operator,
            "mutation": entry.mutation,
        }
        for entry in equivalents
        if entry.path in modules and not entry.matched
    ]
    if args.list:
        for path, sample in samples.items():
            for mutant in sample:
                print(f"{path}:{mutant.line} {mutant.function} {mutant.operator}")
        for entry in stale:
            print(f"stale equivalent: {json.dumps(entry)}", file=sys.stderr)
        return 1 if stale else 0

    signal.signal(signal.SIGTERM, interrupted)
    copy = tree_copy()
    report: dict = {"seed": args.seed, "quick": args.quick, "threshold": threshold}
    try:
        report["modules"] = {
            path: module_mutate(
                copy=copy,
                path=path,
                sample=samples[path],
                tests=tests_of(copy=copy, target=TARGETS[path]),
                equivalents=equivalents,
                timeout_factor=args.timeout_factor,
            )
            for path in modules
        }
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    for path, result in report["modules"].items():
        result["mutants"] = enumerated[path]
        result["signature_mutants_left_out"] = annotations[path]
    report["stale_equivalents"] = stale
    report["below_threshold"] = [
        path
        for path, result in report["modules"].items()
        if result["score"] < threshold
    ]
    report["wall_seconds"] = round(time.monotonic() - started, 1)
    text = json.dumps(report, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    return 1 if report["below_threshold"] or report["stale_equivalents"] else 0


if __name__ == "__main__":
    sys.exit(main())
