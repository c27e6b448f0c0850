"""Full-text search with Pagefind, one result per paragraph, in parts a rebuild can keep.

Pagefind indexes pages, so each paragraph is written, for the indexer only,
as a tiny page of its own in a folder beside the new site: its text, its
permalink as metadata, and the speaker and year as filters. Pagefind's
binary (from PyPI, ``pagefind[bin]``) indexes those pages; the tiny pages are
then removed, so a result opens the paragraph's permalink and nothing else is
published. Pagefind's filter files are put in a fixed order
(``pagefind_order``), so the same site gives the same bytes.

The index comes in parts (:func:`search_parts`): a year's documents, or a run
of them where a year has more than :data:`PART_SIZE` paragraphs, each a
Pagefind bundle of its own under ``pagefind/<part>/``, which the search page
merges in the browser (Pagefind's ``mergeIndex``). Pagefind holds the whole
of what it indexes in memory, 2.5 GB for the 60,000 paragraphs of 3,000
transcripts, and cannot index a part of what it indexed before: as one index,
every correction took the whole archive's indexing again (35 s at 3,000
transcripts), and 30,000 would not fit in 24 GB. A rebuild indexes again
only the parts whose documents changed (see :func:`part_key`).
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from .children import die_with_parent
from .model import DocumentPage, Site
from .pagefind_order import IndexFormatError, sort_filters

PART_SIZE = 20_000
"""The most paragraphs in a part of the index, unless one document has more: about 0.8 GB
of Pagefind's memory."""

FOLDER = "pagefind"
"""Where the parts of the index go in the site: ``pagefind/<part>/``."""


class SearchIndexError(Exception):
    """Pagefind failed; the message holds what it said."""


@dataclass(frozen=True)
class Part:
    """A part of the search index: its name (``2020``, ``2020-2``, ``undated``) and pages."""

    name: str
    pages: tuple[DocumentPage, ...]


def search_parts(site: Site) -> list[Part]:
    """The parts of the index, newest first: one a year, the undated last.

    A year of more than :data:`PART_SIZE` paragraphs is cut into runs of
    documents in site order, named ``<year>``, ``<year>-2`` and on, so that a
    document added to one year changes the parts of that year alone.
    """
    years: dict[str, list[DocumentPage]] = {}
    for page in site.pages:  # newest first
        date = page.document.date
        years.setdefault(str(date.year) if date else "undated", []).append(page)
    parts = []
    for year, pages in years.items():
        runs: list[list[DocumentPage]] = [[]]
        size = 0
        for page in pages:
            count = len(page.document.paragraphs)
            if runs[-1] and size + count > PART_SIZE:
                runs.append([])
                size = 0
            runs[-1].append(page)
            size += count
        for number, run in enumerate(runs, start=1):
            parts.append(Part(year if number == 1 else f"{year}-{number}", tuple(run)))
    return parts


def part_key(
    part: Part, digests: Mapping[str, str], versions: Mapping[str, str], common: str
) -> str:
    """The digest of what a part's index is made from: for each document, its place, the
    hash of what it was read from (``digests``) and of its rows in the ledger, which give
    the paragraphs' ids (``versions``); ``common`` holds Podium's code and the config; and
    Pagefind's version. Equal keys, equal bytes."""
    lines = [common, part.name, _pagefind_version()]
    for page in part.pages:
        source = page.document.source
        lines.append(f"{source}\0{page.path}\0{digests.get(source)}\0{versions.get(source)}")
    return hashlib.blake2b("\n".join(lines).encode(), digest_size=16).hexdigest()


@functools.cache  # asked once a part: 46 parts at 30,000 transcripts
def _pagefind_version() -> str:
    import importlib.metadata  # here, not above: 10 ms of every build, which mostly has no search

    found = []
    for package in ("pagefind", "pagefind-bin", "pagefind-bin-extended"):
        try:
            found.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def _page(title: str, permalink: str, text: str, speaker: str | None, year: str | None) -> str:
    head = [
        f'<meta data-pagefind-meta="title[content]" content="{escape(title)}">',
        f'<meta data-pagefind-meta="permalink[content]" content="{escape(permalink)}">',
    ]
    if speaker:
        head.append(f'<meta data-pagefind-meta="speaker[content]" content="{escape(speaker)}">')
        head.append(f'<meta data-pagefind-filter="speaker[content]" content="{escape(speaker)}">')
    if year:
        head.append(f'<meta data-pagefind-filter="year[content]" content="{year}">')
    return (
        "<!DOCTYPE html><html><head><meta charset=utf-8>"
        + "".join(head)
        + f"</head><body><main data-pagefind-body><p>{escape(text)}</p></main></body></html>"
    )


def _write_pages(pages: Sequence[DocumentPage], folder: Path) -> None:
    """The tiny page of each paragraph of ``pages``, under ``folder``."""
    for page in pages:
        document = page.document
        year = str(document.date.year) if document.date else None
        target = folder / page.path
        target.mkdir(parents=True, exist_ok=True)
        for paragraph in document.paragraphs:
            turn = document.turns[paragraph.turn] if paragraph.turn is not None else None
            speaker = turn.speaker if turn is not None and not turn.anonymous else None
            html = _page(
                f"{document.title}, ¶ {paragraph.n}",
                f"{page.path}index.html#p-{paragraph.id}",
                paragraph.text,
                speaker,
                year,
            )
            (target / f"{paragraph.id}.html").write_text(html, encoding="utf-8")


def _index_part(part: Part, pages: Path, bundle: Path, language: str) -> None:
    """Index ``part`` into the Pagefind bundle ``bundle``, through tiny pages under ``pages``."""
    try:
        _write_pages(part.pages, pages)
        command = [
            sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(bundle),
            "--force-language", language.split("-")[0].lower(), "--silent",
        ]  # fmt: skip
        run = subprocess.run(
            command, capture_output=True, text=True, check=False, preexec_fn=die_with_parent
        )
        if run.returncode != 0:
            raise SearchIndexError((run.stderr or run.stdout).strip() or "pagefind failed")
        sort_filters(bundle)
    except IndexFormatError as exc:
        raise SearchIndexError(f"Pagefind's index is not as expected: {exc}") from exc
    finally:
        shutil.rmtree(pages, ignore_errors=True)


def write_search_index(
    parts: Sequence[Part], out: Path, scratch: Path, language: str = "en", jobs: int = 1
) -> None:
    """Index each of ``parts`` into ``out/pagefind/<part>/``, ``jobs`` at a time, writing the
    tiny pages under ``scratch``, which is removed after."""
    try:
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            bundles = out / FOLDER
            running = [
                pool.submit(_index_part, part, scratch / part.name, bundles / part.name, language)
                for part in parts
            ]
            for done in running:
                done.result()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
