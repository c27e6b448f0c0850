"""What one build leaves for the next, so a rebuild redoes only what changed.

The cache sits in the user's cache folder (``$XDG_CACHE_HOME/podium/``, by
default ``~/.cache/podium/``), one folder per output path: never in the output,
which is published, nor beside it, where Podium writes nothing. It holds these
files and folders:

- ``state.pickle``: the fingerprint of every input of the last build, the
  manifest of the site it wrote, and its summary. When the fingerprint is
  unchanged the site is already what a build would write, and nothing is done.
- ``shards/``: each transcript as read, attributed, dated and anchored, keyed
  by its source name and the hash of its bytes, so a rebuild reads again only
  the files that changed (and the anchor stage checks the ids against the
  ledger); with its rows of the anchor ledger as the last build wrote it. They
  are spread over 64 files by name, and a rebuild writes only the files whose
  documents or rows changed (see :class:`Cached`).
- ``ledger.pickle``: the rest of that ledger (see
  :class:`~generator.ledger.Text`), so that the next build need not parse it.
- ``link.pickle``: what the link stage found in each document's text: the
  speakers it names and where its dated sentences are (see
  :class:`~generator.link.LinkMemo`).
- ``memo.pickle``: what each file of the short-link map and each year of the
  timeline were made from (see :class:`Memo`), so that the next build looks
  again only at those of changed documents.
- ``timeline.pickle``: where each event is in the site's ``data/timeline.json``,
  so that the next build copies the events of unchanged transcripts from it.
- ``templates/``: the templates, compiled (see :func:`compiled_templates`).
- ``site/``: the site the last build replaced, which the next build starts
  from (see :class:`~generator.write.Staging`).

Every key includes the hash of Podium's own code: a new version starts afresh.
A cache that cannot be read is ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import operator
import os
import pickle
import shutil
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

from .ledger import Text
from .link import LinkMemo
from .model import Document, Ledger, Problem, Row
from .opendata import Spans
from .permalinks import ShardsMade
from .render import ListingsMade, SpeakersMade, YearsMade
from .write import Manifest, digest

_CODE = Path(__file__).resolve().parent


def _files_digest(folder: Path, pattern: str) -> str:
    hashed = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob(pattern)):
        if path.is_file():
            hashed.update(path.relative_to(folder).as_posix().encode() + b"\0")
            hashed.update(path.read_bytes())
    return hashed.hexdigest()


CODE_DIGEST = _files_digest(_CODE, "*.py")
"""The hash of Podium's own modules: any change to them invalidates every cache."""


def folder_digest(folder: Path) -> str:
    """The hash of every file under ``folder``, names and bytes."""
    return _files_digest(folder, "*") if folder.is_dir() else ""


def file_digest(path: Path) -> str:
    """The hash of one file's bytes; empty if it is absent or unreadable."""
    try:
        return digest(path.read_bytes())
    except OSError:
        return ""


