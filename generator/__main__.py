"""``python -m generator``, the same as ``podium``."""

from .cli import run

run()
