"""The data that flows through the pipeline.

Every stage takes these frozen values and returns new ones (with
:func:`dataclasses.replace`), so a stage can be run and tested alone and no
stage can change what another stage already decided.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import sys
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from typing import Any

_PICKLED: dict[type, tuple[Callable[..., object], Callable[[object], tuple[object, ...]]]] = {}
"""Each record class -> its maker and what gives its field values (see :func:`_quicken`)."""


class Record:
    """A model value: its fields in slots, and pickled as its maker called with them.

    The build cache and the worker processes move millions of these
    (paragraphs, ledger rows, expressions). Slots hold them in about a fifth
    less memory than instance dictionaries: 72 MB instead of 92 MB for the
    cached documents of the 3,000 Kremlin transcripts. Left to itself, pickle
    would restore a frozen slotted object field by field in Python, and load
    the cache twice as slowly; each class has a maker that is faster (see
    :func:`_quicken`).
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[Callable[..., object], tuple[object, ...]]:
        make, values = _PICKLED[type(self)]
        return make, values(self)


def _quicken(cls: type) -> None:
    """Give ``cls`` a faster ``__init__``, and a maker that pickle calls with all its fields.

    A frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``: 0.65 µs a paragraph, most of the time it took to
    load the build cache of 30,000 transcripts (1.6 million records), and much
    of the time the link stage takes to make its events and pages. Both
    functions fill the slots with plain assignments while the object is of a
    twin class that has the same slots but no guard, then give it its class
    back: 0.28 µs for ``__init__``, 0.19 µs for the maker, which starts from a
    bare object. The maker is named in this module, so that pickle finds it.
    """
    twin = type(f"_{cls.__name__}Fields", cls.__bases__, {"__slots__": cls.__dict__["__slots__"]})
    scope: dict[str, Any] = {"new": object.__new__, "twin": twin, "cls": cls,
                             "set_class": object.__setattr__, "unset": _UNSET}  # fmt: skip
    names, parameters, defaults = [], [], []
    for f in fields(cls):
        assert f.init and not f.kw_only and f.name not in scope, f"{cls.__name__}.{f.name}"
        names.append(f.name)
        if f.default is not MISSING:
            scope[f"default_{f.name}"] = f.default
            parameters.append(f"{f.name}=default_{f.name}")
        elif f.default_factory is not MISSING:
            scope[f"factory_{f.name}"] = f.default_factory
            parameters.append(f"{f.name}=unset")
            defaults.append(f"    if {f.name} is unset: {f.name} = factory_{f.name}()")
        else:
            parameters.append(f.name)
    assigned = [f"    record.{name} = {name}" for name in names]
    source = [f"def make({', '.join(names)}):", "    record = new(twin)", *assigned,
              "    record.__class__ = cls", "    return record",
              f"def __init__(record, {', '.join(parameters)}):", *defaults,
              "    set_class(record, '__class__', twin)", *assigned,
              "    record.__class__ = cls"]  # fmt: skip
    exec("\n".join(source), scope)
    make, init = scope["make"], scope["__init__"]
    make.__name__ = make.__qualname__ = f"_make_{cls.__name__}"
    make.__module__ = init.__module__ = __name__
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    globals()[make.__name__] = make
    _PICKLED[cls] = make, operator.attrgetter(*names)
    cls.__init__ = init  # type: ignore[misc]


_UNSET = object()


