"""The attribution stage: who says each paragraph.

Speaker markers open turns; a paragraph without a marker continues the
current turn, and text before the first marker is narration. Each marker rule
is a small named function, tried in order (as Python-Markdown's processors),
so a rule can be tested alone and a new convention is one more entry. What a
label means (role, person) is :mod:`generator.names`; resolving short forms
and roles within the document and against the registry happens here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from .markup import drop_leading_text
from .model import Document, Paragraph, Turn
from .names import (
    CONNECTORS,
    HONORIFICS,
    TITLE_WORDS,
    LabelReading,
    is_anonymous,
    person_key,
    read_label,
    strip_annotations,
)
from .people import Registry


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

_PRONOUNS = frozenset(
    """
    i we he she they you it who this that there here what
    """.split()
)
_ABBREVIATION = re.compile(
    r"\b(?:(?i:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Col|Lt|Sen|Rep|Gov|No)|[A-Z])\."
)
_SENTENCE_MARK = re.compile(r"[!?;\"“”«»]|\.(?=\s|$)")
# Lower-case words that make a phrase a sentence, not a role: "The message reads".
_VERBS = frozenset(
    """
    is are was were be been being has have had will would shall should can could may might
    must do does did reads read says said say visited viewed look looks want think know
    awarded issued entitled provides indicated attend took take takes held listen writes
    wrote asks asked regards applies
    """.split()
)
# Single capitalised words that head a list or a section rather than name a speaker.
_HEADINGS = frozenset(
    """
    first second third fourth fifth finally next then note example update subject attention
    warning conclusion summary result results total source agenda topic venue date time
    place location address contact contacts email phone tel fax website programme program
    schedule background objective objectives purpose recommendation recommendations quote
    """.split()
)
_SAID = re.compile(r"^(?P<label>[^:]{1,150}?)\s+said\s*:\s*")
_COLON = re.compile(r"^(?P<label>[^:]{1,150}?)\s*:(?=\s|$|[^\d\s/])\s*")
_SHORT_NAME = re.compile(r"^[A-Z][\w'’-]+(?:\s+[A-Z][\w.'’-]*){1,3}\.?$")
_BARE_Q = re.compile(r"^Q\.?\s+(?=\S)")
_STAGE = re.compile(r"^\s*(?:\([^()]{1,80}\)|\[[^\[\]]{1,80}\])\.?\s*$")


def _role_only(words: list[str]) -> bool:
    lowered = [w.lower().strip(",") for w in words]
    return any(w in TITLE_WORDS for w in lowered) and all(
        w in TITLE_WORDS | CONNECTORS | HONORIFICS for w in lowered
    )


def looks_like_label(label: str) -> bool:
    """Whether text before a colon names a speaker rather than opening a list or heading.

    "Taking part in the meeting were", "Contact telephone numbers" and "The
    main activities on the agenda (…)" are not labels; "Vladimir Putin",
    "THE PRESIDENT", "Mr. ADODO (Togo)" and "Question" are.
    """
    bare = re.sub(r"\s*\([^()]*\)", "", strip_annotations(label)).strip()
    if not bare or _SENTENCE_MARK.search(_ABBREVIATION.sub("", bare)):
        return False
    words = bare.split()
    if len(words) > 20 or any(w.lower() in _PRONOUNS | _VERBS for w in words):
        return False
    if is_anonymous(label):
        return True
    first = words[0]
    if not (first[:1].isupper() or first.lower() in TITLE_WORDS):
        return False
    if _role_only(words):
        return True
    reading = read_label(label)
    if reading.person is None:
        return False
    name_words = reading.person.split()
    if len(words) == 1 and words[0].lower() in _HEADINGS:
        return False
    if "," in bare and len(bare.partition(",")[0].split()) < 2:
        return False  # "Hence, the question": a sentence, not "Name, role"
    folded = [w.lower() for w in words]
    at = next(
        (
            i
            for i in range(len(words))
            if folded[i : i + len(name_words)] == [w.lower() for w in name_words]
        ),
        len(words) - len(name_words),
    )
    role_words = words[:at]
    if (
        len(name_words) == 1
        and role_words
        and role_words[-1].lower() not in TITLE_WORDS | HONORIFICS
    ):
        return False  # one name word must follow a title: "Minister Shoigu", "Mr. ADODO"
    lowercase = [
        w for w in role_words if not w[:1].isupper() and w.lower() not in CONNECTORS | TITLE_WORDS
    ]
    return len(lowercase) <= 5


def said_marker(text: str) -> Marker | None:
    """``President Ilham Aliyev said:``, alone on its line or followed by the speech."""
    match = _SAID.match(text)
    if match is None or not looks_like_label(match.group("label")):
        return None
    return Marker(match.group("label").strip(), match.group(0), text[match.end() :])


def colon_marker(text: str) -> Marker | None:
    """``Vladimir Putin: …``, ``THE PRESIDENT: …``, ``Question (retranslated): …``."""
    match = _COLON.match(text)
    if match is None or not looks_like_label(match.group("label")):
        return None
    rest = text[match.end() :]
    if _role_only(match.group("label").split()) and _SHORT_NAME.match(rest):
        return None  # "Minister of Defence: Sergei Shoigu." is a list entry, not a turn
    return Marker(match.group("label").strip(), match.group(0), text[match.end() :])


def bare_q_marker(text: str) -> Marker | None:
    """A bare ``Q`` opening a paragraph, as in White House press briefings."""
    match = _BARE_Q.match(text)
    if match is None:
        return None
    return Marker("Q", match.group(0), text[match.end() :])


MARKER_RULES: tuple[MarkerRule, ...] = (said_marker, colon_marker, bare_q_marker)

_DASH = re.compile(r"^[-–—]\s+")


def find_marker(text: str, rules: tuple[MarkerRule, ...] = MARKER_RULES) -> Marker | None:
    """The first rule's marker at the start of ``text``, or None."""
    for rule in rules:
        marker = rule(text)
        if marker is not None:
            return marker
    return None


