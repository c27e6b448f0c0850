"""``python -m generator``, the same as ``podium``."""

import sys

from .cli import main

sys.exit(main())
