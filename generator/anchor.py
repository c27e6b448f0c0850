"""The anchor stage: a stable id for every paragraph, kept across edits by the ledger.

A new paragraph's id is a hash of its document's source name and its
normalised text, not of its position, so inserting, removing or moving other
paragraphs changes no id. On every build each document's paragraphs are
matched to its ledger rows, in the manner of TheyWorkForYou's gid redirects:

1. the same wording keeps its id;
2. the same words with other case or punctuation, or a few words changed,
   keep the id, and the earlier wording is kept in the ledger;
3. an old paragraph whose text is now spread over consecutive new ones was
   split; consecutive old ones now joined in one were merged;
4. anything left of the old was removed, and points to the paragraph that
   took its place.

Matching depends only on the seeds and the ledger, so every machine agrees.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable
from dataclasses import replace
from difflib import SequenceMatcher
from itertools import groupby
from operator import attrgetter

from .ledger import fingerprint
from .model import Document, Ledger, Row, Version

ID_LENGTH = 10  # base32 characters: 50 bits, so collisions are rare even at 100,000 paragraphs
SIMILAR = 0.75  # SequenceMatcher ratio above which an edited paragraph keeps its id
_WORD = re.compile(r"[^\W_]+")
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648's alphabet, in lower case
_PAIRS = [a + b for a in _BASE32 for b in _BASE32]
"""Every two base32 characters, by the ten bits they stand for."""
_SHIFTS = tuple(range(5 * ID_LENGTH - 10, -1, -10))  # an id is pairs of characters


def normalize(text: str) -> str:
    """The text with case, punctuation and spacing folded away: its words, by single spaces."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def text_id(document_key: str, text: str) -> str:
    """The id a paragraph's text gets in a given document: the first 50 bits of its hash, in
    lowercase base32 (the standard alphabet, as ``base64.b32encode`` gives it, which is
    written in Python and took twice as long)."""
    digest = hashlib.blake2b(f"{document_key}\x00{normalize(text)}".encode(), digest_size=8)
    bits = int.from_bytes(digest.digest(), "big") >> (64 - 5 * ID_LENGTH)
    return "".join([_PAIRS[bits >> shift & 1023] for shift in _SHIFTS])