class _Resolver:
    """Who a label names, given the labels before it in the same document."""

    def __init__(self, document: Document, registry: Registry | None) -> None:
        self.document = document
        self.registry = registry
        self.people: dict[str, tuple[str, str | None]] = {}  # person key -> (name, role)

    def turn(self, label: str) -> Turn:
        reading = read_label(label)
        if self.registry is not None:
            for candidate in (strip_annotations(label), reading.person):
                known = candidate and self.registry.lookup(candidate, self.document.date)
                if known:
                    reading = LabelReading(role=reading.role or known.role, person=known.name)
                    break
        if reading.anonymous:
            return Turn(label=label, anonymous=True)
        if reading.person is None:
            return Turn(label=label, speaker=self._role_holder(reading.role), role=reading.role)
        name = self._known(reading.person)
        role = reading.role
        if role is None and person_key(name) in self.people:
            role = self.people[person_key(name)][1]
        if person_key(name) not in self.people or reading.role:
            self.people[person_key(name)] = (name, role)
        return Turn(label=label, speaker=name, role=role)

    def _known(self, person: str) -> str:
        """A short form ("Putin") resolved to a full name seen before ("Vladimir Putin")."""
        key = person_key(person)
        if key in self.people:
            return self.people[key][0]
        if len(person.split()) == 1:
            matches = {
                name
                for name, _ in self.people.values()
                if key in (person_key(w) for w in name.split()[1:])
            }
            if len(matches) == 1:
                return matches.pop()
        return person

    def _role_holder(self, role: str | None) -> str | None:
        """The one person this document or the registry says holds ``role``."""
        if role is None:
            return None
        wanted = re.sub(r"^the\s+", "", role.casefold())
        holders = {
            name
            for name, held in self.people.values()
            if held and re.sub(r"^the\s+", "", held.casefold()) == wanted
        }
        if len(holders) == 1:
            return holders.pop()
        if self.registry is not None:
            return self.registry.holder(wanted, self.document.date)
        return None


def attribute(
    document: Document,
    registry: Registry | None = None,
    rules: tuple[MarkerRule, ...] = MARKER_RULES,
) -> Document:
    """Split ``document`` into turns; renumber its paragraphs without the marker lines."""
    resolver = _Resolver(document, registry)
    turns: list[Turn] = []
    paragraphs: list[Paragraph] = []
    opens_turn = False
    for paragraph in document.paragraphs:
        text, markup = paragraph.text, paragraph.html
        stage = bool(_STAGE.match(text))
        marker = None if stage else find_marker(text, rules)
        if marker is not None:
            turns.append(
                replace(resolver.turn(marker.label), line=paragraph.line, marker=marker.consumed)
            )
            text = marker.rest
            if markup is not None:
                markup = drop_leading_text(markup, marker.consumed)
            opens_turn = True
        if opens_turn and text and not stage:
            dash = _DASH.match(text)
            if dash:
                text = text[dash.end() :]
                if turns:
                    turns[-1] = replace(turns[-1], marker=turns[-1].marker + dash.group(0))
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
                stage=stage,
                turn=len(turns) - 1 if turns else None,
            )
        )
    return replace(document, paragraphs=tuple(paragraphs), turns=tuple(turns))
