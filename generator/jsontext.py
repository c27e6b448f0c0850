"""JSON as Podium writes it, with encoders made once.

``json.dumps`` with any option builds a new encoder on every call, which is
most of its cost for the many small values a build encodes (ledger rows,
citation URLs, short-link shards). These encode the same text.
"""

from __future__ import annotations

import json

SORTED = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
"""Sorted keys, UTF-8 left as it is: ``json.dumps(v, ensure_ascii=False, sort_keys=True)``."""

COMPACT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
"""As :data:`SORTED`, without spaces."""

TEXT = json.JSONEncoder(ensure_ascii=False)
"""UTF-8 left as it is, keys in their order."""
