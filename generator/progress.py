"""A progress line for long builds on a terminal; silent when output is not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class TerminalProgress:
    """Prints ``stage: done/total, about N s left`` over itself, ten times a second at most."""

    def __init__(self, out: TextIO = sys.stderr) -> None:
        self.out = out
        self.enabled = out.isatty()
        self.started: dict[str, float] = {}
        self.shown = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        start = self.started.setdefault(stage, now)
        if done < total and now - self.shown < 0.1:
            return
        self.shown = now
        left = (now - start) / done * (total - done) if done else 0.0
        line = f"{stage}: {done}/{total}" + (f", about {left:.0f} s left" if done < total else "")
        self.out.write("\r\x1b[2K" + line)
        if done >= total:
            self.out.write("\n")
        self.out.flush()
