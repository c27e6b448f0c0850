"""The C library's calls that ``os`` lacks (``renameat2``, ``prctl``), looked up once."""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable


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
