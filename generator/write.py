"""The write stage: put the whole site in place at once, or not at all.

The site is written into a temporary folder beside the output and swapped in
at the end, so an interrupted or failed build leaves the previous site as it
was. Podium marks the folders it writes and refuses to replace a non-empty
folder without its mark: it never deletes what it did not write.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from .libc import libc_function

MARK = ".podium-site"
_MARK_TEXT = "This folder was written by Podium; it replaces it whole on every build.\n"
_RENAME_EXCHANGE = 2


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


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically with Linux's renameat2; False where unsupported."""
    renameat2 = libc_function("renameat2")
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


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


def _create(target: Path, data: bytes) -> None:
    """Write a new file; a file already there may be a link into the previous site, so it is
    replaced, never written through."""
    try:
        stream = target.open("xb")
    except FileExistsError:
        target.unlink()
        stream = target.open("xb")
    with stream:
        stream.write(data)


class Staging:
    """A new site being written beside ``out``, swapped in whole by :meth:`commit`.

    A file whose bytes are those of the previous build is not written again:
    it is hard-linked from the previous site, so its mtime stays and a deploy
    sees only what changed. ``previous`` is the previous build's manifest; a
    file whose size or mtime no longer match it was touched by someone else
    and is written afresh.
    """

    def __init__(self, out: Path, previous: Manifest | None = None) -> None:
        self.out = out.absolute()
        check_output(self.out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(self.out)
        self.folder = self.out.parent / f".{self.out.name}.podium-{os.getpid()}"
        self.folder.mkdir()
        (self.folder / MARK).write_text(_MARK_TEXT, encoding="utf-8")
        self.previous: Manifest = dict(previous or {})
        self.written: dict[str, str] = {}
        self._folders: set[str] = {""}

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
            os.link(self.out / relative, target)
        except OSError:
            return False
        return True

    def put(self, relative: str, content: str | bytes) -> str:
        """Add one file to the new site; return the digest of its bytes."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        hashed = digest(data)
        target = self._target(relative)
        known = self.previous.get(relative)
        if not (known is not None and known[0] == hashed and self._link_previous(relative, target)):
            _create(target, data)
        self.written[relative] = hashed
        return hashed

    def keep(self, relative: str) -> bool:
        """Carry a file of the previous site over unchanged; False if it cannot be."""
        if not self._link_previous(relative, self._target(relative)):
            return False
        self.written[relative] = self.previous[relative][0]
        return True

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
            self.written[relative] = hashed

    def manifest(self) -> Manifest:
        """The manifest of the new site as it stands in the temporary folder."""
        out: Manifest = {}
        for relative, hashed in self.written.items():
            stat = os.stat(self.folder / relative)
            out[relative] = (hashed, stat.st_size, stat.st_mtime_ns)
        return out

    @contextlib.contextmanager
    def commit(self) -> Iterator[Manifest]:
        """Swap the new site in for the old one in one step; give its manifest.

        The old site is deleted in a thread while the ``with`` block runs (a
        build saves its caches then), and is gone when the block ends.
        """
        manifest = self.manifest()
        out, temporary = self.out, self.folder
        if not out.exists():
            temporary.rename(out)
            yield manifest
            return
        if not _exchange(temporary, out):
            previous = out.parent / f".{out.name}.podium-old-{os.getpid()}"
            out.rename(previous)
            temporary.rename(out)
            temporary = previous
        remover = threading.Thread(
            target=shutil.rmtree, args=(temporary,), kwargs={"ignore_errors": True}
        )
        remover.start()
        try:
            yield manifest
        finally:
            remover.join()

    def abort(self) -> None:
        """Drop the new site; the previous one stays as it was."""
        shutil.rmtree(self.folder, ignore_errors=True)
