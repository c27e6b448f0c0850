"""Tense: whether a sentence speaks of the past or the future, for dates without a year."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

_PARTICIPLE = re.compile(r"\b(?:be|been|being|is|are|am|get|got)\s+$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;](?=\s)|\n")
_PAST = re.compile(
    r"\b(?:was|were|had|did|been|ago|last|yesterday|earlier|previously|former|then|"
    r"\w{3,}ed)\b",
    re.IGNORECASE,
)

_FUTURE = re.compile(
    r"\b(?:will|shall|won't|going to|plans?|planned|intends?|expects?|expected|scheduled"
    r"|upcoming|next|tomorrow|soon|would like|hope|hopes|to be held|due|to be|until|till)\b|'ll\b",
    re.IGNORECASE,
)

_NOT_PAST = {"need", "united", "based", "red", "bed", "speed", "indeed", "seed", "feed", "proceed",
             "succeed", "exceed", "hundred", "kindred", "shed", "wed", "fed", "sacred", "limited",
             "interested", "concerned", "related", "advanced", "detailed", "dedicated"}  # fmt: skip


def sentence_bounds(
    text: str, start: int, end: int, breaks: Iterable[tuple[int, int]]
) -> tuple[int, int]:
    """Where the sentence holding ``start:end`` begins and ends, given where ``text``'s
    sentences break, in order (the spans of a boundary pattern's matches)."""
    first, last = 0, len(text)
    for break_start, break_end in breaks:
        if break_end <= start:
            first = break_end
        elif break_start >= end:
            last = break_start
            break
    return first, last


def sentence_breaks(text: str, boundary: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """Where ``text``'s sentences break by the ``boundary`` pattern, in order, found as they
    are asked for (see :func:`sentence_bounds`)."""
    return (match.span() for match in boundary.finditer(text))


def tense(text: str, position: int) -> str:
    """'past', 'future' or 'present': the nearest tense marker to ``position`` in its sentence."""
    start, end = sentence_bounds(text, position, position, sentence_breaks(text, _SENTENCE_END))
    sentence = text[start:end]
    best: tuple[int, str] | None = None
    for pattern, label in ((_FUTURE, "future"), (_PAST, "past")):
        for match in pattern.finditer(sentence):
            if label == "past" and (
                match.group(0).lower() in _NOT_PAST
                or _PARTICIPLE.search(sentence, 0, match.start())
            ):
                continue  # "to be published": a participle, the tense is elsewhere
            distance = abs(start + match.start() - position)
            if best is None or distance < best[0]:
                best = (distance, label)
    return best[1] if best else "present"


def year_for(month: int, day: int | None, when: str, dct: dt.date) -> int:
    """The year of a month (and day) without one, from the tense and the DCT."""
    here = (month, day or 0)
    now = (dct.month, dct.day if day else 0)
    if when == "future":
        return dct.year if here >= now else dct.year + 1
    if when == "past":
        return dct.year if here <= now else dct.year - 1
    # present tense: the nearest occurrence
    return dct.year if abs(month - dct.month) <= 6 else dct.year + (1 if month < dct.month else -1)
