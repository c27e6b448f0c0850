"""The pipeline from ``seeds/`` to ``site/``, read top to bottom.

read -> attribute -> date -> anchor -> link -> render -> write. Each stage is a module
with plain data in and out; this module only runs them in order and gathers
the problems they report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import ledger
from .about import pygments_css, read_about
from .anchor import anchor
from .attribute import attribute
from .config import load_config
from .date import date_document
from .link import link
from .model import Document, Problem, Severity
from .opendata import open_data
from .people import Registry, load_registry
from .publish import host_files
from .readers import is_transcript, read_file
from .render import TEMPLATES, render, static_files
from .search import write_search_index
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


Progress = Callable[[str, int, int], None]


def _silent(stage: str, done: int, total: int) -> None:
    pass


def read_seeds(seeds: Path, progress: Progress = _silent) -> tuple[list[Document], list[Problem]]:
    """Read and process every transcript; unreadable files become problems."""
    registry, problems = load_registry(seeds / "people.toml")
    documents: list[Document] = []
    sources = find_sources(seeds)
    for done, path in enumerate(sources, start=1):
        progress("reading", done, len(sources))
        result = read_file(path, path.relative_to(seeds).as_posix())
        if isinstance(result, Problem):
            problems.append(result)
            continue
        problems.extend(result.problems)
        documents.append(process(result, registry))
    return documents, problems


def _listed(path: str) -> bool:
    """Whether a page belongs in the sitemap: pages people read, not redirects or tools."""
    return (
        path.endswith("index.html")
        and not path.startswith(("p/", "search/"))
        and ("/cite/" not in path)
    )


class LedgerChanged(Exception):
    """``--frozen`` was given and the seeds would change the anchor ledger."""


def build(
    seeds: Path,
    out: Path,
    templates: Path = TEMPLATES,
    base_url: str | None = None,
    frozen: bool = False,
    ledger_path: Path | None = None,
    search: bool = True,
    progress: Progress = _silent,
) -> BuildResult:
    """Build the site from ``seeds`` into ``out``, and bring the anchor ledger up to date.

    The ledger is ``seeds/anchors.json`` unless ``ledger_path`` says otherwise
    (for seeds on a read-only share). ``search=False`` skips the Pagefind index.
    """
    started = time.perf_counter()
    config, problems = load_config(seeds.parent / "site.toml", base_url)
    ledger_path = ledger_path or seeds / LEDGER
    old_ledger, ledger_problems = ledger.load(ledger_path)
    problems += ledger_problems
    documents, read_problems = read_seeds(seeds, progress)
    problems += read_problems
    documents, new_ledger = anchor(documents, old_ledger, ledger.revision_date())
    site = link(documents, new_ledger)
    changed = ledger.dumps(site.ledger) != ledger.dumps(old_ledger)
    if frozen and changed:
        raise LedgerChanged(f"{ledger_path} would change; rebuild without --frozen and review it")
    files: dict[str, str | bytes] = {}
    files.update(render(site, config, templates=templates, about=read_about(seeds, problems)))
    files.update(open_data(site, config))
    files.update(static_files(templates))
    files["static/pygments.css"] = pygments_css()
    files.update(host_files(config, site, [p for p in files if _listed(p)]))
    indexer = (lambda folder: write_search_index(site, folder, config.language)) if search else None
    write_site(out, files, before_swap=indexer)
    if changed and not ledger_problems:
        try:
            ledger.save(ledger_path, site.ledger)
        except OSError as exc:
            problems.append(Problem(str(ledger_path), None, Severity.ERROR,
                                    f"cannot write the anchor ledger: {exc.strerror}"))  # fmt: skip
    return BuildResult(documents, problems, time.perf_counter() - started)
