"""What the user reads at the end of a build: each problem, grouped, and a one-line summary."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import TextIO

from .build import BuildResult
from .model import Problem, Severity


def _kind(problem: Problem) -> str:
    """The problem without its particulars: quoted text and numbers folded away."""
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "…", problem.message)


def report(result: BuildResult, out: TextIO) -> None:
    """Every problem on its own line, then a summary grouped by kind."""
    for problem in result.problems:
        print(problem, file=out)
    if not result.problems:
        return
    groups: dict[tuple[Severity, str], list[Problem]] = defaultdict(list)
    for problem in result.problems:
        groups[(problem.severity, _kind(problem))].append(problem)
    print("Summary of problems:", file=out)
    for (severity, kind), problems in sorted(groups.items(), key=lambda g: (g[0][0], -len(g[1]))):
        files = sorted({p.path for p in problems})
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        print(
            f"  {len(problems)} {severity.value}{'s' if len(problems) > 1 else ''}: {kind} "
            f"({shown})",
            file=out,
        )


def summary_line(result: BuildResult, output: Path) -> str:
    errors, warnings = result.count(Severity.ERROR), result.count(Severity.WARNING)
    return (
        f"{result.document_count} documents, {result.paragraphs} paragraphs, "
        f"{warnings} warnings, {errors} errors, {result.seconds:.2f} s -> {output}"
        + (" (nothing changed since the last build)" if result.unchanged else "")
    )
