"""The write stage: put the whole site in place at once, or not at all.

The site is written into a temporary folder beside the output and swapped in
at the end, so an interrupted or failed build leaves the previous site as it
was. Podium marks the folders it writes and refuses to replace a non-empty
folder without its mark: it never deletes what it did not write.

The site replaced is not deleted but kept in the build cache as the spare, and
the build after next starts from it: most of its files and folders are already
what that build needs, so a rebuild writes, links and deletes only what differs
instead of making every folder of the site again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import IO, Protocol

from .children import die_with_parent, left_by_dead
from .libc import exchange

MARK = ".podium-site"
_MARK_TEXT = "This folder was written by Podium; it replaces it whole on every build.\n"
_BATCH = 1 << 20  # bytes of a streamed file hashed and written at a time

Content = str | bytes | Iterable[bytes]
"""A file's content: whole, or in pieces (see :meth:`Staging.put`)."""


class OutputError(Exception):
    """The output folder cannot be written safely."""


def check_output(out: Path) -> None:
    """Refuse an output folder that holds files Podium did not write."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputError(f"{out} exists and is not a folder; choose another output with -o")
    if out.is_dir() and any(out.iterdir()) and not (out / MARK).is_file():
        raise OutputError(
            f"{out} is not empty and was not written by Podium; "
            "Podium will not replace it. Choose another output with -o or empty it."
        )


def _remove_stale(out: Path) -> None:
    """Remove temporary folders that an interrupted build of ``out`` left behind."""
    for stale in out.parent.glob(f".{out.name}.podium-*"):
        if stale.is_dir() and (stale / MARK).is_file():
            shutil.rmtree(stale, ignore_errors=True)


Manifest = dict[str, tuple[str, int, int]]
"""Each file of a written site: its path to (digest, size, mtime in ns)."""


def digest(content: bytes) -> str:
    """A short content hash: equal digests mean the same bytes."""
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def _safe(relative: str) -> str:
    """``relative`` if it names a file inside the output folder; refuse anything else."""
    normal = posixpath.normpath(relative)
    if normal != relative or normal.startswith(("/", "../")) or normal in ("", ".", ".."):
        raise OutputError(f"refusing to write outside the output folder: {relative!r}")
    return relative


def _create(target: Path, data: bytes) -> tuple[int, int]:
    """Write a new file and give its size and mtime; a file already there may be a link
    into the previous site, so it is replaced, never written through."""
    try:
        stream = target.open("xb")
    except FileExistsError:
        target.unlink()
        stream = target.open("xb")
    with stream:
        stream.write(data)
        stream.flush()
        stat = os.fstat(stream.fileno())
    return stat.st_size, stat.st_mtime_ns


Survey = tuple[Manifest, set[str], set[str]]
"""What a spare site holds: the files as its manifest says, the other files, every folder."""

_Entry = tuple[str, bool, int, int]  # path relative to the site, is a folder, size, mtime in ns


def _scan(folder: Path) -> Iterator[_Entry]:
    """Every file and folder under ``folder`` (symbolic links as files, not followed)."""
    pending = [""]
    while pending:
        parent = pending.pop()
        with os.scandir(folder / parent if parent else folder) as entries:
            for entry in entries:
                relative = f"{parent}/{entry.name}" if parent else entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append(relative)
                    yield relative, True, 0, 0
                else:
                    stat = entry.stat(follow_symlinks=False)
                    yield relative, False, stat.st_size, stat.st_mtime_ns


def _survey(entries: Iterable[_Entry], manifest: Manifest) -> Survey:
    """Sort ``entries`` of a spare site: the files that are as ``manifest`` says, the others
    (unknown), and every folder.

    A file whose size or mtime differ from the manifest's was written or
    touched since, and counts as unknown. The files known are named by the
    manifest's own strings, which the build holds anyway.
    """
    files: dict[str, tuple[int, int]] = {}
    folders = {""}
    for relative, is_folder, size, mtime in entries:
        if is_folder:
            folders.add(relative)
        elif relative != MARK:
            files[relative] = (size, mtime)
    present = {path: known for path, known in manifest.items() if files.get(path) == known[1:]}
    unknown = {path for path in files if path not in present}
    return present, unknown, folders


class Listing(Protocol):
    """What a spare holds, listed while the build went on (see :class:`SpareSurvey`)."""

    def entries(self) -> list[_Entry] | None:
        """The spare's files and folders; None if they were not all listed."""


