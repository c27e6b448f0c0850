"""Open data under ``data/``: the site's content as JSON for other tools.

``data/<YYYY/MM/DD/slug>.json`` holds one document; ``data/speakers.json``
the speakers, Popolo-like (persons, with their roles as memberships).

``data/timeline.json`` follows TimelineJS's format: each event has a
``start_date`` and ``end_date`` broken into year, month and day, a
``display_date`` at the precision the text gives, and a headline and text.
Texts are escaped, since TimelineJS shows them as HTML.
"""

from __future__ import annotations

import datetime as dt
import functools
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from markupsafe import escape

from .config import Config
from .inspect import timex_json
from .jsontext import COMPACT
from .model import DocumentPage, Event, Site
from .write import Content


def _date_parts(event: Event, which: str) -> dict[str, str]:
    return _parts(event.first, event.last, event.value, event.label, which)


@functools.lru_cache(maxsize=1024)  # events come in time order: a date's events follow each other
def _parts(first: dt.date, last: dt.date, value: str, label: str, which: str) -> dict[str, str]:
    """TimelineJS's date object; shared by the events with the same date, so never changed."""
    day = first if which == "start" else last
    parts = {"year": str(day.year)}
    precise_month = (first.year, first.month) == (last.year, last.month)
    if precise_month or which == "end":
        parts["month"] = str(day.month)
    if first == last:
        parts["day"] = str(day.day)
    if value[10:11] == "T" and value[11:13].isdigit():
        parts["hour"], parts["minute"] = str(int(value[11:13])), str(int(value[14:16]))
    parts["display_date"] = label
    return parts


Spans = dict[str, "array[int]"]
"""Page key -> where its events' JSON is in ``data/timeline.json``: offset and length of each,
in the order of the timeline.

A page's events keep their order among themselves whatever the rest of the
archive does (the timeline's order puts a page's own events by paragraph and
anchor), so the n-th pair is its n-th event. Keyed by anchor, as tuples,
these took 55 MB at 30,000 transcripts, held twice by a rebuild.
"""


@dataclass
class Reuse:
    """The last build's ``data/timeline.json``, to copy the events of unchanged pages from.

    A transcript page's key (see ``build._page_keys``) covers everything its
    events' JSON is made from, so an event of a page whose key is the same is
    the same bytes. ``old`` is the last build's file, open, or None if it
    cannot be trusted; ``spans`` says where its events are; ``keys`` holds
    this build's page keys. :func:`timeline_json` fills ``found`` with the
    spans of the file it writes, for the next build.
    """

    old: BinaryIO | None
    spans: Spans
    keys: dict[str, str]
    found: Spans = field(default_factory=dict)


_READ = 1 << 20  # bytes copied from the last build's file at a time


def _copy(old: BinaryIO | None, start: int, end: int) -> Iterator[bytes]:
    assert old is not None  # copies come from spans, which are used only with the file
    old.seek(start)
    while start < end:
        data = old.read(min(_READ, end - start))
        if not data:
            raise OSError("the last build's timeline ended early")
        start += len(data)
        yield data


def timeline_json(site: Site, title: str, reuse: Reuse | None = None) -> Iterator[bytes]:
    """The whole timeline as TimelineJS JSON, sorted and stable from build to build, in pieces.

    Each event is encoded as it comes, and the file is written as it is
    encoded (see :meth:`~generator.write.Staging.put`): a large archive's
    timeline runs to a hundred megabytes, which as one string took twice
    that, and more while it was joined. The bytes are what encoding all the
    events at once gives. With ``reuse``, the events of unchanged pages are
    copied from the last build's file, in runs where they follow each other
    there too.
    """
    old = reuse.old if reuse is not None else None
    spans = reuse.spans if old is not None and reuse is not None else {}
    keys = reuse.keys if reuse is not None else {}
    found = reuse.found if reuse is not None else {}
    counted: dict[str, int] = {}  # events of each page so far
    head = b'{"events":['
    yield head
    position = len(head)
    run: tuple[int, int, int] | None = None  # old start, old end, new start of a pending copy
    for number, event in enumerate(site.events):
        key = keys.get(event.page.path)
        span = None
        if key is not None:  # where the last file has this page's next event, if it has it
            count = counted[key] = counted.get(key, -1) + 1
            known = spans.get(key)
            if known is not None and 2 * count + 1 < len(known):
                span = known[2 * count], known[2 * count + 1]
        if span is not None and run is not None and span[0] == run[1] + 1:  # after its comma
            offset = run[2] + span[0] - run[0]
            run = (run[0], span[0] + span[1], run[2])
        else:
            if run is not None:
                yield from _copy(old, run[0], run[1])
                position += run[1] - run[0]
                run = None
            if number:
                yield b","
                position += 1
            offset = position
            if span is not None:
                run = (span[0], span[0] + span[1], position)
            else:
                data = COMPACT.encode(_event_json(event)).encode()
                span = (0, len(data))
                yield data
                position += len(data)
        if key is not None:
            places = found.get(key)
            if places is None:
                places = found[key] = array("q")
            places.extend((offset, span[1]))
    if run is not None:
        yield from _copy(old, run[0], run[1])
    heading = COMPACT.encode(
        {"text": {"headline": title, "text": "Events the transcripts refer to"}}
    )
    yield f'],"title":{heading}}}\n'.encode()


