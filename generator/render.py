"""The render stage: the site model to HTML, with Jinja2 templates from ``templates/``.

Autoescape is on for every template: nothing a transcript says becomes markup,
except the HTML that the Markdown reader made under its untrusted-input rules.
All links are relative (``root`` leads back to the site's top), so the site
works at a domain root, under a project path and from disk.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .config import Config
from .document_page import absolute, render_document
from .inline import paragraph_html
from .model import Document, DocumentPage, Event, Site, Speaker
from .permalinks import redirects, retired_notes, shortlink_shards

SPEAKER_PAGE_SIZE = 50  # documents per page of a speaker's page
HOME_PAGE_SIZE = 50  # documents per page of the home page

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
    """The distinct speakers of a document in order of first appearance (no questioners)."""
    names: list[str] = []
    for turn in document.turns:
        name = turn.speaker or turn.label
        if name not in names and not turn.anonymous:
            names.append(name)
    return names


def speaker_links(page: DocumentPage, names: dict[str, str]) -> list[tuple[str, str | None]]:
    """(name, speaker page path or None) for each speaker of the page, canonical names first."""
    listed: list[tuple[str, str | None]] = []
    for turn, path in zip(page.document.turns, page.speaker_paths, strict=False):
        if turn.anonymous:
            continue
        entry = (names[path], path) if path else (turn.label, None)
        if entry not in listed:
            listed.append(entry)
    return listed


def turn_groups(document: Document) -> list[tuple[int | None, list[object]]]:
    """Consecutive paragraphs of one turn, as (turn index, paragraphs)."""
    groups: list[tuple[int | None, list[object]]] = []
    for paragraph in document.paragraphs:
        if not groups or groups[-1][0] != paragraph.turn:
            groups.append((paragraph.turn, []))
        groups[-1][1].append(paragraph)
    return groups


def is_web_url(value: object) -> bool:
    """Whether a transcript's URL may be a link: http(s) only, never ``javascript:``."""
    return isinstance(value, str) and bool(re.match(r"https?://[^\s<>\"']+$", value))


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
    env.tests["web_url"] = is_web_url
    env.filters["date_text"] = format_date
    env.filters["date_machine"] = machine_date
    env.globals["speakers"] = speakers
    env.globals["turn_groups"] = turn_groups
    env.globals["paragraph_html"] = paragraph_html
    return env


def _root(path: str) -> str:
    """The relative prefix from a page at ``path`` (a folder ending in /) to the top."""
    return "../" * path.count("/")


def render(
    site: Site, config: Config, templates: Path = TEMPLATES, about: str | None = None
) -> dict[str, str]:
    """Every page of the site, keyed by its path in the output folder.

    ``about`` is the HTML of the about page, made from ``seeds/about.md``.
    """
    env = environment(templates)
    names = {speaker.path: speaker.name for speaker in site.speakers}
    env.globals["speaker_links"] = lambda page: speaker_links(page, names)
    env.globals["has_about"] = about is not None
    common = {"site_title": config.title, "config": config}
    pages = _render_listings(env, site, common)
    pages["search/index.html"] = env.get_template("search.html").render(
        root="../",
        speakers=site.speakers,
        years=sorted({p.document.date.year for p in site.pages if p.document.date}, reverse=True),
        **common,
    )
    pages["404.html"] = env.get_template("404.html").render(root=config.base_url or "/", **common)
    if about is not None:
        pages["about/index.html"] = env.get_template("about.html").render(
            root="../", about=Markup(about), **common
        )
    events_of: dict[str, list[Event]] = {}
    for event in site.events:
        if event.paragraph is not None:
            events_of.setdefault(event.page.path, []).append(event)
    notes = retired_notes(site)
    for page in site.pages:
        pages.update(
            render_document(
                env,
                page,
                events_of.get(page.path, []),
                notes.get(page.path, {}),
                speaker_links(page, names),
                config,
                _root(page.path),
            )
        )
    pages["speakers/index.html"] = env.get_template("speakers.html").render(
        root=_root("speakers/"), speakers=site.speakers, **common
    )
    for speaker in site.speakers:
        pages.update(_render_speaker(env.get_template("speaker.html"), speaker, common))
    pages.update(_render_timeline(env, site.events, common))
    pages.update(_render_permalinks(env, site, common))
    return pages


