"""Work spread over forked worker processes, ``-j`` of them.

Workers are forked, so they share what the build holds (the site model, the
staging folder) without pickling it; each task names its share by a number
or a slice, and sends back only what it wrote. One process does it all
when ``jobs`` is 1 or the work is too small to share.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.pool
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .children import die_with_parent
from .config import Config
from .model import Document
from .opendata import document_data
from .render import DocumentRenderer, Output
from .speakers import MentionFinder, MentionMemo, Scan, mention_finder
from .write import Content, Manifest, Staging, digest


@contextlib.contextmanager
def pool(jobs: int) -> Iterator[multiprocessing.pool.Pool]:
    """Worker processes forked from this one: they share what it holds, unpickled.

    The heap is frozen out of the collector while they run, so that no
    collection in a worker touches, and so copies, the pages it shares.
    """
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_start_worker) as workers:
            yield workers
    finally:
        gc.unfreeze()


def _start_worker() -> None:
    die_with_parent()
    gc.enable()  # a build keeps it off (see ``build``); here it sees only the worker's own objects


_FINDING: tuple[MentionFinder, list[Document]] | None = None  # for workers, set before they fork


def _mentions_in(index: int) -> tuple[bytes, Scan]:
    assert _FINDING is not None
    finder, documents = _FINDING
    texts = [paragraph.text for paragraph in documents[index].paragraphs]
    return finder.key(texts), finder.scan(texts)


def find_mentions(documents: list[Document], memo: MentionMemo, jobs: int) -> None:
    """Put in ``memo`` the mentions of speakers it lacks, over ``jobs`` processes.

    The link stage would find them itself, in this process alone; finding
    them is most of its time in a clean build.
    """
    global _FINDING
    finder = mention_finder(documents)
    if memo.names != finder.signature:
        memo.names, memo.found = finder.signature, {}
    missing = [i for i, d in enumerate(documents)
               if finder.key([p.text for p in d.paragraphs]) not in memo.found]  # fmt: skip
    if jobs <= 1 or len(missing) <= 2 * jobs:
        return
    _FINDING = (finder, documents)
    try:
        with pool(jobs) as workers:
            memo.found.update(workers.imap_unordered(_mentions_in, missing, chunksize=16))
    finally:
        _FINDING = None


@dataclass
class DocumentJob:
    """What the processes that render transcripts share, set before they fork."""

    staging: Staging
    renderer: DocumentRenderer
    config: Config
    keys: dict[str, str]  # page path -> digest of all its inputs
    previous: dict[str, tuple[str, tuple[str, ...]]]  # the last build's keys and files
    side: tuple[Callable[[], Iterable[tuple[str, Content]]], ...] = ()
    """Files made from the whole site model, each group written by a worker of its own."""
    views: tuple[Callable[[], Iterable[Output]], ...] = ()
    """Pages made from views, each group written by a worker of its own (see :func:`put`)."""
    common: str = ""
    """What the key of every page made from views includes beyond its views."""
    outputs: dict[str, str] = field(default_factory=dict)
    """The last build's keys of the pages made from views."""


@dataclass
class Written:
    """What :func:`write_documents` wrote, beyond the files themselves."""

    made: dict[str, tuple[str, ...]]
    """Each transcript page's path -> the files it made."""
    keys: dict[str, str] = field(default_factory=dict)
    """Each page made from views -> its key, for the next build."""
    paths: list[str] = field(default_factory=list)
    """Every file made from views or :attr:`DocumentJob.views`, in order."""

    def add(self, keys: dict[str, str], paths: list[str]) -> None:
        self.keys.update(keys)
        self.paths.extend(paths)


def put(
    outputs: Iterable[Output], staging: Staging, previous: dict[str, str], common: str
) -> tuple[dict[str, str], list[str]]:
    """Put each of ``outputs`` in the new site, or carry the last build's file over where it
    is the same; return the keys of this build (``previous`` holds the last's) and the paths."""
    keys: dict[str, str] = {}
    paths: list[str] = []
    for output in outputs:
        paths.append(output.path)
        if output.key is None:
            staging.put(output.path, output.make())
            continue
        key = keys[output.path] = digest(f"{common}\0{output.key}".encode())
        if previous.get(output.path) != key or not staging.keep(output.path):
            staging.put(output.path, output.make())
    return keys, paths


_JOB: DocumentJob | None = None


def _render_documents(bounds: tuple[int, int]) -> tuple[Manifest, dict[str, tuple[str, ...]]]:
    """Render the transcripts ``bounds`` into the staging folder.

    A page whose inputs are those of the last build is carried over instead.
    Returns the files written and, by page, the files each page made.
    """
    assert _JOB is not None
    job = _JOB
    written: Manifest = {}
    made: dict[str, tuple[str, ...]] = {}
    for page in job.renderer.site.pages[bounds[0] : bounds[1]]:
        key = job.keys.get(page.path)
        known = job.previous.get(page.path)
        if known is not None and known[0] == key and all([job.staging.keep(p) for p in known[1]]):
            written.update((path, job.staging.previous[path]) for path in known[1])
            made[page.path] = known[1]
            continue
        files = {**job.renderer.render(page), **document_data(page, job.config)}
        for path, content in files.items():
            written[path] = job.staging.put(path, content)
        made[page.path] = tuple(files)
    return written, made


def _write_side(index: int) -> Manifest:
    """Write the ``index``-th group of :attr:`DocumentJob.side`; return the files written."""
    assert _JOB is not None
    return {path: _JOB.staging.put(path, content) for path, content in _JOB.side[index]()}


def _write_views(index: int) -> tuple[Manifest, dict[str, str], list[str]]:
    """Write the ``index``-th group of :attr:`DocumentJob.views`; return the files written
    or carried over, and what :func:`put` returns."""
    assert _JOB is not None
    staging = _JOB.staging
    staging.written = {}  # this process's own copy: from here on, what this group wrote
    keys, paths = put(_JOB.views[index](), staging, _JOB.outputs, _JOB.common)
    return staging.written, keys, paths


def write_documents(job: DocumentJob, jobs: int, rest: Callable[[], None]) -> Written:
    """Render every transcript and the ``side`` and ``views`` groups over ``jobs`` processes,
    while ``rest`` runs here."""
    global _JOB
    _JOB = job
    try:
        return _write_all(job, jobs, rest)
    finally:
        _JOB = None  # or the whole site model would outlive the build


def _write_all(job: DocumentJob, jobs: int, rest: Callable[[], None]) -> Written:
    staging = job.staging
    count = len(job.renderer.site.pages)
    if jobs <= 1 or count < 2 * jobs:
        for index in range(len(job.side)):
            _write_side(index)
        rest()
        alone = Written(_render_documents((0, count))[1])
        for group in job.views:
            alone.add(*put(group(), staging, job.outputs, job.common))
        return alone  # the staging here recorded every file
    step = max(1, min(64, count // (jobs * 4) or 1))
    slices = [(start, min(start + step, count)) for start in range(0, count, step)]
    written = dict(staging.written)
    result = Written({})
    with pool(jobs) as workers:
        views = [workers.apply_async(_write_views, (index,)) for index in range(len(job.views))]
        sides = [workers.apply_async(_write_side, (index,)) for index in range(len(job.side))]
        pending = workers.map_async(_render_documents, slices)
        rest()
        written.update(staging.written)
        for view in views:
            part, keys, paths = view.get()
            written.update(part)
            result.add(keys, paths)
        for side in sides:
            written.update(side.get())
        for part, pages in pending.get():
            written.update(part)
            result.made.update(pages)
    staging.written = written
    return result
