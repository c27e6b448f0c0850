"""Child processes that end with the build: a killed build leaves nothing running.

Worker processes and the search indexer write into the build's temporary
folder, the copier of the last site into the build cache. If the build is
killed, they must not live on and write there while the next build clears
it, so each asks Linux to kill it when its parent dies.
"""

from __future__ import annotations

import glob
import os
import signal
from collections.abc import Iterator
from pathlib import Path

from .libc import libc_function

_PR_SET_PDEATHSIG = 1
_PRCTL = libc_function("prctl")  # looked up here, not between fork and exec in the child


def die_with_parent() -> None:
    """Have this process killed when the process that started it dies (Linux; else nothing)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)


def running(pid: int) -> bool:
    """Whether process ``pid`` still runs: what a build it left files for is not done with."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def left_by_dead(folder: Path, prefix: str) -> Iterator[Path]:
    """The files and folders named ``<prefix><pid>`` in ``folder`` whose process is gone: what
    builds that were stopped left behind. Those of running builds are theirs."""
    for path in folder.glob(f"{glob.escape(prefix)}*"):
        pid = path.name[len(prefix) :]
        if pid.isdigit() and not running(int(pid)):
            yield path
