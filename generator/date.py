"""The dating stage: the temporal expressions of every paragraph, against the document's date.

The document's own date and time (its DCT) anchor relative expressions:
"yesterday" in a transcript of 21 November 2020 is 2020-11-20. A document
without a dateline keeps its absolute dates and drops relative ones, since
there is nothing to count from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .model import Document
from .timex import find_timexes


def creation_time(document: Document) -> dt.datetime | None:
    """The DCT: the dateline's date and time (midnight where no time is given)."""
    if document.date is None:
        return None
    return dt.datetime.combine(document.date, document.time or dt.time())


def date_document(document: Document) -> Document:
    """Attach the temporal expressions of each paragraph to it."""
    dct = creation_time(document)
    paragraphs = tuple(
        replace(p, timexes=tuple(find_timexes(p.text, dct))) for p in document.paragraphs
    )
    return replace(document, paragraphs=paragraphs)
