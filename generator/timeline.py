"""The timeline (part of the link stage): every dated reference, in time order.

Only expressions that name a stretch of the calendar are plotted: a day, a
week, a month, a season, a quarter, a year, a decade, a century. Durations,
sets and vague references ("the past", "now") are not. Each event keeps the
precision its text gives: "late September 2020" stays a month with a mod.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence

from .model import DocumentPage, Event, Paragraph, Timex
from .timex.tense import sentence_bounds

_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_MOD_WORDS = {"START": "early", "MID": "mid-", "END": "late"}
_SENTENCE = re.compile(r"[.!?](\s+)(?=[\"“(\[A-Z0-9])")
"""Where a sentence ends: the spaces (group 1) after its stop. Begun by the stop rather than a
lookbehind, so that the regex engine skips to the stops instead of trying every character."""


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@functools.cache  # values recur across thousands of expressions
def interval(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a TIMEX3 DATE value names; None if it names no stretch."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", value):
            day = dt.date.fromisoformat(value[:10])
            return day, day
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = int(value[:4]), int(value[5:])
            return dt.date(year, month, 1), _month_end(year, month)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        if re.fullmatch(r"\d{4}-W\d{2}", value):
            monday = dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
            return monday, monday + dt.timedelta(days=6)
        if re.fullmatch(r"\d{4}-Q[1-4]", value):
            year, quarter = int(value[:4]), int(value[-1])
            return dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        if re.fullmatch(r"\d{4}-(SP|SU|FA|WI)", value):
            year, (first, last) = int(value[:4]), _SEASON_MONTHS[value[5:]]
            return dt.date(year, first, 1), _month_end(year + (last < first), last)
        if re.fullmatch(r"\d{3}", value):
            return dt.date(int(value) * 10, 1, 1), dt.date(int(value) * 10 + 9, 12, 31)
        if re.fullmatch(r"\d{2}", value):
            return dt.date(max(int(value) * 100, 1), 1, 1), dt.date(int(value) * 100 + 99, 12, 31)
    except ValueError:
        return None
    return None


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _said_day(day: dt.date) -> str:
    """A day as :func:`label` says it: "20 November 2020"."""
    return f"{day.day} {day:%B} {day.year}"


@functools.cache  # values recur across thousands of expressions
def label(value: str, mod: str | None) -> str:
    """How a reader says the value: "20 November 2020", "late September 2020", "the 1990s"."""
    prefix = _MOD_WORDS.get(mod or "", "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", value):
        day = dt.date.fromisoformat(value[:10])
        return f"{_said_day(day)}, {value[11:16]}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", value):
        day = dt.date.fromisoformat(value[:10])
        part = {
            "TMO": "the morning of ",
            "TAF": "the afternoon of ",
            "TEV": "the evening of ",
            "TNI": "the night of ",
        }.get(value[10:], "")
        return f"{part}{_said_day(day)}"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        month = dt.date(int(value[:4]), int(value[5:]), 1)
        text = f"{month:%B} {month.year}"
    elif re.fullmatch(r"\d{4}", value):
        text = value
    elif re.fullmatch(r"\d{4}-W\d{2}", value):
        monday = dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
        return f"the week of {monday.day} {monday:%B} {monday.year}"
    elif re.fullmatch(r"\d{4}-Q[1-4]", value):
        ordinal = ["first", "second", "third", "fourth"][int(value[-1]) - 1]
        text = f"the {ordinal} quarter of {value[:4]}"
    elif re.fullmatch(r"\d{4}-(SP|SU|FA|WI)", value):
        text = f"{_SEASON_NAMES[value[5:]]} {value[:4]}"
    elif re.fullmatch(r"\d{3}", value):
        text = f"the {value}0s"
    elif re.fullmatch(r"\d{2}", value):
        text = f"the {_ordinal(int(value) + 1)} century"
    else:
        text = value
    if prefix == "mid-":
        return f"mid-{text}" if text[0].isdigit() or text[0].isupper() else f"the middle of {text}"
    return f"{prefix} {text}" if prefix else text


def plotted(timex: Timex) -> tuple[dt.date, dt.date] | None:
    """The stretch of time a DATE or TIME expression names, or None if it is not plotted."""
    if timex.type not in ("DATE", "TIME"):
        return None
    return interval(timex.value)


Sentences = dict[str, tuple[int, ...]]
"""By a digest of a document: where the sentence of each of its plotted expressions is, as a
flat run of (paragraph index, expression index, sentence start, sentence end), in text order."""


def _document_event(page: DocumentPage) -> Event | None:
    """The event of the document's own date, if it has one; its "sentence" is the title."""
    document = page.document
    if document.date is None:
        return None
    date = document.date
    value, said = _own_date(date, document.time)
    return Event(value, None, date, date, said, 0, len(document.title), 0, 0, 0, date.year, page,
                 None)  # fmt: skip


