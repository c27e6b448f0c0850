"""Slugs: the readable, ASCII part of a URL."""

from __future__ import annotations

import re

from anyascii import anyascii

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
