"""The link stage: where each document lives in the site, and how pages connect.

URLs are part of the product, so they depend only on a document's date and
title: ``YYYY/MM/DD/<slug>/``, or ``undated/<slug>/`` for a document without a
date. Two documents that would share a URL are told apart by source order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .ledger import with_paths
from .model import Document, DocumentPage, Ledger, Site
from .slugs import slugify
from .speakers import MentionFinder, MentionMemo, index_speakers
from .timeline import Sentences, collect_events


@dataclass
class LinkMemo:
    """What the link stage found in each document's text, kept for the next build by a digest
    of the document: the speakers it names (see :class:`~generator.speakers.MentionMemo`) and
    where the sentences of its dated expressions are (see :data:`~generator.timeline.Sentences`).
    """

    mentions: MentionMemo = field(default_factory=MentionMemo)
    sentences: Sentences = field(default_factory=dict)


def _folder(date: dt.date | None) -> str:
    return "undated" if date is None else f"{date:%Y/%m/%d}"


def _age(document: Document) -> tuple[bool, dt.date, dt.time, str]:
    """Sort key, largest = newest: dated before undated, then date, time and source."""
    return (
        document.date is not None,
        document.date or dt.date.min,
        document.time or dt.time.min,
        document.source,
    )


def link(
    documents: Iterable[Document],
    ledger: Ledger | None = None,
    memo: LinkMemo | None = None,
    keys: Mapping[str, str] | None = None,
    finder: MentionFinder | None = None,
) -> Site:
    """Place every document at a unique path, chain neighbours (newest first), index speakers,
    and gather the timeline.

    ``memo`` carries what an earlier build found in each document's text over
    to this one, under ``keys``: a digest of each document's source (see
    :func:`~generator.speakers.index_speakers`). It is brought up to date.
    ``finder`` is :func:`~generator.speakers.mention_finder` of ``documents``,
    if the caller has made it already.
    """
    documents = sorted(documents, key=lambda d: d.source)
    paths: dict[str, str] = {}
    taken: set[str] = set()
    for document in documents:
        base = f"{_folder(document.date)}/{slugify(document.title)}"
        path, count = base, 1
        while path in taken:
            count += 1
            path = f"{base}-{count}"
        taken.add(path)
        paths[document.source] = path + "/"
    ordered = sorted(documents, key=_age, reverse=True)
    pages = []
    for index, document in enumerate(ordered):
        pages.append(
            DocumentPage(
                document=document,
                path=paths[document.source],
                previous=paths[ordered[index + 1].source] if index + 1 < len(ordered) else None,
                following=paths[ordered[index - 1].source] if index > 0 else None,
            )
        )
    memo = memo if memo is not None else LinkMemo()
    linked, speakers = index_speakers(tuple(pages), memo.mentions, keys, finder)
    events = collect_events(linked, memo.sentences, keys)
    current = with_paths(ledger or Ledger(), {p.document.source: p.path for p in linked})
    return Site(pages=linked, speakers=speakers, events=events, ledger=current)
