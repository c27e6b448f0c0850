"""Pagefind's filter index in a fixed order, so the same site gives the same bytes.

Pagefind 1.x writes each filter's values in hash-map order, which differs from
run to run (Pagefind/pagefind#638), and names the filter files by a hash of
their bytes; the metadata file lists those names and is itself named by a
hash that ``pagefind-entry.json`` gives. This rewrites each filter file with
its values sorted, names it by the hash of the sorted bytes, and points the
metadata and entry files at the new names. Search reads the same data: only
the order of values within a filter file changes.

The files are gzip-compressed CBOR after a ``pagefind_dcd`` signature.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"


class IndexFormatError(Exception):
    """The index is not laid out as this Pagefind version's is."""


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise IndexFormatError(f"{path.name} does not start with Pagefind's signature")
    return cbor2.loads(raw[len(SIGNATURE) :])


def _write(folder: Path, prefix: str, digits: int, suffix: str, value: Any) -> str:
    """Write ``value`` as a Pagefind file named by the hash of its bytes; return that name."""
    raw = SIGNATURE + cbor2.dumps(value)
    name = prefix + hashlib.sha256(raw).hexdigest()[:digits]
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(raw, mtime=0))
    return name


def _prefix(name: str) -> str:
    return name[: name.rindex("_") + 1]


def sort_filters(folder: Path) -> None:
    """Rewrite the Pagefind index in ``folder`` (the ``pagefind/`` folder) in a fixed order."""
    entry_path = folder / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = folder / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)
        if not (isinstance(meta, list) and len(meta) > 3 and isinstance(meta[3], list)):
            raise IndexFormatError(f"{meta_path.name} has no list of filters where expected")
        filters = []
        for name, hashed in meta[3]:
            path = folder / "filter" / f"{hashed}.pf_filter"
            data = _read(path)
            if not (isinstance(data, list) and len(data) == 2 and data[0] == name):
                raise IndexFormatError(f"{path.name} is not the filter {name!r}")
            data[1] = sorted(data[1], key=lambda value: value[0])
            path.unlink()
            filters.append(
                [name, _write(folder / "filter", _prefix(hashed), 7, ".pf_filter", data)]
            )
        meta[3] = sorted(filters)
        meta_path.unlink()
        language["hash"] = _write(folder, "pagefind." + _prefix(language["hash"]), 10, ".pf_meta",
                                  meta).removeprefix("pagefind.")  # fmt: skip
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")  # fmt: skip