def _own_date(date: dt.date, time: dt.time | None) -> tuple[str, str]:
    """A document's date (and time) as a TIMEX3 value, and its label: what :func:`label` says
    of the value, said without its regexes, as most documents have a day of their own."""
    said = _said_day(date)
    if time is None:
        return date.isoformat(), said
    clock = f"{time.hour:02d}:{time.minute:02d}"
    return f"{date.isoformat()}T{clock}", f"{said}, {clock}"


def find_sentences(paragraphs: Sequence[Paragraph]) -> tuple[int, ...]:
    """Where the sentence of each plotted expression in ``paragraphs`` is (a run of
    :data:`Sentences`)."""
    found: list[int] = []
    for number, paragraph in enumerate(paragraphs):
        breaks = None
        for index, timex in enumerate(paragraph.timexes):
            if plotted(timex) is None:
                continue
            if breaks is None:
                breaks = [m.span(1) for m in _SENTENCE.finditer(paragraph.text)]
            first, last = sentence_bounds(paragraph.text, timex.start, timex.end, breaks)
            found += (number, index, first, last)
    return tuple(found)


def collect_events(
    pages: tuple[DocumentPage, ...],
    memo: Sentences | None = None,
    keys: Mapping[str, str] | None = None,
) -> tuple[Event, ...]:
    """Every plotted expression and every document date, in time order.

    Finding each expression's sentence means scanning every paragraph that has
    one: 63 MB of text at 30,000 transcripts. ``memo`` holds the sentences an
    earlier call found, under ``keys``' digest of each document's source (a
    document without a key is scanned); it is brought up to date, and keeps
    only the documents of this call.
    """
    keys = keys or {}
    kept: Sentences = {}
    events = []
    # each event's place: time, then site order, then the order of the text, as one number made
    # here: sorted by tuples of two dates, a path and two numbers, this took more time
    rank = {path: index for index, path in enumerate(sorted(page.path for page in pages))}
    order: list[int] = []
    for page in pages:
        document = page.document
        here = rank[page.path]
        own = _document_event(page)
        if own is not None:
            events.append(own)
            day = own.first.toordinal()
            order.append(((day << _DAY | day) << _COUNT | here) << 2 * _COUNT)
        key = keys.get(document.source)
        found = memo.get(key) if memo is not None and key is not None else None
        if found is None:
            found = find_sentences(document.paragraphs)
        if key is not None:
            kept[key] = found
        paragraphs = document.paragraphs
        quads = iter(found)
        for number, index, first, last in zip(quads, quads, quads, quads, strict=True):
            paragraph = paragraphs[number]
            timex = paragraph.timexes[index]
            value, mod = timex.value, timex.mod
            start, end, said, days = _stretch(value, mod)
            events.append(Event(value, mod, start, end, said, first, last, timex.start - first,
                                timex.end - first, index, start.year, page, paragraph))  # fmt: skip
            order.append(((days << _COUNT | here) << _COUNT | paragraph.n) << _COUNT | index)
    if memo is not None:
        memo.clear()
        memo.update(kept)
    return tuple(map(events.__getitem__, sorted(range(len(events)), key=order.__getitem__)))


@functools.cache  # values recur across hundreds of thousands of expressions
def _stretch(value: str, mod: str | None) -> tuple[dt.date, dt.date, str, int]:
    """What an event of a plotted value says: its first and last day, its label, and both days
    as the start of its place in time order (see :func:`collect_events`)."""
    span = interval(value)
    assert span is not None, "plotted when it was found"
    start, end = span
    return start, end, label(value, mod), start.toordinal() << _DAY | end.toordinal()


_DAY = dt.date.max.toordinal().bit_length()
_COUNT = 32  # bits for a page's rank, a paragraph's number and an expression's place: never full


Pages = dict[int, list[tuple[str, list[Event]]]]  # year -> [(timeline page path, its events)]


def timeline_pages(events: tuple[Event, ...], size: int) -> Pages:
    """Each year's events, in time order, over pages of ``size``: year -> [(page path, events)].

    The first page of a year is ``timeline/<year>/``, the next ``timeline/<year>/page/2/``.
    """
    by_year: dict[int, list[Event]] = {}
    for event in events:
        by_year.setdefault(event.year, []).append(event)
    pages: Pages = {}
    for year, listed in by_year.items():
        chunks = [listed[i : i + size] for i in range(0, len(listed), size)]
        pages[year] = [
            (f"timeline/{year}/" if n == 1 else f"timeline/{year}/page/{n}/", chunk)
            for n, chunk in enumerate(chunks, start=1)
        ]
    return pages


Placed = dict[str, tuple[list[Event], list[str]]]
"""A transcript page's path -> its expressions on the timeline, in time order, and the
timeline page that shows each."""


def placed(pages: Pages) -> Placed:
    """Where each transcript page's expressions are on the timeline (see :data:`Placed`).

    Two lists a page, not a map of anchors: that took 10 MB at 30,000
    transcripts, and made every anchor string to key it.
    """
    found: Placed = {}
    for year in pages.values():
        for path, chunk in year:
            for event in chunk:
                if event.paragraph is not None:
                    events, paths = found.setdefault(event.page.path, ([], []))
                    events.append(event)
                    paths.append(path)
    return found
