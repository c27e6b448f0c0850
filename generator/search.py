"""Full-text search with Pagefind, one result per paragraph.

Pagefind indexes pages, so each paragraph is written, for the indexer only,
as a tiny page of its own under ``_search/`` in the temporary site folder:
its text, its permalink as metadata, and the speaker and year as filters.
Pagefind's binary (from PyPI, ``pagefind[bin]``) indexes those pages into
``pagefind/``; the tiny pages are removed before the site is swapped in, so a
result opens the paragraph's permalink and nothing else is published.
Pagefind's filter files are then put in a fixed order (``pagefind_order``), so
the same site gives the same bytes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from markupsafe import escape

from .children import die_with_parent
from .model import Site
from .pagefind_order import IndexFormatError, sort_filters

_FOLDER = "_search"


class SearchIndexError(Exception):
    """Pagefind failed; the message holds what it said."""


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


def write_search_index(site: Site, out: Path, language: str = "en") -> None:
    """Index every paragraph of ``site`` into ``out/pagefind``."""
    folder = out / _FOLDER
    try:
        for page in site.pages:
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
        command = [
            sys.executable, "-m", "pagefind", "--site", str(out), "--glob", f"{_FOLDER}/**/*.html",
            "--output-subdir", "pagefind", "--force-language", language.split("-")[0].lower(),
            "--silent",
        ]  # fmt: skip
        run = subprocess.run(
            command, capture_output=True, text=True, check=False, preexec_fn=die_with_parent
        )
        if run.returncode != 0:
            raise SearchIndexError((run.stderr or run.stdout).strip() or "pagefind failed")
        sort_filters(out / "pagefind")
    except IndexFormatError as exc:
        raise SearchIndexError(f"Pagefind's index is not as expected: {exc}") from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)
