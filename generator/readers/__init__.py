"""Readers turn one input file into one :class:`~generator.model.Document`.

As in Pelican, there is one reader per input format, chosen by the file's
extension; a reader knows nothing of speakers, dates or ids.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..model import Document, Problem, Severity
from .decode import ReadError, decode, replace_controls
from .text import read_text

Reader = Callable[[str, str], Document]


def _read_markdown(source: str, text: str) -> Document:
    """:func:`.markdown.read_markdown`, imported when the first ``.md`` transcript is read:
    Python-Markdown and PyYAML take a tenth of the time a rebuild of plain text takes to start."""
    from .markdown import read_markdown

    return read_markdown(source, text)


READERS: dict[str, Reader] = {".txt": read_text, ".md": _read_markdown}


NOT_TRANSCRIPTS = {"readme.md", "about.md", "readme.txt", "license.txt", "license.md"}


def is_transcript(name: str) -> bool:
    """Whether a file named ``name`` is one some reader takes.

    A seeds folder's README and licence, and ``about.md`` (the site's about
    page), sit beside the transcripts but are not transcripts.
    """
    name = name.lower()
    return os.path.splitext(name)[1] in READERS and name not in NOT_TRANSCRIPTS


def read_file(path: Path, source: str) -> Document | Problem:
    """Read ``path`` with the reader for its extension; a failure comes back as a Problem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Problem(source, None, Severity.ERROR, f"cannot open the file: {exc.strerror}")
    return read_bytes(data, source, READERS[path.suffix.lower()])


def read_bytes(data: bytes, source: str, reader: Reader) -> Document | Problem:
    """Decode ``data`` and read it; the reader's :class:`ReadError` becomes a Problem."""
    try:
        text, control_line = replace_controls(decode(data))
        document = reader(source, text)
    except ReadError as exc:
        return Problem(source, exc.line, Severity.ERROR, exc.message)
    if control_line is not None:
        reason = "control characters replaced by \ufffd (they cannot be shown in HTML)"
        warning = Problem(source, control_line, Severity.WARNING, reason)
        document = replace(document, problems=(*document.problems, warning))
    return document


__all__ = ["READERS", "ReadError", "is_transcript", "read_bytes", "read_file"]
