"""What keeps old links landing: notes for retired ids, redirects, and the short-link map.

All of it is read off the anchor ledger. A retired id (split, merged,
removed) resolves through its successors to a paragraph that is current
today; a document's earlier URL paths get redirect pages; ``p/#<id>`` finds
any id ever issued through a map sharded by the id's first two characters,
loaded as a script so that it works from disk too.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from functools import partial

from .jsontext import SORTED
from .ledger import spelled
from .model import Ledger, Row, Site

SHARD = 2  # characters of the id that name its shard: 32² shards, ~100 ids each at 100,000


def _walk(rows: dict[str, Row], identifier: str) -> Iterator[Row | None]:
    """Every row on the trail from ``identifier``, following first successors until a current
    row, a row without successors or a loop; None for an id the ledger lacks, which ends it."""
    seen: set[str] = set()
    while identifier not in seen:
        seen.add(identifier)
        row = rows.get(identifier)
        yield row
        if row is None or row.status == "current" or not row.successors:
            return
        identifier = row.successors[0]


def resolve(rows: dict[str, Row], identifier: str) -> str | None:
    """The current id an id leads to, following successors; None if the trail ends nowhere."""
    last = list(_walk(rows, identifier))[-1]
    return last.id if last is not None and last.status == "current" else None


def retired_notes(
    site: Site, rows: dict[str, Row] | None = None
) -> dict[str, dict[str, list[Row]]]:
    """Per document path, per current paragraph id: the retired rows to note just before it.

    ``rows`` is the ledger's rows by id, if the caller has made it already.
    """
    rows = rows if rows is not None else site.ledger.by_id()
    path_of = {page.document.source: page.path for page in site.pages}
    notes: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    retired = (row for row in site.ledger.rows if row.status != "current")
    for row in sorted(retired, key=lambda r: (r.document, r.n, r.id)):
        if row.document not in path_of:
            continue
        target = resolve(rows, row.id)
        if target is not None and rows[target].document == row.document:
            notes[path_of[row.document]][target].append(row)
    return notes


def redirects(site: Site) -> dict[str, str]:
    """Old URL path -> current path, for documents whose title or date changed."""
    current = {page.document.source: page.path for page in site.pages}
    taken = set(current.values())
    moved = {}
    for source, paths in sorted(site.ledger.paths.items()):
        if source not in current:
            continue
        for old in paths[:-1]:
            if old not in taken:
                moved[old] = current[source]
    return moved


Shard = tuple[str, str | None, Callable[[], str]]
"""A short-link map file: its path, its key, and how to make its text."""


ShardsMade = dict[str, tuple[str | None, tuple[str, ...]]]
"""Each short-link shard's key and the documents it was made from, by shard name."""


def shortlink_shards(
    ledger: Ledger,
    current_paths: dict[str, str],
    versions: dict[str, str],
    last: ShardsMade | None = None,
    changed: Collection[str] = (),
    rows: dict[str, Row] | None = None,
) -> tuple[Iterator[Shard], ShardsMade]:
    """``p/map/<xx>.js`` files, one at a time: each id's current location, status, fingerprint
    and old wordings; and what each was made from, filled in as they come.

    A shard is made from the rows of a few hundred documents: those of its
    ids, and those their trails pass through. Its key is the digest of what
    they hold (``versions``, by document, from the ledger's lines) and of
    their current paths; None if a version is missing. A shard is made only
    when asked, and encoded (with sorted keys, so the ids need no sorting
    here) before the next is, so only one shard is held at a time.

    Finding every shard's documents is a pass over every row of the ledger
    (1 s at 30,000 transcripts). Given what the last build made (``last``)
    and the documents whose rows or paths have changed since, only the shards
    that hold an id of such a document, or were made from one, are looked at
    again: the others have the same ids, rows and trails, so the same key.

    ``rows`` is the ledger's rows by id, if the caller has made it already.
    """
    made: ShardsMade = {}
    kept = _kept(ledger, last or {}, changed)
    rows = rows if rows is not None else ledger.by_id()
    return _shards(rows, current_paths, versions, kept, made), made


def _kept(ledger: Ledger, last: ShardsMade, changed: Collection[str]) -> ShardsMade:
    """The shards of ``last`` that no document of ``changed`` has an id in or was made from."""
    changed = set(changed)
    again = {name for name, (key, sources) in last.items()
             if key is None or not changed.isdisjoint(sources)}  # fmt: skip
    again.update(row.id[:SHARD] for row in ledger.rows if row.document in changed)
    return {name: shard for name, shard in last.items() if name not in again}


def _shards(
    rows: dict[str, Row],
    current_paths: dict[str, str],
    versions: dict[str, str],
    kept: ShardsMade,
    made: ShardsMade,
) -> Iterator[Shard]:
    shards: dict[str, list[str]] = defaultdict(list)
    for identifier in rows:
        if identifier[:SHARD] not in kept:
            shards[identifier[:SHARD]].append(identifier)
    for name in sorted(shards.keys() | kept.keys()):
        if name in kept:
            made[name] = kept[name]
            make = partial(_kept_shard, rows, name, current_paths)
            yield f"p/map/{name}.js", kept[name][0], make
            continue
        identifiers = shards[name]
        sources = set()
        for identifier in identifiers:
            row = rows[identifier]
            if row.status == "current":
                sources.add(row.document)
            else:
                sources.update(_trail(rows, identifier))
        ordered = tuple(sorted(sources))
        key = _key(ordered, versions, current_paths)
        made[name] = (key, ordered)
        yield f"p/map/{name}.js", key, partial(_shard, rows, identifiers, current_paths)


def _kept_shard(rows: dict[str, Row], name: str, paths: dict[str, str]) -> str:
    """A shard whose key is the last build's, made again all the same (its file was lost)."""
    return _shard(rows, [identifier for identifier in rows if identifier[:SHARD] == name], paths)


def _trail(rows: dict[str, Row], identifier: str) -> Iterator[str]:
    """The documents of every row :func:`resolve` passes on its way from ``identifier``; ""
    for an id the ledger lacks, which has no version, so that its shard has no key."""
    return (row.document if row is not None else "" for row in _walk(rows, identifier))


def _key(sources: Sequence[str], versions: dict[str, str], paths: dict[str, str]) -> str | None:
    if any(source not in versions for source in sources):
        return None
    lines = (f"{s}\0{versions[s]}\0{paths.get(s, '')}" for s in sources)
    return hashlib.blake2b("\n".join(lines).encode(), digest_size=16).hexdigest()


def _shard(rows: dict[str, Row], identifiers: list[str], paths: dict[str, str]) -> str:
    entries = {identifier: _entry(rows, identifier, paths) for identifier in identifiers}
    return "podiumShard(" + SORTED.encode(entries).replace("<", "\\u003c") + ");\n"


def _entry(rows: dict[str, Row], identifier: str, paths: dict[str, str]) -> dict[str, object]:
    """What the short-link map says of one id; ``paths`` holds each document's current path."""
    row = rows[identifier]
    target = identifier if row.status == "current" else resolve(rows, identifier)
    entry: dict[str, object] = {"s": row.status, "f": spelled(row.fingerprint)}
    if target is not None:
        aim = rows[target]
        path = paths.get(aim.document)
        if path is not None:
            entry["u"] = f"{path}index.html#p-{target}"
            entry["n"] = aim.n
    if row.history:
        entry["h"] = {spelled(v.fingerprint): v.text for v in row.history}
    if row.date:
        entry["d"] = row.date
    return entry
