"""The link stage: where each document lives in the site, and how pages connect.

URLs are part of the product, so they depend only on a document's date and
title: ``YYYY/MM/DD/<slug>/``, or ``undated/<slug>/`` for a document without a
date. Two documents that would share a URL are told apart by source order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from .ledger import with_paths
from .model import Document, DocumentPage, Ledger, Site
from .slugs import slugify
from .speakers import MentionMemo, index_speakers
from .timeline import collect_events


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
    memo: MentionMemo | None = None,
    keys: Mapping[str, str] | None = None,
) -> Site:
    """Place every document at a unique path, chain neighbours (newest first), index speakers.

    ``memo`` carries the mentions of speakers found by an earlier build over to this one,
    under ``keys`` (see :func:`~generator.speakers.index_speakers`).
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
    linked, speakers = index_speakers(tuple(pages), memo, keys)
    current = with_paths(ledger or Ledger(), {p.document.source: p.path for p in linked})
    return Site(pages=linked, speakers=speakers, events=collect_events(linked), ledger=current)
