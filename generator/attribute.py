"""The attribution stage: who says each paragraph.

Speaker markers open turns; a paragraph without a marker continues the
current turn, and text before the first marker is narration. Each marker rule
is a small named function, tried in order (as Python-Markdown's processors),
so a rule can be tested alone and a new convention is one more entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from .markup import drop_leading_text
from .model import Document, Paragraph, Turn


@dataclass(frozen=True)
class Marker:
    """A speaker marker found at the start of a paragraph.

    ``consumed`` is the paragraph text the marker takes up (label, verb,
    colon); ``rest`` is the speech that follows on the same paragraph.
    """

    label: str
    consumed: str
    rest: str


MarkerRule = Callable[[str], Marker | None]

_NAME_START = r"[A-Z\u0100-\u024F\u0400-\u04FF]"
_SAID = re.compile(
    r"^(?P<label>" + _NAME_START + r"[^:;.!?\"“”()]{1,150}?)\s+said\s*:\s*", re.UNICODE
)
_PRONOUNS = {"he", "she", "they", "we", "i", "it", "you", "who", "this", "that"}


def said_marker(text: str) -> Marker | None:
    """``President Ilham Aliyev said:``, alone on its line or followed by the speech."""
    match = _SAID.match(text)
    if match is None:
        return None
    label = match.group("label").strip()
    if label.lower() in _PRONOUNS or len(label.split()) > 15:
        return None
    return Marker(label=label, consumed=match.group(0), rest=text[match.end() :])


MARKER_RULES: tuple[MarkerRule, ...] = (said_marker,)

_DASH = re.compile(r"^[-–—]\s+")
_TITLE_WORDS = {
    "president",
    "minister",
    "prime",
    "deputy",
    "vice",
    "chairman",
    "chairwoman",
    "chair",
    "secretary",
    "general",
    "governor",
    "mayor",
    "ambassador",
    "director",
    "head",
    "chief",
    "defense",
    "defence",
    "foreign",
    "affairs",
    "federal",
    "chancellor",
    "king",
    "queen",
    "prince",
    "emperor",
    "premier",
    "speaker",
    "senator",
    "commander",
    "acting",
    "first",
    "russian",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "his",
    "her",
    "majesty",
    "highness",
    "excellency",
    "sheikh",
    "emir",
    "sultan",
    "the",
    "state",
    "council",
}
_CONNECTORS = {"of", "the", "for", "and", "on", "in", "at", "to"}


def split_title(label: str) -> tuple[str | None, str | None]:
    """Split a label into (role, person): the person is the trailing run of name words.

    "President of the Republic of Azerbaijan Ilham Aliyev" gives
    ("President of the Republic of Azerbaijan", "Ilham Aliyev"). A word right
    after "of" belongs to the role; a label of title words only has no person.
    """
    words = label.split()
    start = len(words)
    while start > 0 and len(words) - start < 3:
        word = words[start - 1]
        before = words[start - 2].lower() if start >= 2 else ""
        if not word[:1].isupper() or word.lower() in _TITLE_WORDS or before in _CONNECTORS:
            break
        start -= 1
    person = " ".join(words[start:]) or None
    role = " ".join(words[:start]) or None
    return role, person


def _find_marker(text: str, rules: tuple[MarkerRule, ...]) -> Marker | None:
    for rule in rules:
        marker = rule(text)
        if marker is not None:
            return marker
    return None


def attribute(document: Document, rules: tuple[MarkerRule, ...] = MARKER_RULES) -> Document:
    """Split ``document`` into turns; renumber its paragraphs without the marker lines."""
    turns: list[Turn] = []
    paragraphs: list[Paragraph] = []
    opens_turn = False
    for paragraph in document.paragraphs:
        text, markup = paragraph.text, paragraph.html
        marker = _find_marker(text, rules)
        if marker is not None:
            role, person = split_title(marker.label)
            turns.append(Turn(label=marker.label, speaker=person, role=role))
            text = marker.rest
            if markup is not None:
                markup = drop_leading_text(markup, marker.consumed)
            opens_turn = True
        if opens_turn and text:
            dash = _DASH.match(text)
            if dash:
                text = text[dash.end() :]
                if markup is not None:
                    markup = drop_leading_text(markup, dash.group(0))
            opens_turn = False
        if not text:
            continue
        paragraphs.append(
            replace(
                paragraph,
                n=len(paragraphs) + 1,
                text=text,
                html=markup,
                turn=len(turns) - 1 if turns else None,
            )
        )
    return replace(document, paragraphs=tuple(paragraphs), turns=tuple(turns))