class Recurring(Record):
    """A record whose strings recur across documents: speaker labels, expressions such as
    "today" or "2020".

    It is pickled with its strings interned, so that a pickle of many (a
    shard of the build cache) holds each string once, and so does the
    process that loads it: five times fewer of these strings in the 30,000
    transcripts of the benchmark, 45 MB less.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[Callable[..., object], tuple[object, ...]]:
        make, values = super().__reduce__()
        return make, tuple(sys.intern(v) if type(v) is str else v for v in values)


def copy_of(text: str) -> str:
    """A copy of ``text``, for a string that is about to be pickled.

    Pickling a string that is not ASCII makes CPython keep its UTF-8 form
    inside it for as long as it lives. Paragraph texts live for the whole
    build; pickled to workers or into a page's key, they grew by a fifth
    (49 MB at 30,000 transcripts). A copy takes that with it when it goes.
    """
    return text[:1] + text[1:]


class Severity(StrEnum):
    """How bad a problem is: a warning still publishes the file, an error does not."""

    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Problem(Record):
    """Something wrong with the input, reported with the file and line it is on."""

    path: str
    line: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity.value}: {self.message}"


@dataclass(frozen=True, slots=True)
class Turn(Recurring):
    """One speaker's stretch of a transcript, opened by a label such as "X said:".

    ``label`` is the attribution as written, without the "said" and the colon;
    ``speaker`` is the person and ``role`` the title, or None where unknown.
    ``anonymous`` marks questioners and voices ("Question", "Q", "Remark"):
    nobody to resolve, so they are never reported as unresolved.
    """

    label: str
    speaker: str | None = None
    role: str | None = None
    anonymous: bool = False
    line: int = 0  # where the label is written in the source file
    marker: str = ""  # the text the marker took from the paragraph, as written


@dataclass(frozen=True, slots=True)
class Timex(Recurring):
    """A temporal expression: characters ``start:end`` of a text, normalised to TIMEX3.

    ``type`` is DATE, TIME, DURATION or SET; ``value`` the TIMEX3 value
    ("2020-11-20", "2020-SU", "P44D", "PAST_REF"); ``mod`` START, MID, END,
    APPROX, MORE_THAN… or None.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None


@dataclass(frozen=True, slots=True)
class Paragraph(Record):
    """A paragraph of a document.

    ``text`` is plain text: what ids, search and dating work on. ``html`` is the
    markup Python-Markdown made for Markdown sources, None for plain text (the
    renderer escapes ``text`` then). ``turn`` indexes ``Document.turns``; None
    is narration. ``n`` counts from 1; ``id`` is empty until the anchor stage.
    ``stage`` marks a stage remark such as "(Applause.)": part of the record,
    not speech.
    """

    n: int
    text: str
    line: int
    turn: int | None = None
    html: str | None = None
    id: str = ""
    stage: bool = False
    timexes: tuple[Timex, ...] = ()


