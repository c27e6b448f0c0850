"""The speaker index (part of the link stage): one person across the archive.

Turns name people in many ways ("President of Russia Vladimir Putin",
"Vladimir Putin", "VladimirPutin"); here they become one speaker with one
page. Known speakers named in any paragraph are found as mentions, which
link to their page and add the title the text gives them ("the Minister of
Defense of the Russian Federation Sergei Shoigu") to their roles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from .model import Document, DocumentPage, Mention, Paragraph, RoleSpan, Speaker, Utterances
from .names import CONNECTORS, TITLE_WORDS, person_key
from .slugs import slugify

_WORD = re.compile(r"[\w’'.-]+")


@dataclass
class _Person:
    spellings: Counter[str] = field(default_factory=Counter)
    roles: dict[str, list[dt.date]] = field(default_factory=lambda: defaultdict(list))
    labelled: set[str] = field(default_factory=set)  # roles given by a turn's label
    said: dict[str, list[Paragraph]] = field(default_factory=lambda: defaultdict(list))
    mentioned: dict[str, None] = field(default_factory=dict)  # page paths, in page order
    words: int = 0

    def add_role(self, role: str, date: dt.date | None, labelled: bool) -> None:
        role = " ".join(role.split())
        if date is not None:
            self.roles[role].append(date)
        else:
            self.roles.setdefault(role, [])
        if labelled:
            self.labelled.add(role)


def _merge_keys(names: list[str], key_of: dict[str, str]) -> dict[str, str]:
    """Map each person key to the key it stands for; ``names`` holds one entry per turn.

    "Duma Sergei Mironov", where the title split kept a word too many, is
    "Sergei Mironov" when that shorter name is itself a speaker; "Putin" and
    "V. Putin" are the one full name in the archive they can stand for.
    """
    keys = {key_of[n]: n for n in names}
    turns = Counter(map(key_of.__getitem__, names))
    merged = {}
    for key, name in keys.items():
        words = name.split()
        target = key
        while len(words) > 2 and person_key(" ".join(words[1:])) in keys:
            words = words[1:]
            target = person_key(" ".join(words))
        merged[key] = target
    # "Putin" or "V. Putin": the one full name in the archive it can be.
    full = [(n.split(), k) for k, n in keys.items() if len(n.split()) >= 2 and merged[k] == k]
    for key, name in keys.items():
        short = re.sub(r"\b([A-Z])\.\s*", r"\1. ", name).split()
        if len(short) > 2 or (len(short) == 2 and not re.fullmatch(r"[A-Z]\.", short[0])):
            continue
        surname = person_key(short[-1])
        initial = short[0][0] if len(short) == 2 else ""
        matches = {
            k
            for words, k in full
            if person_key(words[-1]) == surname and words[0].startswith(initial) and k != key
        }
        # Among several ("Vladimir Putin", and a misspelt "Vladmir Putin"), only a name
        # that carries nine in ten of their turns is taken.
        best = max(sorted(matches), key=lambda k: turns[k], default=None)
        if best is not None and turns[best] >= 0.9 * sum(turns[k] for k in matches):
            merged[key] = best
    return merged


def _mention_role(text: str, tokens: list[re.Match[str]], at: int) -> str | None:
    """The title written just before a name: "the Minister of Defense of … Sergei Shoigu"."""
    start = at
    while start > 0:
        word = tokens[start - 1].group(0)
        if not (word[:1].isupper() or word.lower() in CONNECTORS):
            break
        start -= 1
    while start < at and tokens[start].group(0).lower() in CONNECTORS:
        start += 1
    if start == at or tokens[start].group(0).lower() not in TITLE_WORDS:
        return None
    return text[tokens[start].start() : tokens[at].start()].strip(" ,")


Found = list[tuple[int, int, str, str | None]]
"""Mentions in one text: (start, end, person key, role written before it)."""

Scan = tuple[tuple[tuple[int, Found], ...], tuple[int, ...]]
"""What one document's texts give the speaker index: (index, mentions) for each text that
names someone, and the number of words of each text."""


@dataclass
class MentionMemo:
    """The mentions (and words) an earlier build found, by document, for as long as the names
    are the same.

    Finding mentions is most of the link stage's time; a document whose text
    has not changed has the same mentions when the names to find have not.
    """

    names: str = ""  # digest of the names looked for
    found: dict[str, Scan] = field(default_factory=dict)
    """By the digest of a document's texts (see :meth:`MentionFinder.key`), or of what it was
    read from."""


class MentionFinder:
    """Finds known full names (two words or more) in text, in one pass over its words."""

    def __init__(self, names: dict[str, str]) -> None:  # spelling -> person key
        self.names = names
        self.signature = hashlib.blake2b(repr(sorted(names.items())).encode()).hexdigest()
        self.by_first: dict[str, list[tuple[list[str], str]]] = defaultdict(list)
        for spelling, key in names.items():
            words = [w.lower() for w in spelling.split()]
            if len(words) >= 2:
                self.by_first[words[0]].append((words, key))
        for candidates in self.by_first.values():
            candidates.sort(key=lambda c: -len(c[0]))

    def find(self, text: str) -> Found:
        """(start, end, person key, role written before it) for each mention in ``text``."""
        tokens = list(_WORD.finditer(text))
        lowered = [t.group(0).lower().rstrip(".") for t in tokens]
        found = []
        index = 0
        while index < len(tokens):
            for words, key in self.by_first.get(lowered[index], ()):
                if lowered[index : index + len(words)] == words:
                    end = tokens[index + len(words) - 1].end()
                    if text[end - 1] == ".":
                        end -= 1
                    role = _mention_role(text, tokens, index)
                    found.append((tokens[index].start(), end, key, role))
                    index += len(words) - 1
                    break
            index += 1
        return found

    def key(self, texts: list[str]) -> str:
        """What a document's mentions are kept under in a :class:`MentionMemo`: the digest of
        its texts, unless the caller knows a digest of what they were read from."""
        hashed = hashlib.blake2b(digest_size=16)
        for text in texts:
            hashed.update(text.encode())
            hashed.update(b"\0")
        return f"texts:{hashed.hexdigest()}"

    def scan(self, texts: list[str]) -> Scan:
        """(index, mentions) for each of ``texts`` that names someone; the words of each."""
        found = tuple((i, found) for i, text in enumerate(texts) if (found := self.find(text)))
        return found, tuple(len(text.split()) for text in texts)

    def find_all(
        self,
        paragraphs: Sequence[Paragraph],
        memo: MentionMemo,
        kept: MentionMemo,
        key: str | None = None,
    ) -> Scan:
        """The mentions in ``paragraphs`` (one document's) and their words, from ``memo`` if
        it has them under ``key`` (by default :meth:`key` of their texts); they are kept in
        ``kept``. The texts are gathered only if they must be looked at."""
        if key is None:
            key = self.key([paragraph.text for paragraph in paragraphs])
        known = memo.found.get(key) if memo.names == self.signature else None
        if known is None:
            known = self.scan([paragraph.text for paragraph in paragraphs])
        kept.found[key] = known
        return known


def _spellings(documents: Iterable[Document]) -> list[str]:
    """Every speaker label's name, one per turn."""
    return [t.speaker for d in documents for t in d.turns if t.speaker and not t.anonymous]


def _person_keys(spellings: list[str]) -> dict[str, str]:
    """Each spelling of a name (``spellings`` holds one a turn) -> the key of the person it
    names, merged as :func:`_merge_keys` says; each spelling is keyed once, not once a turn."""
    key_of = {spelling: person_key(spelling) for spelling in dict.fromkeys(spellings)}
    merged = _merge_keys(spellings, key_of)
    return {spelling: merged[key] for spelling, key in key_of.items()}


def mention_finder(documents: Iterable[Document]) -> MentionFinder:
    """What :func:`index_speakers` looks for in these documents: every speaker's names.

    A build uses it to fill a :class:`MentionMemo` in several processes first.
    """
    return MentionFinder(_person_keys(_spellings(documents)))


def index_speakers(
    pages: tuple[DocumentPage, ...],
    memo: MentionMemo | None = None,
    keys: Mapping[str, str] | None = None,
    finder: MentionFinder | None = None,
) -> tuple[tuple[DocumentPage, ...], tuple[Speaker, ...]]:
    """Build every speaker, and give each page its turn links and mentions.

    ``memo`` holds the mentions an earlier call found; it is brought up to
    date, and keeps only the documents of this call. ``keys`` holds, by
    source, a digest of everything a document's texts are made from: the
    memo keeps mentions under it (see :meth:`MentionFinder.key`). ``finder``
    is :func:`mention_finder` of these pages' documents, if the caller has
    made it already.
    """
    keys = keys or {}
    finder = finder or mention_finder(p.document for p in pages)
    person_of = finder.names
    memo = memo if memo is not None else MentionMemo()
    kept = MentionMemo(finder.signature)
    people: dict[str, _Person] = defaultdict(_Person)
    found_in = []
    for page in pages:
        document = page.document
        in_texts, words = finder.find_all(
            document.paragraphs, memo, kept, keys.get(document.source)
        )
        found_in.append(in_texts)
        by_turn: dict[int, list[int]] = defaultdict(list)  # paragraph indexes
        for index, paragraph in enumerate(document.paragraphs):
            if paragraph.turn is not None and not paragraph.stage:
                by_turn[paragraph.turn].append(index)
        for index, turn in enumerate(document.turns):
            if turn.speaker is None or turn.anonymous:
                continue
            person = people[person_of[turn.speaker]]
            person.spellings[turn.speaker] += 1
            if turn.role:
                person.add_role(turn.role, document.date, labelled=True)
            spoken = by_turn.get(index, [])
            person.said[page.path].extend(map(document.paragraphs.__getitem__, spoken))
            person.words += sum(map(words.__getitem__, spoken))

    names = {max(sorted(p.spellings), key=lambda s: p.spellings[s]): k for k, p in people.items()}
    paths = _speaker_paths(names)
    linked_pages = []
    for page, found_here in zip(pages, found_in, strict=True):
        document = page.document
        mentions: list[tuple[str, tuple[Mention, ...]]] = []
        for index, found in found_here:  # only the paragraphs that name someone, in order
            for _, _, key, role in found:
                people[key].mentioned[page.path] = None
                if role:
                    people[key].add_role(role, document.date, labelled=False)
            mentioned = tuple(Mention(s, e, paths[k]) for s, e, k, _ in found)
            mentions.append((document.paragraphs[index].id, mentioned))
        speaker_paths = tuple(
            paths[person_of[t.speaker]] if t.speaker and not t.anonymous else None
            for t in document.turns
        )
        # made whole, not by ``dataclasses.replace``, which took a tenth of this function's time
        linked_pages.append(DocumentPage(document, page.path, page.previous, page.following,
                                         speaker_paths, tuple(mentions)))  # fmt: skip
    memo.names, memo.found = kept.names, kept.found
    by_path = {page.path: page for page in linked_pages}
    order = {page.path: index for index, page in enumerate(linked_pages)}
    speakers = []
    for name, key in sorted(names.items(), key=lambda item: (item[0].casefold(), item[1])):
        person = people[key]
        said = tuple(
            Utterances(by_path[path], tuple(sorted(paragraphs, key=_NUMBER)))
            for path, paragraphs in sorted(person.said.items(), key=lambda item: order[item[0]])
        )
        speakers.append(
            Speaker(
                name=name,
                path=paths[key],
                roles=_role_spans(person.roles, person.labelled),
                said=said,
                mentioned_in=tuple(by_path[path] for path in person.mentioned),
                words=person.words,
            )
        )
    return tuple(linked_pages), tuple(speakers)


_NUMBER = attrgetter("n")  # of a paragraph


def _speaker_paths(names: dict[str, str]) -> dict[str, str]:
    paths: dict[str, str] = {}
    taken: set[str] = set()
    for name, key in sorted(names.items(), key=lambda item: item[1]):
        base = slugify(name)
        slug, count = base, 1
        while slug in taken:
            count += 1
            slug = f"{base}-{count}"
        taken.add(slug)
        paths[key] = f"speakers/{slug}/"
    return paths


def _role_spans(roles: dict[str, list[dt.date]], labelled: set[str]) -> tuple[RoleSpan, ...]:
    """Roles in time order, those the speaker's own labels give before those of mentions."""
    spans = [
        RoleSpan(role, min(d) if d else None, max(d) if d else None) for role, d in roles.items()
    ]
    return tuple(
        sorted(spans, key=lambda s: (s.role not in labelled, s.first or dt.date.max, s.role))
    )