_FIND = ["-mindepth", "1", "-printf", r"%y %s %T@ %P\0"]
"""What GNU ``find`` is given to list a site (see :func:`_listed`)."""


class SpareSurvey:
    """The files and folders of the spare site, listed by GNU ``find`` in a process of its own
    while the build goes on.

    Knowing what the spare holds takes a stat of every file and folder of the
    site: at 30,000 transcripts, 66,000 files and 41,000 folders, 0.65 s of
    system calls that need nothing the build computes. ``find`` makes them on
    another core while the build loads its cache. Where it cannot (no GNU
    ``find``, or it failed), :meth:`entries` gives None and :class:`Staging`
    surveys the spare itself.
    """

    def __init__(self, spare: Path) -> None:
        # not a pipe, which find would fill and wait on; closed by entries() or cancel()
        self.listing = tempfile.TemporaryFile()  # noqa: SIM115
        self.process: subprocess.Popen[bytes] | None = None
        find = shutil.which("find")
        if find is None:
            return
        try:
            self.process = _start([find, os.fspath(spare), *_FIND], self.listing)
        except OSError:
            self.process = None

    def entries(self) -> list[_Entry] | None:
        """Wait for ``find``; give what it listed, or None if it did not list all of it."""
        if self.process is None or self.process.wait() != 0:
            self.cancel()
            return None
        with self.listing:
            return _read_listing(self.listing)

    def cancel(self) -> None:
        """Stop ``find``, if it still runs, and drop its listing."""
        _stop(self.process)
        self.listing.close()


def _start(command: list[str], listing: IO[bytes] | None = None) -> subprocess.Popen[bytes]:
    """A process of the build's own, writing to ``listing`` (nothing if None)."""
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=listing or subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)  # fmt: skip


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()


def _read_listing(listing: IO[bytes]) -> list[_Entry] | None:
    """The entries ``find`` wrote to ``listing``; None if it is not what ``_FIND`` asks for."""
    listing.seek(0)
    try:
        return [_listed(record) for record in listing.read().split(b"\0")[:-1]]
    except ValueError:  # not the format asked for: not GNU find
        return None


def _listed(record: bytes) -> _Entry:
    """One record of ``find -printf '%y %s %T@ %P\\0'``: type, size, mtime in seconds
    (to the nanosecond), relative path. A file whose mtime this misreads counts as touched."""
    kind, size, mtime, relative = record.split(b" ", 3)
    if kind == b"d":
        return os.fsdecode(relative), True, 0, 0
    seconds, _, fraction = mtime.partition(b".")
    nanoseconds = int(seconds) * 1_000_000_000 + int(fraction[:9].ljust(9, b"0"))
    return os.fsdecode(relative), False, int(size), nanoseconds


def _prune(folder: Path, relatives: Iterable[str]) -> None:
    """Delete the files ``relatives`` under ``folder``, and the folders that leaves empty."""
    parents = set()
    for relative in relatives:
        os.unlink(folder / relative)
        parents.add(posixpath.dirname(relative))
    for parent in sorted(parents, key=len, reverse=True):
        while parent:
            try:
                os.rmdir(folder / parent)
            except OSError:
                break
            parent = posixpath.dirname(parent)


