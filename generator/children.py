"""Child processes that end with the build: a killed build leaves nothing running.

Worker processes and the search indexer write into the build's temporary
folder. If the build is killed, they must not live on and write there while
the next build clears it, so each asks Linux to kill it when its parent dies.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Have this process killed when the process that started it dies (Linux; else nothing)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    prctl = getattr(ctypes.CDLL(name, use_errno=True), "prctl", None)
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
