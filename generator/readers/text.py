"""The plain-text reader: title, dateline, paragraphs separated by blank lines."""

from __future__ import annotations

from ..model import Document, Paragraph, Problem, Severity
from .dateline import DatelineError, parse_dateline
from .decode import ReadError

Block = list[tuple[int, str]]  # (1-based line number, line) for consecutive non-blank lines


def split_blocks(lines: list[str], first_line: int = 1) -> list[Block]:
    """Group non-blank lines into blocks; blank lines separate them."""
    blocks: list[Block] = []
    current: Block = []
    for number, line in enumerate(lines, start=first_line):
        if line.strip():
            current.append((number, line.strip()))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def read_text(source: str, text: str) -> Document:
    """Read a ``.txt`` transcript.

    The first non-blank line is the title. The next non-blank line is the
    dateline if it parses as one. The lines of each remaining block join into
    one paragraph, so hard-wrapped text reads as it was meant.
    """
    blocks = split_blocks(text.split("\n"))
    if not blocks:
        raise ReadError("the file is empty")
    problems: list[Problem] = []
    title_line, title = blocks[0][0]
    rest = [b for b in ([blocks[0][1:], *blocks[1:]]) if b]

    date = time = None
    if rest:
        line_number, candidate = rest[0][0]
        try:
            parsed = parse_dateline(candidate)
        except DatelineError as exc:
            problems.append(Problem(source, line_number, Severity.WARNING, str(exc)))
            parsed = None
        if parsed is not None:
            date, time = parsed
            rest[0] = rest[0][1:]
        rest = [b for b in rest if b]
    if date is None and not problems:  # an impossible dateline was reported already
        problems.append(
            Problem(
                source,
                title_line,
                Severity.WARNING,
                "no dateline after the title (expected e.g. '21 November 2020, 16:00')",
            )
        )
    paragraphs = tuple(
        Paragraph(n=n, text=" ".join(line for _, line in block), line=block[0][0])
        for n, block in enumerate(rest, start=1)
    )
    return Document(
        source=source,
        title=title,
        date=date,
        time=time,
        paragraphs=paragraphs,
        title_line=title_line,
        problems=tuple(problems),
    )
