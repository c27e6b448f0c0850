"""The pipeline from ``seeds/`` to ``site/``, read top to bottom.

read -> attribute -> date -> anchor -> link -> render -> write. Each stage is a module
with plain data in and out; this module only runs them in order and gathers
the problems they report.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import BinaryIO, ParamSpec, TypeVar

from . import ledger, views
from .about import pygments_css, pygments_version, read_about
from .anchor import anchor
from .cache import (
    CODE_DIGEST,
    Cached,
    DocumentCache,
    Memo,
    State,
    compiled_templates,
    file_digest,
    folder_digest,
    folder_for,
    load_cache,
    load_link_memo,
    load_memo,
    load_state,
    load_timeline,
    save_cache,
    save_link_memo,
    save_memo,
    save_state,
    save_timeline,
)
from .config import Config, load_config
from .libc import exchange, release_free_memory
from .link import LinkMemo, link
from .model import Document, Ledger, Problem, Severity, Site
from .opendata import Reuse, Spans, open_data
from .people import load_registry
from .publish import host_files
from .render import (
    TEMPLATES,
    TIMELINE_PAGE_SIZE,
    DocumentRenderer,
    Output,
    permalink_files,
    render,
    render_listings,
    render_speakers,
    render_timeline,
    static_files,
)
from .search import FOLDER, part_key, search_parts, write_search_index
from .sources import Progress, Stamps, find_sources, read_sources, silent, stamps_of
from .timeline import timeline_pages
from .workers import DocumentJob, find_mentions, put, write_documents
from .write import MARK, Content, LinkedCopy, Manifest, SpareSurvey, Staging, digest

LEDGER = "anchors.json"


@dataclass
class BuildResult:
    """What a build did, for the summary line and the exit code.

    ``documents`` holds the documents as built; it is empty when nothing had
    changed since the last build and no stage ran (``unchanged``).
    """

    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    document_count: int = 0
    paragraphs: int = 0
    unchanged: bool = False

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity is severity)


def _anchored(cache: DocumentCache, documents: list[Document]) -> DocumentCache:
    """The cache with each document as anchored, so that the next build, if the ledger still
    gives it the same ids, can keep it as it is."""
    by_source = {document.source: document for document in documents}
    return {key: by_source.get(key[0], document) for key, document in cache.items()}


def _listed(path: str) -> bool:
    """Whether a page belongs in the sitemap: pages people read, not redirects or tools."""
    return (
        path.endswith("index.html")
        and not path.startswith(("p/", "search/"))
        and ("/cite/" not in path)
    )


class LedgerChanged(Exception):
    """``--frozen`` was given and the seeds would change the anchor ledger."""


def _inputs(seeds: Path, stamps: Stamps, code: str, search: bool) -> list[str]:
    """Everything a build reads but the ledger, as lines of a fingerprint (see ``_fingerprint``).

    Transcripts count by name, size and mtime (as make and rsync do), as they
    were when the build started; the other inputs are few and small, and
    count by their bytes (``code`` holds Podium's code, the templates and the config).
    """
    parts = [code, str(search), os.environ.get("SOURCE_DATE_EPOCH", ""),
             file_digest(seeds / "people.toml"), file_digest(seeds / "about.md")]  # fmt: skip
    for source, (size, mtime) in stamps.items():
        parts.append(f"{source}\0{size}\0{mtime}")
    return parts


def _fingerprint(inputs: list[str], ledger_path: Path) -> str:
    """Equal fingerprints, equal sites: the inputs and the ledger as it stands.

    The ledger counts by size and mtime, as the transcripts do: it holds every
    paragraph's text, and hashing it twice a build took longer than a rebuild
    with nothing to do should.
    """
    try:
        stat = ledger_path.stat()
    except OSError:
        return digest("\n".join([*inputs, "no ledger"]).encode())
    return digest("\n".join([*inputs, f"{stat.st_size}\0{stat.st_mtime_ns}"]).encode())


def _intact(out: Path, manifest: Manifest) -> bool:
    """Whether every file of the last build is still in ``out`` as it was written."""
    if not manifest or not (out / MARK).is_file():
        return False
    for relative, (_, size, mtime) in manifest.items():
        try:
            stat = os.stat(out / relative)
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
            return False
    return True


TIMELINE = "data/timeline.json"


@contextlib.contextmanager
def _last_timeline(
    out: Path, manifest: Manifest, incremental: bool
) -> Iterator[tuple[BinaryIO | None, Spans]]:
    """The last build's ``data/timeline.json``, open, and where its events are; nothing unless
    the file is as that build wrote it and the spans are the ones it saved."""
    digest, spans = load_timeline(out) if incremental else ("", {})
    known = manifest.get(TIMELINE)
    if known is None or known[0] != digest:
        yield None, {}
        return
    try:
        stream = (out / TIMELINE).open("rb")
    except OSError:
        yield None, {}
        return
    with stream:
        stat = os.fstat(stream.fileno())
        yield (stream, spans) if (stat.st_size, stat.st_mtime_ns) == known[1:] else (None, {})


def _copy_ahead(out: Path, spare: Path | None, manifest: Manifest, jobs: int) -> LinkedCopy | None:
    """Start linking the last site into the spare's place, if the build has a core to spare
    and no spare (see :class:`~generator.write.LinkedCopy`)."""
    if spare is None or jobs < 2 or not manifest or spare.exists() or not (out / MARK).is_file():
        return None
    return LinkedCopy(out, spare)


def _page_keys(
    renderer: DocumentRenderer, digests: dict[str, str], versions: dict[str, str], common: str
) -> dict[str, str]:
    """Each transcript page's path -> the digest of everything its files are made from: the
    document, its rows in the ledger (``versions``), and its links (``renderer.inputs``)."""
    keys = {}
    for page in renderer.site.pages:
        source = page.document.source
        document = digests.get(source)
        if document is not None:
            keys[page.path] = views.key(common, document, versions.get(source),
                                        renderer.inputs(page))  # fmt: skip
    return keys


def _encode_ledger(
    rows: Ledger, known: ledger.Text, path: Path, write: bool
) -> tuple[ledger.Text, Path | None, list[Problem]]:
    """The new ledger, written as it is encoded (if ``write``) to a file beside ``path``;
    nothing is written if the file at ``path`` holds it already (see :func:`ledger.as_written`).

    The file is renamed over the ledger once the site is in place (see
    :func:`_put_ledger`). Its bytes are never all held: the ledger of 30,000
    transcripts is 220 MB.
    """
    if write:
        ledger.remove_stale(path)
    same = ledger.as_written(rows, known)
    if same is not None:
        return same, None, []
    if not write:
        return ledger.encode(rows, known), None, []
    staged = ledger.temporary(path)
    try:
        with staged.open("wb") as sink:
            return ledger.encode(rows, known, sink), staged, []
    except OSError as exc:
        _drop(staged)
        return ledger.encode(rows, known), None, [_unwritable(path, exc)]


def _unwritable(path: Path, exc: OSError) -> Problem:
    message = f"cannot write the anchor ledger: {exc.strerror}"
    return Problem(str(path), None, Severity.ERROR, message)


def _drop(staged: Path | None) -> None:
    """Remove the ledger :func:`_encode_ledger` wrote, if any is there."""
    if staged is not None:
        with contextlib.suppress(OSError):
            staged.unlink()


def _put_ledger(staged: Path | None, path: Path) -> tuple[list[Problem], threading.Thread | None]:
    """Put the ledger written by :func:`_encode_ledger` in place of the one at ``path``; give
    the thread that deletes the old one, if one does.

    The two files are swapped, and the old one is deleted on another core while
    the build saves its cache: renamed over, the old ledger of 30,000
    transcripts (220 MB) took 0.1 s to free, and ext4 wrote the new one out
    first (its ``auto_da_alloc``). Killed meanwhile, the build leaves the old one
    where :func:`ledger.remove_stale` finds it. Where there is no file to swap
    with, or it cannot be swapped, the new one is renamed over the old: a
    folder at ``path`` is the user's, and stays, reported.
    """
    if staged is None:
        return [], None
    if os.path.isfile(path) and exchange(staged, path):
        deleting = threading.Thread(target=_drop, args=(staged,), name="podium-old-ledger")
        deleting.start()
        return [], deleting
    try:
        os.replace(staged, path)
    except OSError as exc:
        _drop(staged)
        return [_unwritable(path, exc)], None
    return [], None


def _stamped(text: ledger.Text, path: Path, in_file: bool) -> ledger.Text:
    """``text`` with the size and mtime of the ledger at ``path``, if the file holds ``text``'s
    bytes (``in_file``), for the next build to know it by (see :func:`ledger.read`)."""
    try:
        stat = path.stat()
    except OSError:
        in_file = False
    return replace(text, stamp=(stat.st_size, stat.st_mtime_ns) if in_file else (0, 0))


@dataclass(frozen=True)
class _Settings:
    """What a build was asked to make, and what renders its pages (``code``)."""

    out: Path
    templates: Path
    config: Config
    code: str
    jobs: int
    incremental: bool
    search: bool


@dataclass(frozen=True)
class _Written:
    """What the write stage leaves the next build: see :class:`~generator.cache.State`."""

    rendered: dict[str, tuple[str, tuple[str, ...]]]
    outputs: dict[str, str]
    events: Spans
    memo: Memo
    search: dict[str, str]


def _write_site(
    settings: _Settings,
    site: Site,
    staging: Staging,
    state: State,
    about: str | None,
    digests: dict[str, str],
    versions: dict[str, str],
) -> _Written:
    """Render every file of the site into ``staging``: transcript pages in worker processes,
    the rest here meanwhile; then the sitemap and, if asked, the search index."""
    out, templates, config = settings.out, settings.templates, settings.config
    year_pages = timeline_pages(site.events, TIMELINE_PAGE_SIZE)
    compiled = compiled_templates(out) if settings.incremental else None
    rows = site.ledger.by_id()  # for the notes of retired ids and the short-link map
    renderer = DocumentRenderer(site, config, year_pages, templates, about, compiled, rows)
    common = f"{settings.code}\0{about}"
    outputs: dict[str, str] = {}
    paths: list[str] = []
    current = {page.document.source: page.path for page in site.pages}
    last = load_memo(out) if settings.incremental else Memo()
    changed = last.changed(digests, versions, current)
    made_from = {source: f"{hashed}\0{versions.get(source)}" for source, hashed in digests.items()}
    timeline, years = render_timeline(year_pages, config, renderer.env, made_from, last.timeline,
                                      changed)  # fmt: skip
    listings, lists = render_listings(site, config, renderer.env, last.listings, changed)
    speakers, people = render_speakers(site, config, renderer.env, made_from, last.speakers,
                                       changed)  # fmt: skip
    permalinks, shortlinks = permalink_files(site, config, renderer.env, versions, current,
                                             last.shortlinks, changed, rows)  # fmt: skip
    memo = Memo(digests, versions, current, shortlinks, years, lists, people)  # filled by ``rest``
    # ``memo`` holds what was kept of the last (18 MB at 30,000); the short-link map, ``rows``
    # until ``rest`` has made it
    del last, changed, year_pages, rows

    def rest() -> None:
        """Every file but the transcript pages, made here while workers render those."""
        env = renderer.env
        # first, to let go of ``rows`` (20 MB at 30,000) before the rest; not in the sitemap
        outputs.update(put(permalinks, staging, state.outputs, common)[0])
        css = Output("static/pygments.css", f"pygments {pygments_version()}", pygments_css)
        for pages in (listings, render(site, config, env, about), speakers, timeline, [css]):
            made_keys, made_paths = put(pages, staging, state.outputs, common)
            outputs.update(made_keys)
            paths.extend(made_paths)
        files: Iterator[tuple[str, Content]] = chain(
            open_data(site, config, reuse),
            static_files(templates).items(),
        )
        for relative, content in files:
            staging.put(relative, content)

    keys = _page_keys(renderer, digests, versions, common) if settings.incremental else {}
    job = DocumentJob(staging, renderer, config, keys, state.rendered)
    with _last_timeline(out, state.manifest, settings.incremental) as (old_timeline, spans):
        reuse = Reuse(old_timeline, spans, keys)
        made = write_documents(job, settings.jobs, rest)
    listed = [f"{p.path}index.html" for p in site.pages]
    listed += [path for path in paths if _listed(path)]
    for relative, content in host_files(config, site, sorted(listed)).items():
        staging.put(relative, content)
    search = _index(settings, site, staging, state, digests, versions) if settings.search else {}
    rendered = {path: (keys[path], made[path]) for path in made if path in keys}
    return _Written(rendered, outputs, reuse.found, memo, search)


def _index(
    settings: _Settings,
    site: Site,
    staging: Staging,
    state: State,
    digests: dict[str, str],
    versions: dict[str, str],
) -> dict[str, str]:
    """Index the parts of the search whose documents changed since the last build, carry the
    others over (see :mod:`generator.search`); give each part's key."""
    parts = search_parts(site)
    keys = {part.name: part_key(part, digests, versions, settings.code) for part in parts}
    files: dict[str, list[str]] = {}  # each part's files in the last build
    for path in state.manifest:
        if path.startswith(f"{FOLDER}/"):
            files.setdefault(path.split("/", 2)[1], []).append(path)
    stale = [part for part in parts
             if state.search.get(part.name) != keys[part.name] or part.name not in files
             or not all([staging.keep(path) for path in files[part.name]])]  # fmt: skip
    for part in stale:
        staging.fresh(f"{FOLDER}/{part.name}")
    scratch = staging.folder / "_search"  # for the tiny pages: see :mod:`generator.search`
    write_search_index(stale, staging.folder, scratch, settings.config.language, settings.jobs)
    for part in stale:
        staging.adopt(f"{FOLDER}/{part.name}")
    return keys


P = ParamSpec("P")
R = TypeVar("R")


def _collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    """Keep Python's cyclic garbage collector off while ``function`` runs.

    A build holds millions of long-lived objects (the caches, the site model),
    and leaves almost no cycles behind. Each full collection walks all of them
    again: a one-change rebuild of 30,000 transcripts spent a fifth of its
    time there.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_collector_paused
def build(
    seeds: Path,
    out: Path,
    templates: Path = TEMPLATES,
    base_url: str | None = None,
    frozen: bool = False,
    ledger_path: Path | None = None,
    search: bool = True,
    progress: Progress = silent,
    jobs: int | None = None,
    incremental: bool = True,
) -> BuildResult:
    """Build the site from ``seeds`` into ``out``, and bring the anchor ledger up to date.

    The ledger is ``seeds/anchors.json`` unless ``ledger_path`` says otherwise
    (for seeds on a read-only share). ``search=False`` skips the Pagefind index.
    ``jobs`` processes share the work (default: one per core). ``incremental``
    lets the build reuse what the last build of ``out`` left in its cache; the
    output is the same either way.

    Worker processes import the calling script again, as multiprocessing's
    forkserver does (see :func:`generator.workers.fresh_pool`): a script that
    calls this must do so under ``if __name__ == "__main__":``.
    """
    started = time.perf_counter()
    jobs = jobs or os.cpu_count() or 1
    config, problems = load_config(seeds.parent / "site.toml", base_url)
    ledger_path = ledger_path or seeds / LEDGER
    state = load_state(out) if incremental else State()
    sources = find_sources(seeds)
    code = f"{CODE_DIGEST}\0{folder_digest(templates)}\0{config!r}"  # what renders the pages
    stamps = stamps_of(sources)
    inputs = _inputs(seeds, stamps, code, search)
    fingerprint = _fingerprint(inputs, ledger_path)
    if incremental and fingerprint == state.inputs and _intact(out.absolute(), state.manifest):
        seconds = time.perf_counter() - started
        return BuildResult([], list(state.problems), seconds, state.documents, state.paragraphs,
                           unchanged=True)  # fmt: skip
    spare = folder_for(out) / "site" if incremental else None
    ahead = _copy_ahead(out, spare, state.manifest, jobs)
    survey = SpareSurvey(spare) if spare is not None and ahead is None and spare.is_dir() else None
    deleting: threading.Thread | None = None  # the old ledger (see :func:`_put_ledger`)
    try:
        loaded = load_cache(out) if incremental else Cached()
        known = loaded.ledger
        registry, registry_problems = load_registry(seeds / "people.toml")
        cached = loaded.documents
        documents, read_problems, kept, hashes = read_sources(
            seeds, registry, cached, jobs, progress, sources, state.hashes, stamps
        )
        del stamps, sources  # ``hashes`` holds the stamps, for the next build (5 MB at 30,000)
        lenders = {document.source: document for document in documents}  # of rows' texts
        read_ledger, ledger_problems = ledger.read(ledger_path, known, lenders)
        del lenders  # their paragraphs, which the anchor stage replaces (25 MB at 30,000)
        problems += ledger_problems + registry_problems + read_problems
        own = known is not None and read_ledger.digest == known.digest  # the file as last written
        loaded.ledger = known = None  # ``read_ledger`` holds what is still of use (10 MB at 30,000)
        settled = {key[0] for key in kept if key in cached} if own else set()
        documents, anchored = anchor(documents, read_ledger.ledger, ledger.revision_date(), settled)
        kept = _anchored(kept, documents)
        memo = load_link_memo(out) if incremental else LinkMemo()
        digests = {source: hashed for source, hashed in kept}  # what each document is made from
        finder = find_mentions(documents, memo.mentions, jobs, digests)
        site = link(documents, anchored, memo, digests, finder)
        if incremental:  # now, not with the other caches: a memo by digest is true either way
            save_link_memo(out, memo)
        del memo  # 38 MiB at 30,000, not needed while the site is written, when memory peaks
        write = not ledger_problems and not frozen
        new_ledger, staged, write_problems = _encode_ledger(site.ledger, read_ledger, ledger_path,
                                                            write)  # fmt: skip
        try:
            changed = ledger.changes(read_ledger, new_ledger, exact=frozen)
            in_file = not changed and read_ledger.digest == new_ledger.digest  # its very bytes
            del read_ledger  # the rows parsed from the file, where the anchor stage replaced them
            if frozen and changed:
                raise LedgerChanged(f"{ledger_path} would change; rebuild without --frozen and "
                                    "review it")  # fmt: skip
            if changed:
                problems += write_problems
            else:
                _drop(staged)
                staged = None
            about = read_about(seeds, problems)
            copied = ahead is not None and ahead.finish()
            spare_manifest = state.manifest if copied else state.spare
            listed = ahead if copied else survey
            staging = Staging(out, state.manifest, spare, spare_manifest, listed)
        except BaseException:
            _drop(staged)
            raise
        settings = _Settings(out, templates, config, code, jobs, incremental, search)
        release_free_memory()
        try:
            written = _write_site(settings, site, staging, state, about, digests,
                                  new_ledger.versions)  # fmt: skip
        except BaseException:
            staging.abort()
            _drop(staged)
            raise
        del site  # not needed to save the caches, when a large build's memory peaks
        with staging.commit() as manifest:
            put_problems, deleting = _put_ledger(staged, ledger_path)
            problems += put_problems
            in_file = (in_file or staged is not None) and not put_problems
            paragraphs = sum(len(d.paragraphs) for d in documents)
            if incremental:
                save_cache(out, kept, _stamped(new_ledger, ledger_path, in_file), loaded)
                save_timeline(out, manifest[TIMELINE][0], written.events)
                save_memo(out, written.memo)
                fingerprint = _fingerprint(inputs, ledger_path)  # the ledger may have changed
                save_state(out, State(fingerprint, manifest, len(documents), paragraphs, problems,
                                      written.rendered, written.outputs, staging.spare_manifest,
                                      hashes, written.search))  # fmt: skip
        seconds = time.perf_counter() - started
        return BuildResult(documents, problems, seconds, len(documents), paragraphs)
    finally:
        if deleting is not None:
            deleting.join()
        if ahead is not None:
            ahead.cancel()
        if survey is not None:
            survey.cancel()