def compiled_templates(out: Path) -> Path | None:
    """The folder where the builds of ``out`` keep their templates compiled, made if need be;
    None if it cannot be.

    Jinja2 names each file by the template's name and checks the source it was
    compiled from. The folder is named by Podium's code, which sets how
    templates compile; those of other versions are removed.
    """
    parent = folder_for(out) / "templates"
    folder = parent / CODE_DIGEST[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in parent.iterdir():
            if stale != folder:
                shutil.rmtree(stale, ignore_errors=True)
    except OSError:
        return None
    return folder


@dataclass
class State:
    """The last build, as far as the next one needs it."""

    inputs: str = ""
    manifest: Manifest = field(default_factory=dict)
    documents: int = 0
    paragraphs: int = 0
    problems: list[Problem] = field(default_factory=list)
    rendered: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    """Each transcript page's path -> (the digest of its inputs, the files it wrote)."""
    outputs: dict[str, str] = field(default_factory=dict)
    """Each other file made from views -> the digest of its inputs (see ``render.Output``)."""
    spare: Manifest = field(default_factory=dict)
    """The site the last build replaced, kept in this folder as ``site/`` (``write.Staging``)."""
    hashes: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    """Each transcript's size, mtime and hash of its bytes (see ``sources.read_sources``)."""
    search: dict[str, str] = field(default_factory=dict)
    """Each part of the search index -> the digest of its inputs (see ``search.part_key``)."""


DocumentCache = dict[tuple[str, str], Document]
"""(source name, hash of its bytes and of the registry) -> the document, processed."""


def folder_for(out: Path) -> Path:
    """Where the cache of the site at ``out`` lives: the user's cache folder, by output path."""
    home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    name = hashlib.blake2b(os.fsencode(out.absolute()), digest_size=8).hexdigest()
    return Path(home) / "podium" / name


def _load(path: Path) -> object:
    try:
        with path.open("rb") as stream:
            saved = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    if not isinstance(saved, tuple) or len(saved) != 2 or saved[0] != CODE_DIGEST:
        return None
    return saved[1]


def _save(path: Path, value: object) -> None:
    """Write ``value`` to ``path`` through a file beside it.

    The old file is removed before the new one is renamed into its place: ext4
    writes out a file that is renamed over another before the rename returns
    (its ``auto_da_alloc``), about 1 ms per MB. A cache file missing or cut
    short by a crash is a cache miss (see :func:`_load`), never a wrong site.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with temporary.open("wb") as stream:
        pickle.dump((CODE_DIGEST, value), stream, protocol=pickle.HIGHEST_PROTOCOL)
    path.unlink(missing_ok=True)
    os.replace(temporary, path)


def load_state(out: Path) -> State:
    """The state the last build of ``out`` left, or an empty one."""
    state = _load(folder_for(out) / "state.pickle")
    return state if isinstance(state, State) else State()


def save_state(out: Path, state: State) -> None:
    _save(folder_for(out) / "state.pickle", _shared(state))


def _shared(state: State) -> State:
    """``state`` with each path named in it, and each manifest entry that the site and the
    spare have in common, one object, so that it is pickled once and loaded once.

    The spare is mostly the same files as the site; as separate objects the two
    manifests and the pages' files took 65 MB at 30,000 transcripts, which the
    build holds while it renders every page again.
    """
    manifest = state.manifest
    paths = {path: path for path in manifest}
    spare = {paths.get(path, path): known if (known := manifest.get(path)) == entry else entry
             for path, entry in state.spare.items()}  # fmt: skip
    rendered = {page: (key, tuple(paths.get(file, file) for file in files))
                for page, (key, files) in state.rendered.items()}  # fmt: skip
    return replace(state, spare=spare, rendered=rendered)


_SHARDS = 64


def _shard(source: str) -> int:
    """Which of the 64 files holds what belongs to ``source``: a rebuild rewrites only the
    files whose entries changed."""
    return hashlib.blake2b(source.encode(), digest_size=2).digest()[0] % _SHARDS


@dataclass
class Cached:
    """The documents and the anchor ledger the last build kept, as this build loaded them.

    Each of the 64 files under ``shards/`` holds a share of the documents, by
    source name, and their ledger rows, pickled together so that a row's text
    and its paragraph's are one string in memory. ``ledger.pickle`` holds the
    rest of the ledger (see :class:`~generator.ledger.Text`).
    """

    documents: DocumentCache = field(default_factory=dict)
    rows: dict[str, tuple[Row, ...]] = field(default_factory=dict)
    ledger: Text | None = None
    """The ledger the last build wrote, without its bytes; None if it cannot be trusted."""
    complete: bool = False


def load_cache(out: Path) -> Cached:
    """What the last build of ``out`` kept of its documents and ledger."""
    folder = folder_for(out)
    cached = Cached(complete=True)
    for n in range(_SHARDS):
        shard = _load(folder / "shards" / f"{n:02d}.pickle")
        if isinstance(shard, tuple) and len(shard) == 2:
            cached.documents.update(shard[0])
            cached.rows.update(shard[1])
        else:
            cached.complete = False
    head = _load(folder / "ledger.pickle")
    if cached.complete and isinstance(head, tuple) and len(head) == 5:
        digest, paths, places, versions, stamp = head
        if cached.rows.keys() == places.keys():
            spans = {source: (cached.rows[source], *places[source]) for source in sorted(places)}
            every = tuple(chain.from_iterable(span[0] for span in spans.values()))
            cached.ledger = Text(Ledger(every, paths), (), spans, digest, stamp=stamp,
                                 versions=versions)  # fmt: skip
    return cached


def _same_rows(before: tuple[Row, ...], after: tuple[Row, ...]) -> bool:
    return len(before) == len(after) and all(map(operator.is_, before, after))


def save_cache(out: Path, documents: DocumentCache, text: Text, loaded: Cached) -> None:
    """Keep ``documents`` and the ledger ``text`` for the next build, rewriting only the files
    whose documents or rows are not the very objects :func:`load_cache` gave this build.

    ``text.stamp`` is the size and mtime of the ledger file if it holds
    ``text``'s bytes, (0, 0) if that is not known (see :func:`~generator.ledger.read`).
    """
    folder = folder_for(out)
    (folder / "ledger.pickle").unlink(missing_ok=True)  # until the rows are all written
    rows = {source: span[0] for source, span in text.spans.items()}
    old: list[tuple[dict[Any, Any], dict[Any, Any]]] = [({}, {}) for _ in range(_SHARDS)]
    new: list[tuple[dict[Any, Any], dict[Any, Any]]] = [({}, {}) for _ in range(_SHARDS)]
    for shards, docs, ledger_rows in ((old, loaded.documents, loaded.rows), (new, documents, rows)):
        for key, document in docs.items():
            shards[_shard(key[0])][0][key] = document
        for source, row in ledger_rows.items():
            shards[_shard(source)][1][source] = row
    for n in range(_SHARDS):
        (docs_before, rows_before), (docs_after, rows_after) = old[n], new[n]
        unchanged = (
            docs_before.keys() == docs_after.keys()
            and all(docs_after[k] is docs_before[k] for k in docs_after)
            and rows_before.keys() == rows_after.keys()
            and all(_same_rows(rows_before[k], rows_after[k]) for k in rows_after)
        )
        if not loaded.complete or not unchanged:
            _save(folder / "shards" / f"{n:02d}.pickle", new[n])
    places = {source: (start, end) for source, (_, start, end) in text.spans.items()}
    head = (text.digest, text.ledger.paths, places, text.versions, text.stamp)
    _save(folder / "ledger.pickle", head)
    for name in _EARLIER:
        shutil.rmtree(folder / name, ignore_errors=True)
    for name in _EARLIER_FILES:
        (folder / name).unlink(missing_ok=True)


_EARLIER = ("documents", "ledger")
"""Folders of the cache as earlier versions of Podium laid it out, of no use now."""
_EARLIER_FILES = ("documents.pickle", "shortlinks.pickle", "mentions.pickle")


def load_link_memo(out: Path) -> LinkMemo:
    """What the link stage of the last build of ``out`` found in each document, or nothing."""
    memo = _load(folder_for(out) / "link.pickle")
    return memo if isinstance(memo, LinkMemo) else LinkMemo()


def save_link_memo(out: Path, memo: LinkMemo) -> None:
    _save(folder_for(out) / "link.pickle", memo)


@dataclass
class Memo:
    """What the last build made its short-link map, timeline, listing and speaker pages from,
    so that the next looks again only at those of documents that changed (see
    :meth:`changed`)."""

    digests: dict[str, str] = field(default_factory=dict)
    """Each document's source -> the hash of its bytes (and of the registry)."""
    versions: dict[str, str] = field(default_factory=dict)
    """Each document's source -> the digest of its rows in the ledger."""
    paths: dict[str, str] = field(default_factory=dict)
    """Each document's source -> the path of its page."""
    shortlinks: ShardsMade = field(default_factory=dict)
    timeline: YearsMade = field(default_factory=dict)
    listings: ListingsMade = field(default_factory=lambda: ({}, []))
    speakers: SpeakersMade = field(default_factory=lambda: ("", {}))

    def changed(
        self, digests: dict[str, str], versions: dict[str, str], paths: dict[str, str]
    ) -> set[str]:
        """The documents whose text, rows or path differ from the last build's, or that are new
        or gone: those in the items of one build but not of the other (compared as sets, which
        takes a tenth of the time of looking each source up at 30,000 transcripts)."""
        changed: set[str] = set()
        for now, then in ((digests, self.digests), (versions, self.versions), (paths, self.paths)):
            changed.update(source for source, _ in now.items() ^ then.items())
        return changed


def load_memo(out: Path) -> Memo:
    """What the last build of ``out`` made its short-link map and timeline from, or nothing."""
    memo = _load(folder_for(out) / "memo.pickle")
    return memo if isinstance(memo, Memo) else Memo()


def save_memo(out: Path, memo: Memo) -> None:
    _save(folder_for(out) / "memo.pickle", memo)


def load_timeline(out: Path) -> tuple[str, Spans]:
    """Where the last build of ``out`` put each event in its ``data/timeline.json`` (see
    :class:`~generator.opendata.Reuse`), and the digest of that file; or nothing."""
    saved = _load(folder_for(out) / "timeline.pickle")
    if isinstance(saved, tuple) and len(saved) == 2:
        return saved
    return "", {}


def save_timeline(out: Path, digest: str, spans: Spans) -> None:
    _save(folder_for(out) / "timeline.pickle", (digest, spans))