@dataclass(frozen=True, slots=True)
class Document(Record):
    """One transcript, as read from one file of the seeds folder.

    ``source`` is the path relative to the seeds folder, with forward slashes:
    it names the document in messages and keeps paragraph ids apart between
    documents.
    """

    source: str
    title: str
    date: dt.date | None
    time: dt.time | None
    paragraphs: tuple[Paragraph, ...]
    turns: tuple[Turn, ...] = ()
    source_url: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    title_line: int = 1
    problems: tuple[Problem, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Mention(Record):
    """A known speaker named in a paragraph: characters ``start:end`` of its text."""

    start: int
    end: int
    speaker: str  # the speaker's path, ``speakers/<slug>/``


@dataclass(frozen=True, slots=True)
class DocumentPage(Record):
    """A document placed in the site: its URL path (``2020/11/21/slug/``) and neighbours.

    ``previous`` and ``following`` are the paths of the documents just older and
    just newer, for reading an archive in order. ``speaker_paths`` maps a
    turn's index to its speaker's page; ``mentions`` maps a paragraph id to
    the speakers it names.
    """

    document: Document
    path: str
    previous: str | None = None
    following: str | None = None
    speaker_paths: tuple[str | None, ...] = ()
    mentions: tuple[tuple[str, tuple[Mention, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class RoleSpan(Record):
    """A role a speaker was given, and the first and last document date it was seen."""

    role: str
    first: dt.date | None
    last: dt.date | None


@dataclass(frozen=True, slots=True)
class Utterances(Record):
    """What one speaker said in one document: the page and the paragraphs, in order."""

    page: DocumentPage
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True, slots=True)
class Speaker(Record):
    """One person across the archive, whatever titles and spellings their labels use."""

    name: str
    path: str  # ``speakers/<slug>/``
    roles: tuple[RoleSpan, ...]
    said: tuple[Utterances, ...]  # newest document first
    mentioned_in: tuple[DocumentPage, ...]
    words: int

    @property
    def paragraphs(self) -> int:
        return sum(len(u.paragraphs) for u in self.said)

    @property
    def first(self) -> dt.date | None:
        dates = [u.page.document.date for u in self.said if u.page.document.date]
        return min(dates) if dates else None

    @property
    def last(self) -> dt.date | None:
        dates = [u.page.document.date for u in self.said if u.page.document.date]
        return max(dates) if dates else None


@dataclass(frozen=True, slots=True)
class Event(Record):
    """A dated reference on the timeline: an expression in a paragraph, or a document's date.

    ``first`` and ``last`` bound the time it names ("2020-SU" is June to
    August 2020); ``label`` says it at the precision the text gives ("late
    September 2020"). The :attr:`sentence` that holds the expression is
    characters ``sentence_start:sentence_end`` of the paragraph (of the title,
    for the document's date), and the expression is
    ``sentence[expression_start:expression_end]``. ``index`` is the
    expression's place among its paragraph's (0 for the document's date),
    ``year`` the page it is on.
    """

    value: str
    mod: str | None
    first: dt.date
    last: dt.date
    label: str
    sentence_start: int
    sentence_end: int
    expression_start: int
    expression_end: int
    index: int
    year: int
    page: DocumentPage
    paragraph: Paragraph | None  # None for the document's own date

    @property
    def sentence(self) -> str:
        """Cut from the paragraph when asked: kept whole, the sentences of the events of
        30,000 transcripts took 40 MB."""
        text = self.page.document.title if self.paragraph is None else self.paragraph.text
        return text[self.sentence_start : self.sentence_end]

    @property
    def anchor(self) -> str:
        """Its id on its timeline page, made when asked: kept, the ids of the events of
        30,000 transcripts took 13 MB."""
        if self.paragraph is None:
            return date_anchor(self.page.path)
        return expression_anchor(self.paragraph, self.index)


def expression_anchor(paragraph: Paragraph, index: int) -> str:
    """The id of a paragraph's ``index``-th expression on its timeline page."""
    return f"t-{paragraph.id}-{index}"


def date_anchor(path: str) -> str:
    """The id of the date of the document at ``path`` on its timeline page."""
    return "d-" + hashlib.blake2b(path.encode(), digest_size=5).hexdigest()


@dataclass(frozen=True, slots=True)
class Version(Record):
    """An earlier wording of a paragraph, and the day it was replaced (None if unknown)."""

    fingerprint: int
    text: str
    until: str | None


@dataclass(frozen=True, slots=True)
class Row(Record):
    """One paragraph id in the anchor ledger: where it is, its wording, and its fate.

    ``fingerprint`` is a number, though the ledger spells it in hex (see
    :func:`generator.ledger.fingerprint`): as strings, the fingerprints of
    30,000 transcripts took about 20 MB more.
    """

    id: str
    document: str
    n: int
    fingerprint: int
    text: str
    status: str = "current"
    date: str | None = None  # when the status or wording last changed
    successors: tuple[str, ...] = ()
    history: tuple[Version, ...] = ()


@dataclass(frozen=True, slots=True)
class Ledger(Record):
    """Every paragraph id ever issued, and every URL path each document has had."""

    rows: tuple[Row, ...] = ()
    paths: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # source -> URL paths, oldest first

    def by_id(self) -> dict[str, Row]:
        return {row.id: row for row in self.rows}


@dataclass(frozen=True, slots=True)
class Site(Record):
    """Everything the renderer needs: documents newest first, speakers by name."""

    pages: tuple[DocumentPage, ...]
    speakers: tuple[Speaker, ...] = ()
    events: tuple[Event, ...] = ()  # in time order
    ledger: Ledger = field(default_factory=Ledger)  # with each document's current path


for _record in (Problem, Turn, Timex, Paragraph, Document, Mention, DocumentPage, RoleSpan,
                Utterances, Speaker, Event, Version, Row, Ledger, Site):  # fmt: skip
    _quicken(_record)
