"""What one build leaves for the next, so a rebuild redoes only what changed.

The cache sits in the user's cache folder (``$XDG_CACHE_HOME/podium/``, by
default ``~/.cache/podium/``), one folder per output path: never in the output,
which is published, nor beside it, where Podium writes nothing. It holds two
files and three folders:

- ``state.pickle``: the fingerprint of every input of the last build, the
  manifest of the site it wrote, and its summary. When the fingerprint is
  unchanged the site is already what a build would write, and nothing is done.
- ``documents/``: each transcript as read, attributed, dated and anchored,
  keyed by its source name and the hash of its bytes, so a rebuild reads again
  only the files that changed (and the anchor stage checks the ids against the
  ledger). The documents are spread over 64 files by name, and a rebuild
  writes only the files whose documents changed.
- ``mentions.pickle``: the speakers named in each document's text (see
  :class:`~generator.speakers.MentionMemo`).
- ``ledger/``: the anchor ledger as the last build wrote it (see
  :class:`~generator.ledger.Text`), so that the next one need not parse it;
  its rows spread over 64 files by document, like the documents.
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

from .ledger import Text
from .model import Document, Ledger, Problem, Row
from .speakers import MentionMemo
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
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with temporary.open("wb") as stream:
        pickle.dump((CODE_DIGEST, value), stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def load_state(out: Path) -> State:
    """The state the last build of ``out`` left, or an empty one."""
    state = _load(folder_for(out) / "state.pickle")
    return state if isinstance(state, State) else State()


def save_state(out: Path, state: State) -> None:
    _save(folder_for(out) / "state.pickle", state)


_SHARDS = 64
K = TypeVar("K")
V = TypeVar("V")


def _shard(source: str) -> int:
    """Which of a folder's 64 files holds what belongs to ``source``: a rebuild rewrites
    only the files whose entries changed."""
    return hashlib.blake2b(source.encode(), digest_size=2).digest()[0] % _SHARDS


def _load_shards(folder: Path) -> tuple[dict[Any, Any], bool]:
    """The entries of the files under ``folder``, and whether every file could be read."""
    entries: dict[Any, Any] = {}
    complete = True
    for n in range(_SHARDS):
        shard = _load(folder / f"{n:02d}.pickle")
        if isinstance(shard, dict):
            entries.update(shard)
        else:
            complete = False
    return entries, complete


def _save_shards(
    folder: Path,
    entries: Mapping[K, V],
    loaded: Mapping[K, V] | None,
    source: Callable[[K], str],
    same: Callable[[V, V], bool],
) -> None:
    """Spread ``entries`` over the files under ``folder`` by their source, rewriting only the
    files whose entries are not the ``same`` as ``loaded``'s (every file, without it)."""
    old: dict[int, dict[K, V]] = {}
    new: dict[int, dict[K, V]] = {}
    for shards, items in ((old, loaded or {}), (new, entries)):
        for key, value in items.items():
            shards.setdefault(_shard(source(key)), {})[key] = value
    for n in range(_SHARDS):
        before, after = old.get(n, {}), new.get(n, {})
        unchanged = before.keys() == after.keys() and all(same(after[k], before[k]) for k in after)
        if loaded is None or not unchanged:
            _save(folder / f"{n:02d}.pickle", after)


def load_documents(out: Path) -> DocumentCache:
    """The processed documents the last build of ``out`` kept, or none."""
    documents, _ = _load_shards(folder_for(out) / "documents")
    return documents


def save_documents(out: Path, documents: DocumentCache, loaded: DocumentCache) -> None:
    """Keep ``documents`` for the next build, rewriting only the files whose documents
    differ from ``loaded``, what :func:`load_documents` gave this build."""
    _save_shards(folder_for(out) / "documents", documents, loaded,
                 lambda key: key[0], operator.is_)  # fmt: skip


def load_mentions(out: Path) -> MentionMemo:
    """The mentions the last build of ``out`` found, or none."""
    memo = _load(folder_for(out) / "mentions.pickle")
    return memo if isinstance(memo, MentionMemo) else MentionMemo()


def save_mentions(out: Path, memo: MentionMemo) -> None:
    _save(folder_for(out) / "mentions.pickle", memo)


def _same_rows(before: tuple[Row, ...], after: tuple[Row, ...]) -> bool:
    return len(before) == len(after) and all(map(operator.is_, before, after))


def load_ledger(out: Path) -> Text | None:
    """The anchor ledger the last build of ``out`` wrote, without its text; or None."""
    folder = folder_for(out) / "ledger"
    head = _load(folder / "head.pickle")
    if not isinstance(head, tuple) or len(head) != 3:
        return None
    digest, paths, places = head
    rows, complete = _load_shards(folder)
    if not complete or rows.keys() != places.keys():
        return None
    spans = {source: (rows[source], *places[source]) for source in sorted(rows)}
    every = tuple(chain.from_iterable(rows[source] for source in spans))
    return Text(Ledger(every, paths), (), spans, digest)


def save_ledger(out: Path, text: Text, loaded: Text | None) -> None:
    """Keep ``text`` for the next build, rewriting only the files of rows that differ from
    ``loaded``, what :func:`load_ledger` gave this build."""
    folder = folder_for(out) / "ledger"
    (folder / "head.pickle").unlink(missing_ok=True)  # until the rows are all written
    rows = {source: span[0] for source, span in text.spans.items()}
    known = {source: span[0] for source, span in loaded.spans.items()} if loaded else None
    _save_shards(folder, rows, known, str, _same_rows)
    places = {source: (start, end) for source, (_, start, end) in text.spans.items()}
    _save(folder / "head.pickle", (text.digest, text.ledger.paths, places))
