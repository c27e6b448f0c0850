"""The write stage: put the whole site in place at once, or not at all.

The site is written into a temporary folder beside the output and swapped in
at the end, so an interrupted or failed build leaves the previous site as it
was. Podium marks the folders it writes and refuses to replace a non-empty
folder without its mark: it never deletes what it did not write.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

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
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _remove_stale(out: Path) -> None:
    """Remove temporary folders that an interrupted build of ``out`` left behind."""
    for stale in out.parent.glob(f".{out.name}.podium-*"):
        if stale.is_dir() and (stale / MARK).is_file():
            shutil.rmtree(stale)


def write_site(
    out: Path,
    files: Mapping[str, str | bytes],
    before_swap: Callable[[Path], None] | None = None,
) -> None:
    """Write ``files`` (output path to content) as the folder ``out``, atomically.

    ``before_swap`` runs on the finished temporary folder (the search indexer
    adds its files there); if it fails, the previous site stays.
    """
    out = out.absolute()
    check_output(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(out)
    temporary = out.parent / f".{out.name}.podium-{os.getpid()}"
    temporary.mkdir()
    (temporary / MARK).write_text(_MARK_TEXT, encoding="utf-8")
    for relative in sorted(files):
        target = temporary / relative
        if not target.resolve().is_relative_to(temporary.resolve()):
            raise OutputError(f"refusing to write outside the output folder: {relative!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        content = files[relative]
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    if before_swap is not None:
        try:
            before_swap(temporary)
        except BaseException:
            shutil.rmtree(temporary)
            raise
    if out.exists():
        if not _exchange(temporary, out):
            previous = out.parent / f".{out.name}.podium-old-{os.getpid()}"
            out.rename(previous)
            temporary.rename(out)
            temporary = previous
        shutil.rmtree(temporary)
    else:
        temporary.rename(out)
