"""What the listing, speaker and timeline templates read: plain data, made from the model.

A template of these pages gets only views, never model objects, so a page is
fully given by its views: the digest of them (:func:`key`) says whether a
page must be rendered again, and it cannot miss a dependency, because a
template that reads something its views lack fails (``StrictUndefined``).
Views are dicts of strings, numbers, dates and lists; their keys avoid the
names of dict methods, which Jinja2 would find first.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

from .model import DocumentPage, Event, Speaker, Utterances, copy_of
from .write import digest

View = dict[str, Any]


def speakers(page: DocumentPage) -> list[str]:
    """The distinct speakers of a page's document in order of first appearance (no questioners)."""
    names: list[str] = []
    for turn in page.document.turns:
        name = turn.speaker or turn.label
        if name not in names and not turn.anonymous:
            names.append(name)
    return names


def linked(page: DocumentPage) -> View:
    """A link to a transcript: its path, title and dateline."""
    document = page.document
    return {
        "path": page.path,
        "document": {"title": document.title, "date": document.date, "time": document.time},
    }


def listed(page: DocumentPage) -> View:
    """A transcript in a list of transcripts: a link, and who speaks in it."""
    return {**linked(page), "speakers": speakers(page)}


def speaker(person: Speaker) -> View:
    """A speaker as the speaker index shows them: who, and how much they said when."""
    return {**speaker_head(person), **speaker_summary(person)}


def speaker_head(person: Speaker) -> View:
    """What every page of a speaker shows: the name and roles."""
    return {
        "name": person.name,
        "path": person.path,
        "roles": [{"role": r.role, "first": r.first, "last": r.last} for r in person.roles],
    }


def speaker_summary(person: Speaker) -> View:
    """How much a speaker said, in how many documents, from when to when.

    Only the first of a speaker's pages shows it, so that a change to one
    document does not change every page of a speaker who speaks in thousands.
    """
    return {
        "documents": len(person.said),
        "paragraphs": person.paragraphs,
        "words": person.words,
        "first": person.first,
        "last": person.last,
    }


def utterances(said: Utterances) -> View:
    """What a speaker said in one transcript: a link to it, and the paragraphs."""
    return {
        "page": linked(said.page),
        "paragraphs": [
            {"id": p.id, "n": p.n, "text": copy_of(p.text)}  # keyed by a pickle: see copy_of
            for p in said.paragraphs
        ],
    }


def event(e: Event, page: View | None = None) -> View:
    """An event on its timeline page: the words that date it, and where they are.

    ``page`` is ``linked(e.page)``, if the caller made it already.
    """
    paragraph = e.paragraph
    return {
        "anchor": e.anchor,
        "label": e.label,
        "sentence": e.sentence,
        "expression_start": e.expression_start,
        "expression_end": e.expression_end,
        "paragraph": None if paragraph is None else {"id": paragraph.id, "n": paragraph.n},
        "page": linked(e.page) if page is None else page,
    }


def key(*parts: object) -> str:
    """The digest of views: equal views (and templates) make an equal page.

    They are pickled in fast mode, without pickle's memo, which writes a value
    met twice as a reference to the first: its bytes then said which equal
    strings were one object. A document a worker read, or the build cache held,
    has its speaker labels interned (see :class:`~generator.model.Recurring`);
    one the build read itself has not. Every listing page of the first rebuild
    after a clean build got another key, and was rendered again.
    """
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # views are trees: nothing refers to itself
    pickler.dump(parts)
    return digest(stream.getvalue())
