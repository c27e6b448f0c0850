"""The render stage: the site model to HTML, with Jinja2 templates from ``templates/``.

Autoescape is on for every template: nothing a transcript says becomes markup,
except the HTML that the Markdown reader made under its untrusted-input rules.
All links are relative (``root`` leads back to the site's top), so the site
works at a domain root, under a project path and from disk.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

from .model import Document, DocumentPage, Site

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def format_date(date: dt.date | None, time: dt.time | None = None) -> str:
    """ "21 November 2020, 16:00": the dateline as a reader writes it."""
    if date is None:
        return "Undated"
    text = f"{date.day} {date:%B} {date.year}"
    return text if time is None else f"{text}, {time:%H:%M}"


def machine_date(date: dt.date | None, time: dt.time | None = None) -> str:
    """The ``datetime`` attribute of a ``<time>`` element."""
    if date is None:
        return ""
    return date.isoformat() if time is None else f"{date.isoformat()}T{time:%H:%M}"


def speakers(document: Document) -> list[str]:
    """The distinct speakers of a document in order of first appearance."""
    names: list[str] = []
    for turn in document.turns:
        name = turn.speaker or turn.label
        if name not in names:
            names.append(name)
    return names


def turn_groups(document: Document) -> list[tuple[int | None, list[object]]]:
    """Consecutive paragraphs of one turn, as (turn index, paragraphs)."""
    groups: list[tuple[int | None, list[object]]] = []
    for paragraph in document.paragraphs:
        if not groups or groups[-1][0] != paragraph.turn:
            groups.append((paragraph.turn, []))
        groups[-1][1].append(paragraph)
    return groups


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """A Jinja2 environment with autoescape on and Podium's filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["date_text"] = format_date
    env.filters["date_machine"] = machine_date
    env.globals["speakers"] = speakers
    env.globals["turn_groups"] = turn_groups
    return env


def _root(path: str) -> str:
    """The relative prefix from a page at ``path`` (a folder ending in /) to the top."""
    return "../" * path.count("/")


def render(site: Site, site_title: str = "Podium", templates: Path = TEMPLATES) -> dict[str, str]:
    """Every HTML page of the site, keyed by its path in the output folder."""
    env = environment(templates)
    common = {"site_title": site_title}
    pages: dict[str, str] = {
        "index.html": env.get_template("home.html").render(root="", pages=site.pages, **common)
    }
    template = env.get_template("document.html")
    for page in site.pages:
        pages[page.path + "index.html"] = _render_document(template, page, common)
    return pages


def _render_document(template: jinja2.Template, page: DocumentPage, common: dict[str, str]) -> str:
    return template.render(root=_root(page.path), page=page, doc=page.document, **common)


def static_files(templates: Path = TEMPLATES) -> dict[str, bytes]:
    """The CSS and scripts under ``templates/static``, keyed by their output path."""
    folder = templates / "static"
    return {
        f"static/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
