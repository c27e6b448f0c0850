"""The C library's calls that ``os`` lacks (``renameat2``, ``prctl``), looked up once."""

from __future__ import annotations

import ctypes
import functools
import os
from collections.abc import Callable
from pathlib import Path

_RENAME_EXCHANGE = 2


@functools.cache
def libc_function(name: str) -> Callable[..., int] | None:
    """The C library's function ``name``, or None where there is no such function.

    It is looked up among the symbols the interpreter has loaded, the C library's
    among them, rather than by ``ctypes.util.find_library``, which imports
    ``subprocess`` and may run ``ldconfig`` to find the library's file.
    """
    try:
        loaded = ctypes.CDLL(None, use_errno=True)
    except (OSError, TypeError):  # a platform without dlopen(NULL)
        return None
    function: Callable[..., int] | None = getattr(loaded, name, None)
    return function


def release_free_memory() -> None:
    """Give the memory the C allocator holds free back to the system (glibc's ``malloc_trim``).

    Python frees large strings and tables to ``malloc``, which keeps the
    space for reuse; what a stage freed then still counts in the process's
    resident memory while later stages run.
    """
    trim = libc_function("malloc_trim")
    if trim is not None:
        trim(0)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's ``renameat2``; False where that cannot be done
    (another system, a file system without it, or either path missing)."""
    renameat2 = libc_function("renameat2")
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)
