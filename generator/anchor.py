"""The anchor stage: a short, stable id for every paragraph.

An id is a hash of the document's source name and the paragraph's
normalised text, not of its position, so inserting, removing or moving other
paragraphs changes no id, and a punctuation or case fix changes none either.
Every id in the site is assigned here; the anchor ledger extends this stage.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import replace

from .model import Document

ID_LENGTH = 10  # base32 characters: 50 bits, so collisions are rare even at 100,000 paragraphs
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    """The text with case, punctuation and spacing folded away."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def text_id(document_key: str, text: str) -> str:
    """The id a paragraph's text gets in a given document: lowercase base32."""
    digest = hashlib.blake2b(
        f"{document_key}\x00{normalize(text)}".encode(), digest_size=8
    ).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:ID_LENGTH]


def assign_ids(document: Document) -> Document:
    """Give every paragraph its id.

    Two paragraphs with the same id in one document (a repeated "Thank you.",
    or a hash collision) are told apart in reading order: the first keeps the
    id, later ones get ``-2``, ``-3``.
    """
    seen: dict[str, int] = {}
    paragraphs = []
    for paragraph in document.paragraphs:
        base = text_id(document.source, paragraph.text)
        count = seen.get(base, 0) + 1
        seen[base] = count
        paragraphs.append(replace(paragraph, id=base if count == 1 else f"{base}-{count}"))
    return replace(document, paragraphs=tuple(paragraphs))
