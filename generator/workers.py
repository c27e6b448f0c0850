"""Work spread over worker processes, ``-j`` of them.

The read stage forks its workers (:func:`pool`): they share what the build
holds without pickling it, and it holds little yet. Later stages, which run
while the build holds the whole site model, start their workers afresh
(:func:`fresh_pool`) and pickle to them only what they need. One process
does it all when ``jobs`` is 1 or the work is too small to share.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.pool
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate, pairwise
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

import jinja2

from .children import die_with_parent
from .config import Config
from .libc import release_free_memory
from .model import Document, DocumentPage, Paragraph, copy_of
from .opendata import document_data
from .render import DocumentRenderer, Output, Parcel, page_environment, render_parcel
from .speakers import MentionFinder, MentionMemo, Scan, mention_finder
from .write import Manifest, Staging, digest


@contextlib.contextmanager
def pool(jobs: int) -> Iterator[multiprocessing.pool.Pool]:
    """Worker processes forked from this one: they share what it holds, unpickled.

    The heap is frozen out of the collector while they run, so that no
    collection in a worker touches, and so copies, the pages it shares. For
    work done while the build holds its whole site model, see
    :func:`fresh_pool`.
    """
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_start_worker) as workers:
            yield workers
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def fresh_pool(
    jobs: int, initializer: Callable[..., None], setup: tuple[object, ...]
) -> Iterator[multiprocessing.pool.Pool]:
    """Worker processes that share no memory with this one: what they need is pickled to them.

    A forked worker copies every page of the parent's memory it writes to,
    and CPython writes to an object whenever it reads it (its reference
    count) and allocates into the free gaps of the parent's heap; with the
    site model of 30,000 transcripts in memory, each forked worker ended up
    with a copy of most of it. These workers are forked from a small server
    process instead (multiprocessing's "forkserver"), which has imported
    Podium's code and nothing else. ``initializer(*setup)`` starts each.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with context.Pool(jobs, initializer=initializer, initargs=setup) as workers:
        yield workers


def _paragraph(paragraph: Paragraph) -> tuple[type[Paragraph], tuple[object, ...]]:
    """A paragraph as it is pickled to and from workers: with a copy of its text (see
    :func:`~generator.model.copy_of`)."""
    p = paragraph
    return Paragraph, (p.n, copy_of(p.text), p.line, p.turn, p.html, p.id, p.stage, p.timexes)


ForkingPickler.register(Paragraph, _paragraph)


def _start_worker() -> None:
    die_with_parent()
    gc.enable()  # a build keeps it off (see ``build``); here it sees only the worker's own objects


_FINDER: MentionFinder | None = None  # in a worker


def _start_finder(finder: MentionFinder) -> None:
    global _FINDER
    _start_worker()
    _FINDER = finder


def _mentions_in(keyed: tuple[str, str, list[int]]) -> tuple[str, Scan]:
    assert _FINDER is not None
    key, joined, ends = keyed
    return key, _FINDER.scan([joined[start:end] for start, end in pairwise([0, *ends])])


def find_mentions(
    documents: list[Document], memo: MentionMemo, jobs: int, keys: Mapping[str, str]
) -> MentionFinder:
    """Put in ``memo`` the mentions of speakers it lacks, over ``jobs`` processes; give the
    finder of these documents' speakers, for the link stage to use again.

    The link stage would find them itself, in this process alone; finding
    them is most of its time in a clean build. ``keys`` are the link stage's
    (see :func:`~generator.speakers.index_speakers`).
    """
    finder = mention_finder(documents)
    if memo.names != finder.signature:
        memo.names, memo.found = finder.signature, {}
    missing = []
    for document in documents:
        key = keys.get(document.source) or finder.key([p.text for p in document.paragraphs])
        if key not in memo.found:
            missing.append((key, document))
    if jobs <= 1 or len(missing) <= 2 * jobs:
        return finder
    with fresh_pool(jobs, _start_finder, (finder,)) as workers:
        memo.found.update(workers.imap_unordered(_mentions_in, _joined(missing), chunksize=16))
    return finder


def _joined(missing: list[tuple[str, Document]]) -> Iterator[tuple[str, str, list[int]]]:
    """Each document's texts as one string, made as the workers take them: a copy (see
    :func:`~generator.model.copy_of`)."""
    for key, document in missing:
        texts = [p.text for p in document.paragraphs]
        yield key, "".join(["", *texts]), list(accumulate(map(len, texts)))


@dataclass
class DocumentJob:
    """What rendering the transcripts needs: the pages, their keys, and where they go."""

    staging: Staging
    renderer: DocumentRenderer
    config: Config
    keys: dict[str, str]  # page path -> digest of all its inputs
    previous: dict[str, tuple[str, tuple[str, ...]]]  # the last build's keys and files


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


def _unchanged(job: DocumentJob, page: DocumentPage) -> bool:
    """Whether ``page``'s inputs are those of the last build, so its files can be carried."""
    known = job.previous.get(page.path)
    return known is not None and known[0] == job.keys.get(page.path)


def _carry(job: DocumentJob, pages: list[DocumentPage], made: dict[str, tuple[str, ...]]
           ) -> list[DocumentPage]:  # fmt: skip
    """Carry the last build's files of ``pages`` over; give the pages whose files are gone."""
    lost = []
    for page in pages:
        files = job.previous[page.path][1]
        if all([job.staging.keep(path) for path in files]):
            made[page.path] = files
        else:
            lost.append(page)
    return lost


def _render(
    env: jinja2.Environment, config: Config, parcel: Parcel, staging: Staging
) -> tuple[str, ...]:
    """Render one transcript page and its open data into ``staging``; give the files' paths."""
    files = {**render_parcel(env, config, parcel), **document_data(parcel.page, config)}
    for path, content in files.items():
        staging.put(path, content)
    return tuple(files)


_RENDERING: tuple[jinja2.Environment, Config, Staging] | None = None  # in a worker


def _start_renderer(setup: tuple[Path, dict[str, str], bool, Path | None], config: Config,
                    staging: Staging) -> None:  # fmt: skip
    global _RENDERING
    _start_worker()
    _RENDERING = (page_environment(*setup), config, staging)


Batch = tuple[list[Parcel], tuple[Manifest, Manifest]]
"""Parcels for a worker, and the manifest entries of the files their pages wrote last time."""


def _batch(job: DocumentJob, pages: list[DocumentPage]) -> Batch:
    files = (path for page in pages for path in job.previous.get(page.path, ("", ()))[1])
    return [job.renderer.parcel(page) for page in pages], job.staging.entries(files)


def _render_parcels(batch: Batch) -> tuple[Manifest, list[tuple[str, ...]]]:
    """Render a batch of parcels in a worker; give the files written and each page's paths."""
    assert _RENDERING is not None
    env, config, staging = _RENDERING
    parcels, (staging.previous, staging.present) = batch
    staging.written = {}
    made = [_render(env, config, parcel, staging) for parcel in parcels]
    release_free_memory()
    return staging.written, made


def _settle(job: DocumentJob, page: DocumentPage, files: tuple[str, ...], written: Manifest
            ) -> tuple[str, ...]:  # fmt: skip
    """Enter what a worker wrote for ``page`` in the build's manifest; give its files.

    What comes back from a worker is a copy; where it equals what the build
    holds already (the paths of the page's files, the entries of files carried
    over), that is kept instead, once in memory. After a template change at
    30,000 transcripts, when every page is rendered again, the copies took 25 MB.
    """
    known = job.previous.get(page.path)
    if known is not None and known[1] == files:
        files = known[1]
    for path in files:
        entry = written[path]
        previous = job.staging.previous.get(path)
        job.staging.written[path] = previous if previous == entry else entry
    return files


def write_documents(
    job: DocumentJob, jobs: int, rest: Callable[[], None]
) -> dict[str, tuple[str, ...]]:
    """Render every transcript page over ``jobs`` processes while ``rest`` runs here; give
    each page's files.

    A page whose inputs are those of the last build is carried over instead,
    by a thread: that is mostly waiting on the file system (thousands of
    links, when there is no spare site to start from), which it does while
    this thread makes the rest of the site. The workers are started afresh
    and get their pages as parcels (see :func:`fresh_pool`).
    """
    staging = job.staging
    made: dict[str, tuple[str, ...]] = {}
    known: list[DocumentPage] = []
    fresh: list[DocumentPage] = []
    for page in job.renderer.site.pages:
        (known if _unchanged(job, page) else fresh).append(page)

    def render_here(pages: list[DocumentPage]) -> None:
        for page in pages:
            parcel = job.renderer.parcel(page)
            made[page.path] = _render(job.renderer.env, job.config, parcel, staging)

    if jobs <= 1 or len(fresh) < 4 * jobs:
        with ThreadPoolExecutor(1) as carrier:
            lost = carrier.submit(_carry, job, known, made)
            rest()
            render_here(fresh + lost.result())
        return made
    step = max(1, min(64, len(fresh) // (jobs * 4)))
    batches = [fresh[start : start + step] for start in range(0, len(fresh), step)]
    setup = (job.renderer.setup, job.config, staging)
    with fresh_pool(jobs, _start_renderer, setup) as workers, ThreadPoolExecutor(1) as carrier:
        lost = carrier.submit(_carry, job, known, made)  # after the pool has pickled ``staging``
        pending = workers.imap(_render_parcels, (_batch(job, pages) for pages in batches))
        rest()
        for pages, (written, files) in zip(batches, pending, strict=True):
            for page, paths in zip(pages, files, strict=True):
                made[page.path] = _settle(job, page, paths, written)
        render_here(lost.result())
    return made
