"""The pipeline from ``seeds/`` to ``site/``, read top to bottom.

read -> attribute -> date -> anchor -> link -> render -> write. Each stage is a module
with plain data in and out; this module only runs them in order and gathers
the problems they report.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import ledger
from .anchor import anchor
from .attribute import attribute
from .config import load_config
from .date import date_document
from .link import link
from .model import Document, Problem, Severity
from .opendata import timeline_json
from .people import Registry, load_registry
from .readers import is_transcript, read_file
from .render import TEMPLATES, render, static_files
from .write import write_site

LEDGER = "anchors.json"


@dataclass
class BuildResult:
    """What a build did, for the summary line and the exit code."""

    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def paragraphs(self) -> int:
        return sum(len(d.paragraphs) for d in self.documents)

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity is severity)


def find_sources(seeds: Path) -> list[Path]:
    """The transcript files under ``seeds``, in a fixed order."""
    return sorted(
        (p for p in seeds.rglob("*") if p.is_file() and is_transcript(p)),
        key=lambda p: p.relative_to(seeds).as_posix(),
    )


def process(document: Document, registry: Registry | None = None) -> Document:
    """The stages that need one document only: attribute, then date."""
    return date_document(attribute(document, registry))


def read_seeds(seeds: Path) -> tuple[list[Document], list[Problem]]:
    """Read and process every transcript; unreadable files become problems."""
    registry, problems = load_registry(seeds / "people.toml")
    documents: list[Document] = []
    for path in find_sources(seeds):
        result = read_file(path, path.relative_to(seeds).as_posix())
        if isinstance(result, Problem):
            problems.append(result)
            continue
        problems.extend(result.problems)
        documents.append(process(result, registry))
    return documents, problems


class LedgerChanged(Exception):
    """``--frozen`` was given and the seeds would change the anchor ledger."""


def build(
    seeds: Path,
    out: Path,
    templates: Path = TEMPLATES,
    base_url: str | None = None,
    frozen: bool = False,
    ledger_path: Path | None = None,
) -> BuildResult:
    """Build the site from ``seeds`` into ``out``, and bring the anchor ledger up to date.

    The ledger is ``seeds/anchors.json`` unless ``ledger_path`` says otherwise
    (for seeds on a read-only share).
    """
    started = time.perf_counter()
    config, problems = load_config(seeds.parent / "site.toml", base_url)
    ledger_path = ledger_path or seeds / LEDGER
    old_ledger, ledger_problems = ledger.load(ledger_path)
    problems += ledger_problems
    documents, read_problems = read_seeds(seeds)
    problems += read_problems
    documents, new_ledger = anchor(documents, old_ledger, ledger.revision_date())
    site = link(documents, new_ledger)
    changed = ledger.dumps(site.ledger) != ledger.dumps(old_ledger)
    if frozen and changed:
        raise LedgerChanged(f"{ledger_path} would change; rebuild without --frozen and review it")
    files: dict[str, str | bytes] = {}
    files.update(render(site, config, templates=templates))
    files["data/timeline.json"] = timeline_json(site, config.title)
    files.update(static_files(templates))
    write_site(out, files)
    if changed and not ledger_problems:
        try:
            ledger.save(ledger_path, site.ledger)
        except OSError as exc:
            problems.append(Problem(str(ledger_path), None, Severity.ERROR,
                                    f"cannot write the anchor ledger: {exc.strerror}"))  # fmt: skip
    return BuildResult(documents, problems, time.perf_counter() - started)
