"""The render stage: the site model to HTML, with Jinja2 templates from ``templates/``.

Autoescape is on for every template: nothing a transcript says becomes markup,
except the HTML that the Markdown reader made under its untrusted-input rules.
All links are relative (``root`` leads back to the site's top), so the site
works at a domain root, under a project path and from disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import views
from .config import Config
from .document_page import absolute, render_document
from .model import Document, DocumentPage, Event, Row, Site, Speaker, Utterances
from .permalinks import Shard, ShardsMade, redirects, retired_notes, shortlink_shards
from .publish import FEED_SIZE, speaker_feed
from .search import search_parts
from .timeline import Pages, placed

SPEAKER_PAGE_SIZE = 50  # documents a page of what a speaker said
MENTIONS_PAGE_SIZE = 100  # documents a page of those that mention a speaker
LIST_PAGE_SIZE = 50  # documents a page of the home page and the year archives
SPEAKERS_PAGE_SIZE = 200  # speakers a page of the speaker index
TIMELINE_PAGE_SIZE = 300  # events a page of a year of the timeline

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


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja2's cache of compiled templates in a folder, where failing to keep one is no error:
    the template is compiled again next time (the folder may have been removed meanwhile,
    by the user or by a build of another version of Podium)."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def environment(templates: Path = TEMPLATES, compiled: Path | None = None) -> jinja2.Environment:
    """A Jinja2 environment with autoescape on and Podium's filters.

    ``compiled`` is a folder where templates are kept compiled from one build to
    the next (see :func:`~generator.cache.compiled_templates`): compiling them took
    15 ms of every build, and as much in each worker that renders pages.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=None if compiled is None else _CompiledTemplates(str(compiled)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.tests["web_url"] = is_web_url
    env.filters["date_text"] = format_date
    env.filters["date_machine"] = machine_date
    env.globals["turn_groups"] = turn_groups
    return env


def _root(path: str) -> str:
    """The relative prefix from a page at ``path`` (a folder ending in /) to the top."""
    return "../" * path.count("/")


def page_environment(
    templates: Path, names: dict[str, str], has_about: bool, compiled: Path | None = None
) -> jinja2.Environment:
    """The environment of the site's pages: ``names`` holds each speaker page's name."""
    env = environment(templates, compiled)
    env.globals["speaker_links"] = lambda page: speaker_links(page, names)
    env.globals["has_about"] = has_about
    return env


@dataclass(frozen=True)
class Output:
    """A file of the site, made only when asked: its content may already be on disk.

    ``key`` is the digest of everything the file is made from (the views its
    template reads), or None where that is not tracked; a file whose key is
    that of the last build is that build's file, as long as the templates and
    Podium's code are the same.
    """

    path: str
    key: str | None
    make: Callable[[], str | bytes]


def _made(path: str, content: str | bytes) -> Output:
    return Output(path, None, lambda: content)


def _common(config: Config) -> dict[str, Any]:
    """What every template of the site's own pages reads besides its views."""
    return {"site_title": config.title, "config": config}


def _noted(outputs: Iterable[Output], keys: list[str | None]) -> Iterator[Output]:
    """``outputs`` as they come, each one's key appended to ``keys``: what the next build is
    given to keep their pages by."""
    for output in outputs:
        keys.append(output.key)
        yield output


def render(
    site: Site,
    config: Config,
    env: jinja2.Environment,
    about: str | None = None,
) -> Iterator[Output]:
    """Every page of the site but the transcripts, the listings and the timeline, one
    :class:`Output` at a time.

    ``env`` is the :class:`DocumentRenderer`'s, so that a build compiles each
    template once. ``about`` is the HTML of the about page, made from
    ``seeds/about.md``. The transcripts are rendered one by one from
    :meth:`DocumentRenderer.parcel`, so they can be spread over processes and
    skipped when unchanged. Pages come one at a time, so the whole site is
    never held in memory. The speakers' own pages come from :func:`render_speakers`.
    """
    common = _common(config)
    yield _made(
        "search/index.html",
        env.get_template("search.html").render(
            root="../",
            speakers=site.speakers,
            parts=[part.name for part in search_parts(site)],
            years=sorted(
                {p.document.date.year for p in site.pages if p.document.date}, reverse=True
            ),
            **common,
        ),
    )
    not_found = env.get_template("404.html").render(root=config.base_url or "/", **common)
    yield _made("404.html", not_found)
    if about is not None:
        yield _made(
            "about/index.html",
            env.get_template("about.html").render(root="../", about=Markup(about), **common),
        )
    yield from _paginated(env.get_template("speakers.html"), "speakers/",
                          {"speakers": (site.speakers, SPEAKERS_PAGE_SIZE, views.speaker)},
                          common)  # fmt: skip


SpeakersMade = tuple[
    str, dict[str, tuple[str, tuple[tuple[str, ...], ...], list[str | None], str | None]]
]
"""What the speakers' pages were made from: the key of which speaker every label leads to, and
by each speaker's path, their name, the documents they speak in and those they are mentioned
in (by source, in order), and the keys of their pages and of their feed."""


def render_speakers(
    site: Site,
    config: Config,
    env: jinja2.Environment,
    made_from: Mapping[str, str] | None = None,
    last: SpeakersMade | None = None,
    changed: Collection[str] = (),
) -> tuple[Iterator[Output], SpeakersMade]:
    """Every speaker's pages (see :func:`_render_speaker`) and feed, one :class:`Output` at a
    time; and what they were made from, filled in as they come. ``made_from``, if given, names what
    each document (by source) is made from, its text and its ledger rows, for the pages' keys.

    Given what the last build made (``last``) and the documents that changed
    since (their text, rows or path), a speaker's pages keep their keys without
    making their views again (0.3 s at 30,000 transcripts) if every label in
    every transcript leads to the speaker it led to, and the speaker has the
    same name and path and speaks and is mentioned in the very same documents,
    none of which changed: then what they said, where, and in which roles is
    the same, and so are the mentions, which are found by the speakers' labels.
    """
    labels = _labels(site.pages)
    known = last[1] if last is not None and last[0] == labels else {}
    changed = set(changed)
    made: dict[str, tuple[str, tuple[tuple[str, ...], ...], list[str | None], str | None]] = {}
    common = _common(config)
    template = env.get_template("speaker.html")

    def outputs() -> Iterator[Output]:
        for speaker in site.speakers:
            sources = (tuple(said.page.document.source for said in speaker.said),
                       tuple(page.document.source for page in speaker.mentioned_in))  # fmt: skip
            entry = known.get(speaker.path)
            kept: tuple[list[str | None] | None, str | None] = (None, None)
            if entry is not None and entry[:2] == (speaker.name, sources):
                kept = entry[2:] if changed.isdisjoint(chain(*sources)) else kept
            keys: list[str | None] = []
            pages = _render_speaker(template, speaker, common, made_from, kept[0])
            yield from _noted(pages, keys)
            feed = _speaker_feed(config, speaker, made_from, kept[1])
            yield feed
            made[speaker.path] = (speaker.name, sources, keys, feed.key)

    return outputs(), (labels, made)


def _speaker_feed(
    config: Config, speaker: Speaker, made_from: Mapping[str, str] | None, known: str | None
) -> Output:
    """A speaker's Atom feed. Its key, given ``made_from`` (see :func:`render_speakers`), names
    the documents of its entries by what they are made from, and their paths; ``known`` is
    the key it had, if nothing it is made from has changed since."""
    key = known
    if key is None and made_from is not None:
        entries = [(made_from[said.page.document.source], said.page.path)
                   for said in speaker.said[:FEED_SIZE]]  # fmt: skip
        key = views.key("feed", speaker.name, speaker.path, entries)
    return Output(f"{speaker.path}feed.xml", key, functools.partial(speaker_feed, config, speaker))


def _labels(pages: Sequence[DocumentPage]) -> str:
    """The key of which speaker's page each speaker label of every transcript leads to."""
    pairs: set[tuple[str, str]] = set()
    for page in pages:
        for turn, path in zip(page.document.turns, page.speaker_paths, strict=False):
            pairs.add((turn.speaker or "", path or ""))
    return views.key(sorted(pairs))


YearsMade = dict[int, tuple[tuple[str, ...], tuple[str | None, ...]]]
"""Each year of the timeline: the documents its events are from, and the keys of its pages."""


def render_timeline(
    pages: Pages,
    config: Config,
    env: jinja2.Environment,
    made_from: Mapping[str, str],
    last: YearsMade | None = None,
    changed: Collection[str] = (),
) -> tuple[Iterator[Output], YearsMade]:
    """The pages of the timeline (see :func:`~generator.timeline.timeline_pages`), one
    :class:`Output` at a time (see :func:`render`); and what each year was made from, filled in
    as they come. ``made_from`` is as for :func:`render_speakers`: the pages are keyed by
    :func:`_named_events`, and their views made only to render.

    Given what the last build made (``last``) and the documents that changed
    since (their text, rows or path), a year that none of them has or had
    events in has the very events it had, and keeps its pages' keys without
    making their views again (0.8 s at 30,000 transcripts), as long as the
    years are the same.
    """
    made: YearsMade = {}
    common = _common(config)
    kept = _kept_years(pages, last or {}, set(changed))
    return _render_timeline(env, pages, common, made_from, kept, made), made


def _kept_years(pages: Pages, last: YearsMade, changed: set[str]) -> YearsMade:
    """The years of ``last`` whose events no document of ``changed`` has or had, if the years
    are the same."""
    if sorted(last) != sorted(pages):
        return {}
    touched = {year for year, chunks in pages.items() for _, chunk in chunks for event in chunk
               if event.page.document.source in changed}  # fmt: skip
    return {year: (sources, keys) for year, (sources, keys) in last.items()
            if year not in touched and len(keys) == len(pages[year])
            and changed.isdisjoint(sources)}  # fmt: skip


def permalink_files(
    site: Site,
    config: Config,
    env: jinja2.Environment,
    versions: dict[str, str],
    current: dict[str, str],
    last: ShardsMade | None = None,
    changed: Collection[str] = (),
    rows: dict[str, Row] | None = None,
) -> tuple[Iterator[Output], ShardsMade]:
    """The short-link page and its map, and redirect pages at documents' old paths; and what
    each file of the map was made from, filled in as they come.

    They are read off the ledger alone; ``versions`` holds the digest of each
    document's rows in it, ``current`` the path of its page; ``last`` and
    ``changed`` and ``rows`` are as for :func:`~generator.permalinks.shortlink_shards`.
    Redirects are not in the sitemap.
    """
    common = _common(config)
    shards, made = shortlink_shards(site.ledger, current, versions, last, changed, rows)
    return _render_permalinks(env, site, shards, common), made


@dataclass(frozen=True)
class Parcel:
    """Everything a transcript page is made from, as one value that pickles on its own.

    The processes that render transcripts share no memory with the build
    (see :func:`generator.workers.fresh_pool`): each page is pickled to them
    as a parcel.
    """

    page: DocumentPage
    events: list[Event]
    notes: dict[str, list[Row]]
    speakers: list[tuple[str, str | None]]
    places: dict[str, str]  # the timeline page of each of ``events``


def render_parcel(env: jinja2.Environment, config: Config, parcel: Parcel) -> dict[str, str]:
    """The transcript page of ``parcel``, keyed by its path."""
    page = parcel.page
    return render_document(env, page, parcel.events, parcel.notes, parcel.speakers, config,
                           _root(page.path), parcel.places)  # fmt: skip


class DocumentRenderer:
    """What transcript pages need of the site: its lookups made once, then a :class:`Parcel`
    per page, and the environment every page of the build is rendered with."""

    def __init__(
        self,
        site: Site,
        config: Config,
        timeline: Pages,
        templates: Path = TEMPLATES,
        about: str | None = None,
        compiled: Path | None = None,
        rows: dict[str, Row] | None = None,
    ) -> None:
        """``timeline`` is the timeline's pages (see :func:`~generator.timeline.timeline_pages`),
        which :func:`render_timeline` renders; ``compiled`` is as for :func:`environment`;
        ``rows`` is the ledger's rows by id, if the caller has made it already."""
        self.site = site
        self.config = config
        self.names = {speaker.path: speaker.name for speaker in site.speakers}
        self.setup = (templates, self.names, about is not None, compiled)
        """What :func:`page_environment` needs to make this renderer's environment elsewhere."""
        self.env = page_environment(*self.setup)
        self.notes = retired_notes(site, rows)
        self.placed = placed(timeline)

    def inputs(self, page: DocumentPage) -> tuple[object, ...]:
        """What a page is made from beyond its document and the document's rows in the ledger
        (its paragraph ids): the page's links to the rest of the site. Equal inputs, an
        equal document and equal rows give an equal page.

        The page's events are the document's own; of them, only the timeline page
        each is placed on depends on the rest of the site.
        """
        places = tuple(self.placed.get(page.path, ((), ()))[1])
        notes = sorted(self.notes.get(page.path, {}).items())
        return (page.path, page.previous, page.following, page.speaker_paths, page.mentions,
                places, notes, speaker_links(page, self.names))  # fmt: skip

    def parcel(self, page: DocumentPage) -> Parcel:
        """``page`` and its links to the rest of the site (see :class:`Parcel`)."""
        events, paths = self.placed.get(page.path, ([], []))
        places = {e.anchor: path for e, path in zip(events, paths, strict=True)}
        return Parcel(page, events, self.notes.get(page.path, {}), speaker_links(page, self.names),
                      places)  # fmt: skip


ListingsMade = tuple[dict[str, str], list[str | None]]
"""What the listings were made from: each document's entry in them (by source, the key of
its view), and the keys of the listing pages, in order."""


def render_listings(
    site: Site,
    config: Config,
    env: jinja2.Environment,
    last: ListingsMade | None = None,
    changed: Collection[str] = (),
) -> tuple[Iterator[Output], ListingsMade]:
    """The home page and one archive a year, ``LIST_PAGE_SIZE`` documents a page, one
    :class:`Output` at a time (see :func:`render`); and what they were made from, filled in as
    they come.

    Given what the last build made (``last``) and the documents that changed
    since (their text, rows or path), the pages keep their keys without making
    their views again (0.2 s at 30,000 transcripts) if every document is one
    the last build listed, and each that changed is listed as it was: then the
    years, the order and every page's entries are the same.
    """
    entries, same = _entries(site.pages, last or ({}, []), set(changed))
    keys: list[str | None] = []
    listings = _listings(site, env, _common(config))
    known = last[1] if last is not None and same else []
    if len(known) != sum(len(sliced) for _, sliced, _ in listings):
        known = []

    def outputs() -> Iterator[Output]:
        start = 0
        for template, sliced, context in listings:
            given, start = known[start : start + len(sliced)], start + len(sliced)
            yield from _noted(_numbered(template, sliced, context, given), keys)

    return outputs(), (entries, keys)


def _entries(
    pages: Sequence[DocumentPage], last: ListingsMade, changed: set[str]
) -> tuple[dict[str, str], bool]:
    """Each document's entry in the listings (see :data:`ListingsMade`), made again only for
    those of ``changed`` and those ``last`` lacks; and whether all are as in ``last``."""
    entries: dict[str, str] = {}
    same = len(pages) == len(last[0])
    for page in pages:
        source = page.document.source
        known = last[0].get(source)
        if known is None or source in changed:
            entries[source] = views.key(views.listed(page))
            same = same and entries[source] == known
        else:
            entries[source] = known
    return entries, same


def _listings(
    site: Site, env: jinja2.Environment, common: dict[str, Any]
) -> list[tuple[jinja2.Template, list[tuple[str, Callable[[], dict[str, Any]]]], dict[str, Any]]]:
    """The listings' templates, numbered pages (see :func:`_sliced`) and contexts: the home
    page's, then each year's, newest first."""
    years = sorted({p.document.date.year for p in site.pages if p.document.date}, reverse=True)
    by_year: dict[int, list[DocumentPage]] = {}
    for page in site.pages:
        if page.document.date:
            by_year.setdefault(page.document.date.year, []).append(page)
    home, year_page = env.get_template("home.html"), env.get_template("year.html")
    listings = [(home, _sliced("", {"pages": (site.pages, LIST_PAGE_SIZE, views.listed)}),
                 {"years": years, **common})]  # fmt: skip
    for year, pages in by_year.items():
        sliced = _sliced(f"{year}/", {"pages": (pages, LIST_PAGE_SIZE, views.listed)})
        listings.append((year_page, sliced, {"year": year, "years": years, **common}))
    return listings


def _render_permalinks(
    env: jinja2.Environment, site: Site, shards: Iterator[Shard], common: dict[str, Any]
) -> Iterator[Output]:
    """The short-link page and its map, and redirect pages at documents' old paths."""
    for path, key, make in shards:
        yield Output(path, key, make)
    yield _made("p/index.html", env.get_template("shortlink.html").render(root="../", **common))
    template = env.get_template("redirect.html")
    for old, new in redirects(site).items():
        root = _root(old)
        page = template.render(
            root=root,
            target=f"{root}{new}index.html",
            canonical=absolute(common["config"], new),
            **common,
        )
        yield _made(f"{old}index.html", page)


def _render_timeline(
    env: jinja2.Environment,
    pages: Pages,
    common: dict[str, Any],
    made_from: Mapping[str, str],
    kept: YearsMade,
    made: YearsMade,
) -> Iterator[Output]:
    """``timeline/`` (the years), and each year's events by month, ``TIMELINE_PAGE_SIZE`` a page;
    the pages of a year ``kept`` with the keys it gives, of the others with their
    :func:`_named_events`."""
    years = sorted(pages)
    yield _made(
        "timeline/index.html",
        env.get_template("timeline.html").render(
            root=_root("timeline/"),
            years=[(y, sum(len(chunk) for _, chunk in pages[y])) for y in years],
            **common,
        ),
    )
    template = env.get_template("timeline_year.html")
    links: dict[str, views.View] = {}
    for index, year in enumerate(years):
        context = {
            "year": year,
            "previous_year": years[index - 1] if index > 0 else None,
            "next_year": years[index + 1] if index + 1 < len(years) else None,
            **common,
        }
        numbered = [(here, functools.partial(_grouped_page, chunk, links))
                    for here, chunk in pages[year]]  # fmt: skip
        if year in kept:
            made[year] = kept[year]
            yield from _numbered(template, numbered, context, kept[year][1])
            continue
        keys: list[str | None] = [
            views.key(template.name, here, len(numbered), context, _named_events(chunk, made_from))
            for here, chunk in pages[year]
        ]
        yield from _numbered(template, numbered, context, keys)
        found = {event.page.document.source for _, chunk in pages[year] for event in chunk}
        made[year] = (tuple(sorted(found)), tuple(keys))


def _named_events(
    events: list[Event], made_from: Mapping[str, str]
) -> list[tuple[str, str, int | None, int]]:
    """What a timeline page's events are made from: each one's document (by its path and what it
    is made from), paragraph and place there.

    All a page shows of an event, its heading, label, sentence and anchor, is
    made from these. Keyed by its full views, every page of a year an edit
    touched had them made and pickled: the write stage of a one-change rebuild
    of 30,000 transcripts took 1.97 s, not 1.71 s.
    """
    return [(e.page.path, made_from[e.page.document.source],
             None if e.paragraph is None else e.paragraph.n, e.index)
            for e in events]  # fmt: skip


def _grouped_page(events: list[Event], links: dict[str, views.View]) -> dict[str, Any]:
    return {"groups": _grouped(events, links)}


def _grouped(
    events: list[Event], links: dict[str, views.View]
) -> list[tuple[str, list[views.View]]]:
    """Events under their headings (see ``_heading``), in order.

    ``links`` keeps the link view of each page, made once for all its events.
    """
    groups: dict[str, list[views.View]] = {}
    for event in events:
        link = links.get(event.page.path)
        if link is None:
            link = links[event.page.path] = views.linked(event.page)
        groups.setdefault(_heading(event.first, event.last), []).append(views.event(event, link))
    return list(groups.items())


@functools.cache  # a few thousand distinct stretches among hundreds of thousands of events
def _heading(first: dt.date, last: dt.date) -> str:
    """The heading an event goes under on its year's page: the month, or the whole year."""
    if first.month == last.month and first.year == last.year:
        return f"{first:%B} {first.year}"
    if first.year == last.year:
        return (
            f"{first.year}"
            if (first.month, last.month) == (1, 12)
            else (f"{first:%B} – {last:%B} {first.year}")
        )
    return f"{first.year} – {last.year}"


def _render_speaker(
    template: jinja2.Template,
    speaker: Speaker,
    common: dict[str, Any],
    made_from: Mapping[str, str] | None = None,
    known: Sequence[str | None] | None = None,
) -> Iterator[Output]:
    """A speaker's pages: what they said and where they are mentioned, a slice of each a page.

    The first page also sums up what they said (see :func:`views.speaker_summary`).
    Given ``made_from`` (see :func:`render_speakers`), a page's key names the paragraphs
    it quotes by their document's ``made_from`` and their numbers, instead of
    holding their texts: pickling every text a speaker said took 0.65 s a
    build at 30,000 transcripts. Pages whose keys are ``known`` (see
    :func:`render_speakers`) have their views made only to be rendered.
    """
    lists: dict[str, Listed] = {
        "said": (speaker.said, SPEAKER_PAGE_SIZE, views.utterances),
        "mentioned": (speaker.mentioned_in, MENTIONS_PAGE_SIZE, views.linked),
    }
    summary = views.speaker_summary(speaker)
    sliced = _sliced(speaker.path, lists)
    pages = [(here, functools.partial(_summed, slices, summary if number == 1 else None))
             for number, (here, slices) in enumerate(sliced, start=1)]  # fmt: skip
    context = {"speaker": views.speaker_head(speaker), **common}
    if known is not None and len(known) == len(pages):
        return _numbered(template, pages, context, known)
    if made_from is None:
        return _numbered(template, pages, context)

    def quoted(said: Utterances) -> views.View:  # what ``views.utterances`` shows, named
        return {"page": views.linked(said.page), "made_from": made_from[said.page.document.source],
                "paragraphs": [p.n for p in said.paragraphs]}  # fmt: skip

    named = {**lists, "said": (speaker.said, SPEAKER_PAGE_SIZE, quoted)}
    keys = [views.key(template.name, here, len(sliced), summary if number == 1 else None, context,
                      _slices(named, number))
            for number, (here, _) in enumerate(sliced, start=1)]  # fmt: skip
    return _numbered(template, pages, context, keys)


def _summed(slices: Callable[[], dict[str, Any]], summary: views.View | None) -> dict[str, Any]:
    return {**slices(), "summary": summary}


Listed = tuple[Sequence[Any], int, Callable[[Any], views.View]]
"""A list over numbered pages: the items, how many a page, and the view of one item."""


def _paginated(
    template: jinja2.Template, path: str, lists: Mapping[str, Listed], context: dict[str, Any]
) -> Iterator[Output]:
    """Lists over numbered pages: ``path``, then ``path/page/2/`` and on, linked in order.

    Each list in ``lists`` (name -> :data:`Listed`) shows its n-th slice on
    page n; there are as many pages as the longest list needs.
    """
    return _numbered(template, _sliced(path, lists), context)


def _sliced(
    path: str, lists: Mapping[str, Listed]
) -> list[tuple[str, Callable[[], dict[str, Any]]]]:
    """The numbered pages of ``lists`` (see :func:`_paginated`): each one's path, and how to
    make the views of its slices."""
    count = max([1, *(-(-len(items) // size) for items, size, _ in lists.values())])
    paths = [path, *(f"{path}page/{n}/" for n in range(2, count + 1))]
    return [(here, functools.partial(_slices, lists, number))
            for number, here in enumerate(paths, start=1)]  # fmt: skip


def _slices(lists: Mapping[str, Listed], number: int) -> dict[str, Any]:
    return {name: [view(item) for item in items[(number - 1) * size : number * size]]
            for name, (items, size, view) in lists.items()}  # fmt: skip


def _numbered(
    template: jinja2.Template,
    pages: Sequence[tuple[str, Callable[[], dict[str, Any]]]],
    context: dict[str, Any],
    keys: Sequence[str | None] = (),
) -> Iterator[Output]:
    """Pages in order, each linked to the one before and after: (path, how to make what only
    it shows).

    What a page shows and ``context`` are views (see :mod:`generator.views`),
    so their digest is the page's key. A page's views are made only when it
    comes: those of every page of the most prolific speaker of a large
    archive took 150 MB. Given the pages' ``keys`` (the last build's, when
    their views are known to be the same), views are made only to render.
    """
    paths = [path for path, _ in pages]

    def values(number: int, here: str, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        root = _root(here)
        return {
            "root": root,
            "page_number": number,
            "page_count": len(paths),
            "previous_page": f"{root}{paths[number - 2]}index.html" if number > 1 else None,
            "next_page": f"{root}{paths[number]}index.html" if number < len(paths) else None,
            **make(),
            **context,
        }

    for number, (here, make) in enumerate(pages, start=1):
        if keys:
            shown = functools.partial(values, number, here, make)
            yield Output(f"{here}index.html", keys[number - 1],
                         lambda shown=shown: template.render(shown()))  # type: ignore[misc]  # fmt: skip
            continue
        known = values(number, here, make)
        yield Output(
            f"{here}index.html",
            views.key(template.name, known),
            lambda known=known: template.render(known),  # type: ignore[misc]
        )


def static_files(templates: Path = TEMPLATES) -> dict[str, bytes]:
    """The CSS and scripts under ``templates/static``, keyed by their output path."""
    folder = templates / "static"
    return {
        f"static/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
