"""The read stage over a seeds folder: which files are transcripts, and which to read again.

A build reads only the transcripts whose bytes (and the speaker registry) differ from
those of a document in its cache, over several processes, and hashes again only the
files whose size or mtime changed. Reading a file, attributing its speakers and dating
its events need that file alone.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from .attribute import attribute
from .cache import DocumentCache
from .date import date_document
from .model import Document, Problem
from .people import Registry, load_registry
from .readers import is_transcript, read_file
from .workers import pool
from .write import digest

Sources = list[tuple[str, str]]
"""Each transcript's source name (its path under the seeds folder) and the path to open."""


def find_sources(seeds: Path) -> Sources:
    """The transcript files under ``seeds``, by their source names, in a fixed order.

    Folders linked into ``seeds`` are not entered; files linked into it are read.
    Paths are strings: a rebuild of 30,000 transcripts took a tenth of a second
    to make them into ``Path`` objects, and another to stat them through those.
    """
    found: Sources = []
    pending = [""]
    while pending:
        prefix = pending.pop()
        with os.scandir(seeds / prefix if prefix else seeds) as entries:
            for entry in entries:
                name = f"{prefix}{entry.name}"
                if entry.is_dir() and not entry.is_symlink():
                    pending.append(f"{name}/")
                elif entry.is_file() and is_transcript(entry.name):
                    found.append((name, entry.path))
    return sorted(found)


def process(document: Document, registry: Registry | None = None) -> Document:
    """The stages that need one document only: attribute, then date."""
    return date_document(attribute(document, registry))


Progress = Callable[[str, int, int], None]


def silent(stage: str, done: int, total: int) -> None:
    """A progress report that shows nothing."""


_REGISTRY: Registry | None = None  # for reading in worker processes, set before they fork


def _read_one(task: tuple[str, str]) -> Document | Problem:
    source, path = task
    result = read_file(Path(path), source)
    return result if isinstance(result, Problem) else process(result, _REGISTRY)


FileHashes = dict[str, tuple[int, int, str]]
"""Each transcript's source name -> its size, its mtime and the hash of its bytes."""

Stamps = dict[str, tuple[int, int]]
"""Each transcript's source name -> its size and mtime, as make and rsync tell files apart."""


def stamps_of(sources: Sources) -> Stamps:
    """The size and mtime of each file that can be looked at; reading it later reports why
    one cannot."""
    stamps: Stamps = {}
    for source, path in sources:
        with contextlib.suppress(OSError):
            stat = os.stat(path)
            stamps[source] = (stat.st_size, stat.st_mtime_ns)
    return stamps


def _hash_files(sources: Sources, known: FileHashes, stamps: Stamps) -> FileHashes:
    """The hash of each file's bytes; a file ``known`` with its size and mtime is not read."""
    hashes: FileHashes = {}
    for source, path in sources:
        stamp = stamps.get(source)
        if stamp is None:
            continue
        seen = known.get(source)
        if seen is not None and seen[:2] == stamp:
            hashes[source] = seen
            continue
        with contextlib.suppress(OSError), open(path, "rb") as stream:  # reading it again
            hashes[source] = (*stamp, digest(stream.read()))  # later reports why it cannot
    return hashes


def read_sources(
    seeds: Path,
    registry: Registry | None,
    cache: DocumentCache | None = None,
    jobs: int = 1,
    progress: Progress = silent,
    sources: Sources | None = None,
    hashes: FileHashes | None = None,
    stamps: Stamps | None = None,
) -> tuple[list[Document], list[Problem], DocumentCache, FileHashes]:
    """Read and process every transcript; unreadable files become problems.

    A file whose bytes (and the speaker registry) are those of a document in
    ``cache`` is not read again. ``sources`` are the transcript files, if the
    caller has found them already, and ``stamps`` their sizes and mtimes;
    ``hashes`` the hashes of their bytes as the last build found them.
    Returns the documents, the problems, and the cache and hashes for the
    next build.
    """
    global _REGISTRY
    salt = repr(registry)
    found = find_sources(seeds) if sources is None else sources
    stamps = stamps_of(found) if stamps is None else stamps
    hashes = _hash_files(found, hashes or {}, stamps)
    keys = {source: (source, digest(f"{salt}\0{hashed[2]}".encode()))
            for source, hashed in hashes.items()}  # fmt: skip
    cache = cache or {}
    missing = [task for task in found if keys.get(task[0]) not in cache]
    _REGISTRY = registry
    fresh: dict[str, Document | Problem] = {}
    if jobs > 1 and len(missing) > 2 * jobs:
        with pool(jobs) as workers:
            for done, read in enumerate(workers.imap(_read_one, missing, chunksize=8), start=1):
                progress("reading", done, len(missing))
                fresh[missing[done - 1][0]] = read
    else:
        for done, task in enumerate(missing, start=1):
            progress("reading", done, len(missing))
            fresh[task[0]] = _read_one(task)
    documents: list[Document] = []
    problems: list[Problem] = []
    kept: DocumentCache = {}
    for source, _ in found:
        key = keys.get(source)
        result: Document | Problem | None = (
            fresh[source] if source in fresh else cache[key] if key else None
        )
        if isinstance(result, Problem):
            problems.append(result)
        elif result is not None:
            problems.extend(result.problems)
            documents.append(result)
            if key is not None:
                kept[key] = result
    return documents, problems, kept, hashes


def read_seeds(seeds: Path, progress: Progress = silent) -> tuple[list[Document], list[Problem]]:
    """Read and process every transcript; unreadable files become problems."""
    registry, problems = load_registry(seeds / "people.toml")
    documents, read_problems, _, _ = read_sources(seeds, registry, progress=progress)
    return documents, problems + read_problems