def _ratio(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


class _Matcher:
    """Matches one document's paragraphs (by index) to its live ledger rows."""

    def __init__(self, texts: list[str], rows: list[Row]) -> None:
        self.texts = texts
        self.rows = sorted(rows, key=lambda r: (r.n, r.id))
        self.norms = [normalize(t) for t in texts] if rows else []  # nothing to match without rows
        self.row_norms = [normalize(r.text) for r in self.rows]
        self.match: dict[int, int] = {}  # paragraph index -> row index
        self.split: dict[int, list[int]] = {}  # row index -> paragraph indexes
        self.merged: dict[int, int] = {}  # row index -> paragraph index

    def free_rows(self) -> list[int]:
        used = set(self.match.values()) | set(self.split) | set(self.merged)
        return [i for i in range(len(self.rows)) if i not in used]

    def free_paragraphs(self) -> list[int]:
        return [i for i in range(len(self.texts)) if i not in self.match]

    def run(self) -> None:
        self._equal(lambda i: fingerprint(self.texts[i]), lambda r: self.rows[r].fingerprint)
        self._equal(lambda i: self.norms[i], lambda r: self.row_norms[r])
        self._similar()
        self._splits()
        self._merges()

    def _equal(self, key_p: Callable[[int], Hashable], key_r: Callable[[int], Hashable]) -> None:
        waiting: dict[Hashable, list[int]] = defaultdict(list)
        for r in self.free_rows():
            waiting[key_r(r)].append(r)
        for p in self.free_paragraphs():
            queue = waiting.get(key_p(p))
            if queue:
                self.match[p] = queue.pop(0)

    def _similar(self) -> None:
        pairs = []
        for p in self.free_paragraphs():
            for r in self.free_rows():
                ratio = _ratio(self.norms[p], self.row_norms[r])
                if ratio >= SIMILAR:
                    pairs.append((-ratio, abs(p - r), p, r))
        taken_p: set[int] = set()
        taken_r: set[int] = set()
        for _, _, p, r in sorted(pairs):
            if p not in taken_p and r not in taken_r:
                self.match[p] = r
                taken_p.add(p)
                taken_r.add(r)

    def _runs(self, items: list[int]) -> list[list[int]]:
        """Runs of 2 to 4 consecutive indexes among ``items``."""
        runs = []
        for start, first in enumerate(items):
            run = [first]
            for following in items[start + 1 : start + 4]:
                if following != run[-1] + 1:
                    break
                run.append(following)
                runs.append(list(run))
        return runs

    def _splits(self) -> None:
        for r in self.free_rows():
            for run in self._runs(self.free_paragraphs()):
                if any(p in self.match or any(p in s for s in self.split.values()) for p in run):
                    continue
                joined = " ".join(self.norms[p] for p in run)
                if _ratio(joined, self.row_norms[r]) >= SIMILAR:
                    self.split[r] = run
                    break

    def _merges(self) -> None:
        split_parts = {p for parts in self.split.values() for p in parts}
        for p in self.free_paragraphs():
            if p in split_parts:
                continue
            for run in self._runs(self.free_rows()):
                joined = " ".join(self.row_norms[r] for r in run)
                if _ratio(self.norms[p], joined) >= SIMILAR:
                    self.match[p] = run[0]
                    for r in run[1:]:
                        self.merged[r] = p
                    break


def _new_id(key: str, text: str, taken: set[str]) -> str:
    base = text_id(key, text)
    candidate, count = base, 1
    while candidate in taken:
        count += 1
        candidate = f"{base}-{count}"
    return candidate


def _unchanged(document: Document, live: list[Row], texts: list[str]) -> bool:
    """Whether the ledger already holds ``document`` as it is: the usual rebuild.

    Every paragraph then keeps its row as it stands, which is what matching
    would conclude, only without the matching.
    """
    return (
        len(live) == len(texts)
        and all(r.n == n and r.document == document.source for n, r in enumerate(live, start=1))
        and all(r.fingerprint == fingerprint(t) for r, t in zip(live, texts, strict=True))
    )


def _sharing(row: Row, text: str, source: str) -> Row:
    """``row``, holding ``text`` and ``source`` themselves where it holds equal strings: a
    row read from the ledger file would otherwise keep second copies of its paragraph's
    text and its document's name, in memory and in the build cache."""
    shared_text = text if row.text == text else row.text
    shared_source = source if row.document == source else row.document
    if shared_text is row.text and shared_source is row.document:
        return row
    return replace(row, text=shared_text, document=shared_source)


_NUMBER = attrgetter("n")  # of a row
_DOCUMENT = attrgetter("document")
_ID = attrgetter("id")


def _split(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """A document's retired rows, and its current rows in paragraph order."""
    dead = [r for r in rows if r.status != "current"]
    return dead, sorted((r for r in rows if r.status == "current"), key=_NUMBER)


def anchor_document(
    document: Document, rows: list[Row], taken: set[str], date: str | None
) -> tuple[Document, list[Row]]:
    """Give ``document``'s paragraphs their ids; return them with the document's new rows.

    ``rows`` are the document's rows in the ledger (all statuses); ``taken``
    holds every id issued anywhere, and grows with the ids issued here.
    """
    dead, live = _split(rows)
    texts = [p.text for p in document.paragraphs]
    if _unchanged(document, live, texts):
        live = [_sharing(r, t, document.source) for r, t in zip(live, texts, strict=True)]
        if all(p.id == r.id for p, r in zip(document.paragraphs, live, strict=True)):
            return document, dead + live  # anchored so by the last build, and cached
        paragraphs = tuple(
            replace(p, id=r.id) for p, r in zip(document.paragraphs, live, strict=True)
        )
        return replace(document, paragraphs=paragraphs), dead + live
    matcher = _Matcher(texts, live)
    if live:
        matcher.run()
    ids: list[str] = []
    for index, paragraph in enumerate(document.paragraphs):
        if index in matcher.match:
            ids.append(matcher.rows[matcher.match[index]].id)
        else:
            ids.append(_new_id(document.source, paragraph.text, taken))
            taken.add(ids[-1])
    result = list(dead)
    for index, paragraph in enumerate(document.paragraphs):
        fp = fingerprint(paragraph.text)
        if index in matcher.match:
            old = matcher.rows[matcher.match[index]]
            if old.fingerprint == fp:
                result.append(replace(_sharing(old, paragraph.text, document.source), n=index + 1,
                                      document=document.source))  # fmt: skip
            else:
                history = (*old.history, Version(old.fingerprint, old.text, date))
                result.append(
                    replace(
                        old,
                        n=index + 1,
                        document=document.source,
                        fingerprint=fp,
                        text=paragraph.text,
                        date=date,
                        history=history,
                    )
                )
        else:
            result.append(
                Row(ids[index], document.source, index + 1, fp, paragraph.text, date=date)
            )
    retired = [
        *((r, "split", tuple(ids[p] for p in parts)) for r, parts in matcher.split.items()),
        *((r, "merged", (ids[p],)) for r, p in matcher.merged.items()),
        *((r, "removed", _successor(matcher.rows[r], matcher, ids)) for r in matcher.free_rows()),
    ]
    for r, status, successors in retired:
        result.append(
            replace(
                matcher.rows[r],
                document=document.source,
                status=status,
                date=date,
                successors=successors,
            )
        )
    paragraphs = tuple(replace(p, id=ids[i]) for i, p in enumerate(document.paragraphs))
    return replace(document, paragraphs=paragraphs), result


def _successor(row: Row, matcher: _Matcher, ids: list[str]) -> tuple[str, ...]:
    """The paragraph that now stands where a removed one stood: the next survivor, or the last."""
    survivors = sorted((matcher.rows[r].n, ids[p]) for p, r in matcher.match.items())
    following = [i for n, i in survivors if n > row.n]
    preceding = [i for n, i in survivors if n < row.n]
    if following:
        return (following[0],)
    return (preceding[-1],) if preceding else ()


def _moved(documents: list[Document], rows_of: dict[str, list[Row]]) -> dict[str, str]:
    """New source name -> old one, for documents renamed on disk (most of their wording kept)."""
    present = {d.source for d in documents}
    orphans = {s: {r.fingerprint for r in rs} for s, rs in rows_of.items() if s not in present}
    moved: dict[str, str] = {}
    for document in documents:
        if document.source in rows_of or not orphans or not document.paragraphs:
            continue
        prints = {fingerprint(p.text) for p in document.paragraphs}
        best = max(sorted(orphans), key=lambda s: len(prints & orphans[s]))
        if len(prints & orphans[best]) * 2 >= len(prints):
            moved[document.source] = best
            del orphans[best]
    return moved


def anchor(
    documents: list[Document],
    ledger: Ledger,
    date: str | None,
    settled: Collection[str] = (),
) -> tuple[list[Document], Ledger]:
    """Assign every paragraph id, matching against the ledger; return the updated ledger.

    ``settled`` names documents that are, with their rows in ``ledger``, as
    the last build's anchor stage left them (the build's cache knows): their
    ids already hold, and they are not checked again.
    """
    rows_of: dict[str, list[Row]] = defaultdict(list)
    for source, together in groupby(ledger.rows, key=_DOCUMENT):  # as a rule, all of its rows
        rows_of[source].extend(together)
    taken = set(map(_ID, ledger.rows))
    moved = _moved(documents, rows_of)
    anchored: list[Document] = []
    rows: list[Row] = []
    for document in sorted(documents, key=lambda d: d.source):
        source_rows = rows_of.pop(moved.get(document.source, document.source), [])
        if document.source in settled:  # its rows as they are: the ledger file's order, which
            done, new_rows = document, source_rows  # spares sorting them there again
        else:
            done, new_rows = anchor_document(document, source_rows, taken, date)
        anchored.append(done)
        rows.extend(new_rows)
    for vanished in rows_of.values():  # documents no longer in the seeds
        rows.extend(
            r if r.status != "current" else replace(r, status="removed", date=date)
            for r in vanished
        )
    renamed = {old: new for new, old in moved.items()}
    paths = {renamed.get(source, source): known for source, known in ledger.paths.items()}
    order = {d.source: i for i, d in enumerate(documents)}
    anchored.sort(key=lambda d: order[d.source])
    return anchored, Ledger(tuple(rows), paths)
