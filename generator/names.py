"""What a speaker label says: who, in what role, or an anonymous voice.

"President of the Republic of Azerbaijan Ilham Aliyev" is the person "Ilham
Aliyev" in the role "President of the Republic of Azerbaijan"; "THE
PRESIDENT" is a role with no person; "Question (retranslated)" is an
anonymous questioner. These rules read one label alone; the attribution stage
resolves short forms and roles against the rest of the document.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Words that name an office or a title, never a person.
TITLE_WORDS = frozenset(
    """
    president vice-president minister prime deputy first vice chairman chairwoman
    chairperson chair co-chair secretary general secretary-general governor mayor ambassador
    director director-general head chief ceo cfo coo founder co-founder executive officer
    manager defense defence foreign affairs federal chancellor king queen prince princess
    emperor premier speaker senator commander acting patriarch metropolitan archbishop
    bishop majesty highness excellency sheikh emir sultan crown state council representative
    spokesman spokeswoman spokesperson press aide adviser advisor assistant envoy special
    commissioner ombudsman moderator host presenter anchor correspondent reporter journalist
    editor editor-in-chief member delegate leader rector dean professor dr dr. judge justice
    general colonel lieutenant major captain admiral marshal sergeant officer corporal
    private lt lt. gen gen. col col. maj maj. capt capt. sgt sgt. adm adm. cpl cpl. coach
    counsellor counselor operator rabbi imam mufti priest father teacher pupil student
    doctor nurse pilot worker employee resident guest farmer engineer volunteer
    """.split()
)
HONORIFICS = frozenset(
    {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "sir", "madam", "m.", "mme"}
)
# Words of places and institutions: part of a role, never of a person's name.
NOT_NAMES = frozenset(
    """
    region territory republic oblast krai city district province state county duma assembly
    parliament council committee ministry government federation union corporation agency
    service bank fund party forum academy university company group centre center commission
    board court office institute foundation association society chamber
    """.split()
)
CONNECTORS = frozenset({"of", "the", "for", "and", "on", "in", "at", "to", "&"})
NAME_PARTICLES = frozenset(
    {"al", "el", "bin", "ibn", "de", "da", "del", "der", "van", "von", "la", "le", "du", "y"}
)
ANONYMOUS = frozenset(
    """
    q question questions answer a remark remarks reply response comment voice voices
    audience participant participants speaker unidentified interpreter interpretation
    off-mic inaudible crosstalk volunteers journalists students pupils residents all
    operator presenter volunteer moderator caller viewer correspondent reporter
    """.split()
)
_ANNOTATION = re.compile(
    r"\s*\((?:re-?translated|translated(?: from [\w-]+)?|translation|through (?:an )?interpreter|"
    r"(?:spoke|speaks|speaking) in [\w-]+|interpretation(?: from [\w-]+)?|in [A-Z][\w-]+|"
    r"via (?:an )?interpreter|off[- ]mic(?:rophone)?|inaudible)\)",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\s*\(([^()]*)\)")
_ANONYMOUS_LABEL = re.compile(
    r"^(?:" + "|".join(sorted(ANONYMOUS, key=len, reverse=True)) + r")\b(?:\s+from\b.*)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LabelReading:
    """One label read alone: the role and person it names, or that it names nobody."""

    role: str | None
    person: str | None
    anonymous: bool = False


def strip_annotations(label: str) -> str:
    """The label without "(retranslated)", "(spoke in French)" and the like."""
    return " ".join(_ANNOTATION.sub("", label).split())


def _is_upper(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and not _ROMAN.match(word)


_PLACE_LINKS = frozenset({"on", "upon", "am", "sur", "na"})
_ROMAN = re.compile(r"^[IVX]+$")


def _name_case(word: str) -> str:
    """ "BIRX" -> "Birx", "MCENANY" -> "Mcenany": labels in capitals name people in title case."""
    if _ROMAN.match(word):
        return word
    return "-".join(part.capitalize() for part in word.split("-"))


def is_anonymous(label: str) -> bool:
    """Whether the label is a questioner or voice, not a person: "Question", "Q", "Remark"."""
    return bool(_ANONYMOUS_LABEL.match(_PAREN.sub("", label).strip().rstrip(".")))


def is_title_word(word: str) -> bool:
    """ "Minister", "Lt.", "Major-General": a word of a role, never of a name."""
    lower = word.lower().rstrip(",")
    return lower in TITLE_WORDS or all(part in TITLE_WORDS for part in lower.split("-"))


def _is_name_word(word: str, previous: str) -> bool:
    lower = word.lower().rstrip(",")
    if is_title_word(word):
        return False
    if lower in NAME_PARTICLES or lower.split("-")[0] in NAME_PARTICLES:
        return True
    if not word[:1].isupper() or lower in TITLE_WORDS | HONORIFICS | CONNECTORS | NOT_NAMES:
        return False
    if any(part in _PLACE_LINKS for part in word.split("-")[1:]):
        return False  # "Rostov-on-Don" is a place
    # A word right after "of" belongs to the role: "President of Azerbaijan".
    return previous.lower() not in CONNECTORS


def read_label(label: str) -> LabelReading:
    """Split a label into role and person; see the module docstring for examples."""
    text = strip_annotations(label)
    if is_anonymous(text):
        return LabelReading(role=None, person=None, anonymous=True)
    delegation = None
    paren = _PAREN.search(text)
    if paren and text.endswith(")"):  # "Mr. ADODO (Togo)": the delegation is part of the role
        delegation = paren.group(1).strip()
        text = text[: paren.start()].strip()
    if "," in text:  # "Yevgeny Rozhkov, reporter at VGTRK"
        name_part, _, description = text.partition(",")
        reading = read_label(name_part)
        if reading.person is not None and reading.role is None:
            return LabelReading(role=description.strip() or None, person=reading.person)
        if any(
            not w[:1].isupper() and w.lower() not in CONNECTORS and not is_title_word(w)
            for w in name_part.split()
        ):
            return LabelReading(role=text, person=None)  # "Following the talks, the President …"
        head, _, last = text.rpartition(",")
        reading = read_label(last)  # "Panel moderator, NBC host Megyn Kelly"
        if reading.person is not None and len(reading.person.split()) >= 2:
            combined = ", ".join(p for p in (head.strip(), reading.role) if p)
            return LabelReading(role=combined or None, person=reading.person)
    capitals = all(
        _is_upper(w) or not any(c.isalpha() for c in w)
        for w in text.split()
        if w.lower() not in CONNECTORS
    ) and any(_is_upper(w) for w in text.split())
    words = text.split()
    start = len(words)
    given = 0  # name words other than particles: a person has at most three
    while start > 0 and given < 3:
        previous = words[start - 2] if start >= 2 else ""
        if not _is_name_word(words[start - 1], previous):
            break
        start -= 1
        given += words[start].lower() not in NAME_PARTICLES
    person_words = words[start:]
    # Leading honorifics are dropped; particles alone are no name.
    role_words = [w for w in words[:start] if w.lower() not in HONORIFICS]
    if all(w.lower() in NAME_PARTICLES for w in person_words):
        person_words, role_words = [], words
    if capitals or any(_is_upper(w) for w in person_words):
        person_words = [_name_case(w) if _is_upper(w) else w for w in person_words]
        role_words = [w.title() if _is_upper(w) else w for w in role_words]
    role: str | None = " ".join(role_words).strip(" ,") or None
    if " of " in text:  # "King Abdullah II of Jordan", "Patriarch Kirill of Moscow and All Russia"
        head, _, place = text.partition(" of ")
        reading = read_label(head)
        if reading.person is not None and reading.role is not None:
            return LabelReading(role=f"{reading.role} of {place}", person=reading.person)
    if role and delegation:
        role = f"{role} ({delegation})"
    elif delegation:
        role = delegation
    return LabelReading(role=role, person=" ".join(person_words) or None)


@functools.cache  # a few thousand names, asked for once a turn
def person_key(name: str) -> str:
    """The key that makes one person of "Vladimir Putin", "VladimirPutin" and "VLADIMIR PUTIN"."""
    return "".join(c for c in name.casefold() if c.isalnum())