class Staging:
    """A new site being written beside ``out``, swapped in whole by :meth:`commit`.

    A file whose bytes are those of the previous build is not written again:
    it is hard-linked from the previous site, so its mtime stays and a deploy
    sees only what changed. ``previous`` is the previous build's manifest; a
    file whose size or mtime no longer match it was touched by someone else
    and is written afresh.

    ``spare`` is where the site before the previous one is kept between builds
    (in the build cache, on the same file system), as ``spare_manifest`` says
    it was. The new site starts from it, so only what differs is written,
    linked or deleted, not every file and folder; and the site it replaces
    becomes the next spare instead of being deleted. ``survey``, if given, has
    listed the spare already (see :class:`SpareSurvey`).
    """

    def __init__(
        self,
        out: Path,
        previous: Manifest | None = None,
        spare: Path | None = None,
        spare_manifest: Manifest | None = None,
        survey: Listing | None = None,
    ) -> None:
        self.out = out.absolute()
        check_output(self.out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(self.out)
        self.folder = self.out.parent / f".{self.out.name}.podium-{os.getpid()}"
        self.spare = spare
        self.previous: Manifest = previous or {}
        """Read, never changed: the caller's own manifest."""
        self.written: Manifest = {}
        self.present: Manifest = {}
        """The files of the spare site already in the folder, as its manifest says."""
        self._unknown: set[str] = set()  # the files the spare brought that are not in present
        self._folders: set[str] = {""}
        self._garbage: list[Path] = []
        if spare is not None and spare.is_dir():
            self._take_spare(spare, spare_manifest or {}, survey)
        if not self.folder.is_dir():
            self.folder.mkdir()
        _create(self.folder / MARK, _MARK_TEXT.encode())
        self.spare_manifest: Manifest = {}
        """What the spare holds after :meth:`commit`: the site it replaced, if kept."""

    def __getstate__(self) -> dict[str, object]:
        """What a worker process gets: the folder to write into, but neither manifest nor the
        spare's files and folders.

        A worker is sent, with each batch of pages, the entries of the files
        those pages wrote last time (see :meth:`entries`), and makes a folder
        if it is not there. Whole, these took 15 MB in each worker at 30,000
        transcripts, and about 60 MB when every page was rendered again after a
        template change, which took the build over 1 GB.
        """
        return {**self.__dict__, "previous": {}, "present": {}, "_unknown": set(), "_folders": {""}}

    def entries(self, paths: Iterable[str]) -> tuple[Manifest, Manifest]:
        """The last build's manifest entries of ``paths``, and the spare's, for a worker."""
        paths = list(paths)
        previous = {path: self.previous[path] for path in paths if path in self.previous}
        present = {path: self.present[path] for path in paths if path in self.present}
        return previous, present

    def _take_spare(self, spare: Path, manifest: Manifest, survey: Listing | None) -> None:
        """Start the new site from the spare.

        With no manifest (the cache of an earlier version of Podium, or one that
        could not be read) none of its files is trusted, but its folders are
        still those the site needs, and reusing them costs less than deleting
        them and making them again.
        """
        listed = survey.entries() if survey is not None else None  # of the spare where it was
        try:
            spare.rename(self.folder)
        except OSError:  # another file system: the spare is of no use
            self._garbage.append(spare)
            return
        try:
            entries = listed if listed is not None else _scan(self.folder)
            self.present, self._unknown, self._folders = _survey(entries, manifest)
        except OSError:
            trash = self.out.parent / f".{self.out.name}.podium-{os.getpid()}-spare"
            self.folder.rename(trash)
            self._garbage.append(trash)
            self.present, self._unknown, self._folders = {}, set(), {""}

    def _target(self, relative: str) -> Path:
        parent = posixpath.dirname(_safe(relative))
        if parent not in self._folders:
            (self.folder / parent).mkdir(parents=True, exist_ok=True)
            self._folders.add(parent)
        return self.folder / relative

    def _link_previous(self, relative: str, target: Path) -> bool:
        known = self.previous.get(relative)
        if known is None:
            return False
        try:
            stat = os.stat(self.out / relative)
            if (stat.st_size, stat.st_mtime_ns) != known[1:]:
                return False
            try:
                os.link(self.out / relative, target)
            except FileExistsError:
                os.unlink(target)
                os.link(self.out / relative, target)
        except OSError:
            return False
        return True

    def _carry(self, relative: str, hashed: str) -> bool:
        """Whether the previous build's file, if its digest is ``hashed``, is now in place."""
        known = self.previous.get(relative)
        if known is None or known[0] != hashed:
            return False
        if self.present.get(relative) != known and not self._link_previous(
            relative, self._target(relative)
        ):
            return False
        self.written[relative] = known
        return True

    def put(self, relative: str, content: Content) -> tuple[str, int, int]:
        """Add one file to the new site; return its manifest entry.

        ``content`` may come in pieces of bytes, for a file too large to hold
        whole (see :meth:`_stream`).
        """
        if not isinstance(content, str | bytes):
            return self._stream(relative, content)
        data = content.encode("utf-8") if isinstance(content, str) else content
        hashed = digest(data)
        if not self._carry(relative, hashed):
            self.written[relative] = (hashed, *_create(self._target(relative), data))
        return self.written[relative]

    def _stream(self, relative: str, pieces: Iterable[bytes]) -> tuple[str, int, int]:
        """Write ``pieces`` to a file beside the target as they come, hashing them; keep the
        previous build's file instead if the digest is its.

        The hash is that of the whole content (as :func:`digest` gives it), so
        a file written in pieces carries over as one written whole.
        """
        target = self._target(relative)
        fresh = target.with_name(f".{target.name}.podium-new")
        hashed = hashlib.blake2b(digest_size=16)
        batch: list[bytes] = []
        size = 0
        with fresh.open("wb") as stream:
            for piece in chain(pieces, [b""]):
                batch.append(piece)
                size += len(piece)
                if size >= _BATCH or not piece:
                    data = b"".join(batch)
                    hashed.update(data)
                    stream.write(data)
                    batch, size = [], 0
        if self._carry(relative, hashed.hexdigest()):
            fresh.unlink()
        else:
            target.unlink(missing_ok=True)  # renamed over, ext4 would write it out first
            os.replace(fresh, target)
            stat = os.stat(target)
            self.written[relative] = (hashed.hexdigest(), stat.st_size, stat.st_mtime_ns)
        return self.written[relative]

    def keep(self, relative: str) -> bool:
        """Carry a file of the previous site over unchanged; False if it cannot be."""
        known = self.previous.get(relative)
        return known is not None and self._carry(relative, known[0])

    def fresh(self, folder: str) -> Path:
        """An empty ``folder`` in the new site, for another program to write into."""
        path = self.folder / _safe(folder)
        shutil.rmtree(path, ignore_errors=True)
        prefix = f"{folder}/"
        self.written = {r: e for r, e in self.written.items() if not r.startswith(prefix)}
        self.present = {r: e for r, e in self.present.items() if not r.startswith(prefix)}
        self._unknown = {r for r in self._unknown if not r.startswith(prefix)}
        self._folders = {f for f in self._folders if f != folder and not f.startswith(prefix)}
        path.mkdir(parents=True)
        return path

    def adopt(self, folder: str) -> None:
        """Take in the files another program wrote under ``folder`` of the new site.

        Those equal to the previous build's are replaced by links to them.
        """
        root = self.folder / folder
        for path in sorted(root.rglob("*")):
            if not path.is_file():
                continue
            relative = path.relative_to(self.folder).as_posix()
            hashed = digest(path.read_bytes())
            known = self.previous.get(relative)
            if known is not None and known[0] == hashed:
                spare = path.with_name(f".{path.name}.podium")
                if self._link_previous(relative, spare):
                    os.replace(spare, path)
                    self.written[relative] = known
                    continue
            stat = os.stat(path)
            self.written[relative] = (hashed, stat.st_size, stat.st_mtime_ns)

    def manifest(self) -> Manifest:
        """The manifest of the new site as it stands in the temporary folder."""
        return dict(self.written)

    @contextlib.contextmanager
    def commit(self) -> Iterator[Manifest]:
        """Swap the new site in for the old one in one step; give its manifest.

        What the old site becomes (the next spare, or nothing) is settled in a
        thread while the ``with`` block runs (a build saves its caches then),
        and is done when the block ends.
        """
        _prune(self.folder, (self.present.keys() | self._unknown) - self.written.keys())
        manifest = self.manifest()
        replaced: Path | None = None  # where the old site is once the new one is in place
        if not self.out.exists():
            self.folder.rename(self.out)
        elif exchange(self.folder, self.out):
            replaced = self.folder
        else:
            replaced = self.out.parent / f".{self.out.name}.podium-old-{os.getpid()}"
            self.out.rename(replaced)
            self.folder.rename(self.out)
        garbage = list(self._garbage)
        if replaced is not None and not self._keep_as_spare(replaced):
            garbage.append(replaced)
        remover = threading.Thread(target=_remove_all, args=(garbage,))
        remover.start()
        try:
            yield manifest
        finally:
            remover.join()

    def _keep_as_spare(self, replaced: Path) -> bool:
        """Move the site just replaced to the spare's place; False if it cannot go there."""
        if self.spare is None or self.spare.exists():
            return False
        try:
            self.spare.parent.mkdir(parents=True, exist_ok=True)
            replaced.rename(self.spare)
        except OSError:  # another file system
            return False
        self.spare_manifest = self.previous
        return True

    def abort(self) -> None:
        """Drop the new site; the previous one stays as it was."""
        shutil.rmtree(self.folder, ignore_errors=True)


class LinkedCopy:
    """The site at ``out`` hard-linked into the spare's place, by ``cp -al`` in a process of
    its own, while the build goes on; then listed by ``find``, as :class:`SpareSurvey` lists a
    spare.

    A rebuild with no spare (the first after a clean build) would otherwise
    make every folder and link every file of the new site itself: at 30,000
    transcripts, 66,000 files and 41,000 folders: seconds of system calls that
    need nothing the build computes. The copy starts from the last site as it stands, and
    :class:`Staging` trusts of it only what its manifest vouches for, as of any
    spare. It is made under a temporary name and renamed into place whole, so
    a build stopped midway leaves no copy that looks finished.

    ``find`` is started by a thread once ``cp`` is done, and waited for by it:
    Linux kills a child when the thread that started it ends (see
    :func:`~generator.children.die_with_parent`).
    """

    def __init__(self, out: Path, spare: Path) -> None:
        self.spare = spare
        self.partial = spare.with_name(f"{spare.name}.podium-{os.getpid()}")
        self.process: subprocess.Popen[bytes] | None = None
        self.listing = tempfile.TemporaryFile()  # noqa: SIM115  # closed by cancel()
        self.listed: list[_Entry] | None = None
        self._finder: subprocess.Popen[bytes] | None = None
        self._lister: threading.Thread | None = None
        self._lock = threading.Lock()
        self._cancelled = False
        _remove_partials(spare)
        shutil.rmtree(self.partial, ignore_errors=True)
        cp, find = shutil.which("cp"), shutil.which("find")
        try:
            spare.parent.mkdir(parents=True, exist_ok=True)
            if cp is None or os.stat(spare.parent).st_dev != os.stat(out).st_dev:
                return  # no cp, or the cache is on another file system: no links
            self.process = _start([cp, "-al", "--", os.fspath(out.absolute()),
                                   os.fspath(self.partial)])  # fmt: skip
        except OSError:  # no cache folder, or no cp to run
            self.process = None
            return
        if find is not None:
            self._lister = threading.Thread(target=self._list, args=(self.process, find))
            self._lister.start()

    def _list(self, copying: subprocess.Popen[bytes], find: str) -> None:
        if copying.wait() != 0:
            return
        with self._lock:
            if self._cancelled:
                return
            try:
                self._finder = _start([find, os.fspath(self.partial), *_FIND], self.listing)
            except OSError:
                return
        self._finder.wait()

    def finish(self) -> bool:
        """Wait for the copy and put it in the spare's place; False if there is none."""
        if self.process is None:
            return False
        if self._lister is not None:
            self._lister.join()
        if self.process.wait() == 0 and not self.spare.exists():
            try:
                self.partial.rename(self.spare)
            except OSError:
                pass
            else:
                listed = self._finder is not None and self._finder.wait() == 0
                self.listed = _read_listing(self.listing) if listed else None
                return True
        shutil.rmtree(self.partial, ignore_errors=True)  # a cp that failed, or has no -l
        return False

    def entries(self) -> list[_Entry] | None:
        """What the copy holds, as ``find`` listed it once it was made; None if it did not."""
        return self.listed

    def cancel(self) -> None:
        """Stop the copy and its listing, if they still run, and remove what they made."""
        with self._lock:
            self._cancelled = True
            _stop(self.process)
            _stop(self._finder)
        if self._lister is not None:
            self._lister.join()
        self.listing.close()
        shutil.rmtree(self.partial, ignore_errors=True)


def _remove_partials(spare: Path) -> None:
    """Remove the copies that stopped builds left (see :class:`LinkedCopy`)."""
    for partial in left_by_dead(spare.parent, f"{spare.name}.podium-"):
        shutil.rmtree(partial, ignore_errors=True)


def _remove_all(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
