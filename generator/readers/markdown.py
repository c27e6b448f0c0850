"""The Markdown reader: a YAML front-matter block, then a Python-Markdown body.

Raw HTML in the body is shown as text, never passed through, and links may
only point to http(s), mailto or relative addresses: a transcript is not
trusted to put markup or script on the publisher's site.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as etree
from typing import Any

import markdown
import yaml

from ..model import Document, Paragraph, Problem, Severity
from .dateline import DatelineError, parse_dateline
from .decode import ReadError

_FENCE = re.compile(r"^\s*(```|~~~)")
_TAG = re.compile(r"<[^>]*>")
_SAFE_URL = re.compile(r"^(https?:|mailto:|[^:]*$)", re.IGNORECASE)


class _SafeLinks(markdown.treeprocessors.Treeprocessor):
    """Drop link and image addresses with a scheme other than http(s) or mailto."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not _SAFE_URL.match(value.strip()):
                    element.set(attribute, "#unsafe-link-removed")


class _Untrusted(markdown.extensions.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "safe_links", 0)


def untrusted() -> markdown.extensions.Extension:
    """The extension that keeps raw HTML and script links out of rendered Markdown."""
    return _Untrusted()


_MARKDOWN = markdown.Markdown(extensions=["fenced_code", "tables", untrusted()])


def render_block(source: str) -> str:
    """Render one block of Markdown to HTML with the untrusted-input rules."""
    _MARKDOWN.reset()
    return _MARKDOWN.convert(source)


def plain_text(markup: str) -> str:
    """The text a reader sees in ``markup``: tags dropped, entities decoded."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def _front_matter(source: str, lines: list[str]) -> tuple[dict[str, Any], int]:
    """Parse the ``---`` block; return its mapping and the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        raise ReadError("no front matter: a Markdown transcript starts with a '---' line", 1)
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            break
    else:
        raise ReadError("the front matter is not closed by a '---' line", 1)
    try:
        meta = yaml.safe_load("\n".join(lines[1:index])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or "not valid YAML"
        raise ReadError(f"front matter: {reason}", line) from None
    if not isinstance(meta, dict):
        raise ReadError("front matter: expected 'key: value' lines", 2)
    return meta, index + 1


def _split_body(lines: list[str], first: int) -> list[tuple[int, str]]:
    """Blocks of Markdown separated by blank lines, keeping fenced code whole."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    fenced = False
    for index in range(first, len(lines)):
        line = lines[index]
        if _FENCE.match(line):
            fenced = not fenced
        if line.strip() or fenced:
            if not current:
                start = index + 1
            current.append(line)
        elif current:
            blocks.append((start, "\n".join(current)))
            current = []
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def _date(
    source: str, value: Any, problems: list[Problem]
) -> tuple[dt.date | None, dt.time | None]:
    if isinstance(value, dt.datetime):
        return value.date(), value.time().replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, dt.date):
        return value, None
    if value is not None:
        try:
            parsed = parse_dateline(str(value))
        except DatelineError as exc:
            problems.append(Problem(source, 2, Severity.WARNING, f"front matter: {exc}"))
            return None, None
        if parsed is not None:
            return parsed
        problems.append(
            Problem(source, 2, Severity.WARNING, f"front matter: 'date' {value!r} is not a date")
        )
    else:
        problems.append(Problem(source, 2, Severity.WARNING, "front matter has no 'date'"))
    return None, None


def read_markdown(source: str, text: str) -> Document:
    """Read a ``.md`` transcript with front matter (title, date, source, tags, language)."""
    lines = text.split("\n")
    meta, body_start = _front_matter(source, lines)
    problems: list[Problem] = []
    blocks = _split_body(lines, body_start)
    title = str(meta.get("title") or "").strip()
    if not title:
        raise ReadError("front matter has no 'title'", 2)
    date, time = _date(source, meta.get("date"), problems)
    tags = meta.get("tags") or ()
    if isinstance(tags, str):
        tags = [tags]
    paragraphs: list[Paragraph] = []
    for start, block in blocks:
        markup = render_block(block)
        paragraphs.append(
            Paragraph(n=len(paragraphs) + 1, text=plain_text(markup), line=start, html=markup)
        )
    source_url = meta.get("source")
    language = meta.get("language")
    return Document(
        source=source,
        title=" ".join(title.split()),
        date=date,
        time=time,
        paragraphs=tuple(paragraphs),
        source_url=str(source_url) if source_url else None,
        tags=tuple(str(t) for t in tags),
        language=str(language) if language else None,
        problems=tuple(problems),
    )
