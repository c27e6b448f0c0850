"""Child processes that end with the build: a killed build leaves nothing running.

Worker processes and the search indexer write into the build's temporary
folder. If the build is killed, they must not live on and write there while
the next build clears it, so each asks Linux to kill it when its parent dies.
"""

from __future__ import annotations

import signal

from .libc import libc_function

_PR_SET_PDEATHSIG = 1
_PRCTL = libc_function("prctl")  # looked up here, not between fork and exec in the child


def die_with_parent() -> None:
    """Have this process killed when the process that started it dies (Linux; else nothing)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