def _render_listings(env: jinja2.Environment, site: Site, common: dict[str, Any]) -> dict[str, str]:
    """The home page, ``HOME_PAGE_SIZE`` documents a page, and one archive page a year."""
    years = sorted({p.document.date.year for p in site.pages if p.document.date}, reverse=True)
    out = _paginated(env.get_template("home.html"), "", site.pages, HOME_PAGE_SIZE,
                     "pages", {"years": years, **common})  # fmt: skip
    by_year: dict[int, list[DocumentPage]] = {}
    for page in site.pages:
        if page.document.date:
            by_year.setdefault(page.document.date.year, []).append(page)
    for year, listed in by_year.items():
        out[f"{year}/index.html"] = env.get_template("year.html").render(
            root="../", year=year, pages=listed, years=years, **common
        )
    return out


def _render_permalinks(
    env: jinja2.Environment, site: Site, common: dict[str, Any]
) -> dict[str, str]:
    """The short-link page and its map, and redirect pages at documents' old paths."""
    current = {page.document.source: page.path for page in site.pages}
    out = dict(shortlink_shards(site.ledger, current))
    out["p/index.html"] = env.get_template("shortlink.html").render(root="../", **common)
    template = env.get_template("redirect.html")
    for old, new in redirects(site).items():
        root = _root(old)
        out[f"{old}index.html"] = template.render(
            root=root,
            target=f"{root}{new}index.html",
            canonical=absolute(common["config"], new),
            **common,
        )
    return out


def _render_timeline(
    env: jinja2.Environment, events: tuple[Event, ...], common: dict[str, Any]
) -> dict[str, str]:
    """``timeline/`` (the years) and one page a year, its events grouped by month."""
    by_year: dict[int, list[Event]] = {}
    for event in events:
        by_year.setdefault(event.year, []).append(event)
    years = sorted(by_year)
    out = {
        "timeline/index.html": env.get_template("timeline.html").render(
            root=_root("timeline/"), years=[(y, len(by_year[y])) for y in years], **common
        )
    }
    template = env.get_template("timeline_year.html")
    for index, year in enumerate(years):
        groups: dict[str, list[Event]] = {}
        for event in by_year[year]:
            groups.setdefault(_group(event), []).append(event)
        out[f"timeline/{year}/index.html"] = template.render(
            root=_root(f"timeline/{year}/"),
            year=year,
            groups=list(groups.items()),
            previous_year=years[index - 1] if index > 0 else None,
            next_year=years[index + 1] if index + 1 < len(years) else None,
            **common,
        )
    return out


def _group(event: Event) -> str:
    """The heading an event goes under on its year's page: the month, or the whole year."""
    if event.first.month == event.last.month and event.first.year == event.last.year:
        return f"{event.first:%B} {event.first.year}"
    if event.first.year == event.last.year:
        return (
            f"{event.first.year}"
            if (event.first.month, event.last.month) == (1, 12)
            else (f"{event.first:%B} – {event.last:%B} {event.first.year}")
        )
    return f"{event.first.year} – {event.last.year}"


def _render_speaker(
    template: jinja2.Template, speaker: Speaker, common: dict[str, Any]
) -> dict[str, str]:
    """A speaker's pages: what they said, ``SPEAKER_PAGE_SIZE`` documents a page."""
    return _paginated(template, speaker.path, speaker.said, SPEAKER_PAGE_SIZE, "said",
                      {"speaker": speaker, **common})  # fmt: skip


def _paginated(
    template: jinja2.Template,
    path: str,
    items: Sequence[object],
    size: int,
    name: str,
    context: dict[str, Any],
) -> dict[str, str]:
    """``items`` over pages of ``size``: ``path``, then ``path/page/2/`` and on, linked in order."""
    chunks = [items[i : i + size] for i in range(0, max(len(items), 1), size)]
    paths = [path, *(f"{path}page/{n}/" for n in range(2, len(chunks) + 1))]
    out = {}
    for number, (here, chunk) in enumerate(zip(paths, chunks, strict=True), start=1):
        root = _root(here)
        out[f"{here}index.html"] = template.render(
            root=root,
            page_number=number,
            page_count=len(chunks),
            previous_page=f"{root}{paths[number - 2]}index.html" if number > 1 else None,
            next_page=f"{root}{paths[number]}index.html" if number < len(chunks) else None,
            **{name: chunk},
            **context,
        )
    return out


def static_files(templates: Path = TEMPLATES) -> dict[str, bytes]:
    """The CSS and scripts under ``templates/static``, keyed by their output path."""
    folder = templates / "static"
    return {
        f"static/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