def _event_json(event: Event) -> dict[str, Any]:
    document = event.page.document
    link = f"{event.page.path}#p-{event.paragraph.id}" if event.paragraph else event.page.path
    if event.paragraph is None:
        text = str(escape(f"Date of “{document.title}”."))
    else:
        sentence, start, end = event.sentence, event.expression_start, event.expression_end
        text = (
            f"{escape(sentence[:start])}<mark>{escape(sentence[start:end])}</mark>"
            f"{escape(sentence[end:])}"
        )
    entry: dict[str, Any] = {
        "unique_id": event.anchor,
        "start_date": _date_parts(event, "start"),
        "display_date": event.label,
        "text": {"headline": str(escape(event.label)), "text": text},
        "group": str(event.year),
        "podium": {
            "value": event.value,
            "mod": event.mod,
            "document": document.title,
            "url": link,
            "paragraph": event.paragraph.n if event.paragraph else None,
        },
    }
    if event.first != event.last:
        entry["end_date"] = _date_parts(event, "end")
    return entry


def _dump(data: object) -> str:
    return COMPACT.encode(data) + "\n"


def document_json(page: DocumentPage, config: Config) -> str:
    """``data/<path>.json``: one document with its paragraphs, turns, speakers and events."""
    document = page.document
    data = {
        "title": document.title,
        "date": document.date.isoformat() if document.date else None,
        "time": document.time.strftime("%H:%M") if document.time else None,
        "url": f"{config.base_url}{page.path}",
        "source_url": document.source_url,
        "language": document.language or config.language,
        "turns": [
            {"label": t.label, "speaker": t.speaker, "role": t.role, "anonymous": t.anonymous}
            for t in document.turns
        ],
        "paragraphs": [
            {
                "n": p.n,
                "id": p.id,
                "text": p.text,
                "turn": p.turn,
                "stage": p.stage,
                "events": [timex_json(t) for t in p.timexes],
            }
            for p in document.paragraphs
        ],
    }
    return _dump(data)


def speakers_json(site: Site, config: Config) -> str:
    """``data/speakers.json``, Popolo-like: persons, and their roles as memberships."""
    persons = []
    memberships = []
    for speaker in site.speakers:
        identifier = speaker.path.split("/")[1]
        persons.append(
            {
                "id": identifier,
                "name": speaker.name,
                "links": [{"url": f"{config.base_url}{speaker.path}", "note": "Podium page"}],
            }
        )
        for role in speaker.roles:
            membership = {"person_id": identifier, "role": role.role}
            if role.first:
                membership["start_date"] = role.first.isoformat()
            if role.last:
                membership["end_date"] = role.last.isoformat()
            memberships.append(membership)
    return _dump({"persons": persons, "memberships": memberships})


def open_data(
    site: Site, config: Config, reuse: Reuse | None = None
) -> Iterator[tuple[str, Content]]:
    """The files under ``data/`` that cover the whole site; see :func:`document_data`."""
    yield "data/timeline.json", timeline_json(site, config.title, reuse)
    yield "data/speakers.json", speakers_json(site, config)


def document_data(page: DocumentPage, config: Config) -> dict[str, str]:
    """``data/<path>.json`` of one transcript, keyed by its path."""
    return {f"data/{page.path.rstrip('/')}.json": document_json(page, config)}
