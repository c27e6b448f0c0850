"""The link stage: where each document lives in the site, and how pages connect.

URLs are part of the product, so they depend only on a document's date and
title: ``YYYY/MM/DD/<slug>/``, or ``undated/<slug>/`` for a document without a
date. Two documents that would share a URL are told apart by source order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from anyascii import anyascii

from .model import Document, DocumentPage, Site

SLUG_LENGTH = 80
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`]")  # "Putin's" -> "putins"; anyascii writes the soft sign as '"


def slugify(title: str) -> str:
    """An ASCII slug: transliterated, lower case, words joined by ``-``, at most 80 characters.

    A long title is cut at a word boundary, so a slug never ends mid-word.
    """
    ascii_title = _APOSTROPHES.sub("", anyascii(title)).lower()
    slug = _NOT_SLUG.sub("-", ascii_title).strip("-")
    if len(slug) > SLUG_LENGTH:
        cut = slug[: SLUG_LENGTH + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:SLUG_LENGTH]
    return slug or "untitled"


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


def link(documents: Iterable[Document]) -> Site:
    """Place every document at a unique path and chain neighbours, newest first."""
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
    return Site(pages=tuple(pages))
