"""The anchor ledger, ``seeds/anchors.json``: every paragraph id ever issued, and its fate.

A row per id: its document, its number, the fingerprint and wording of its
text, and its status: ``current`` (perhaps revised, with the earlier wordings
kept), ``split`` (into the ids in ``successors``), ``merged`` (into
``successors[0]``) or ``removed`` (the reader is sent to ``successors[0]``).
Rows are never dropped, so a link that was ever published always lands.

The file is JSON with one row per line, sorted, so that a change to the seeds
shows as a small, readable diff of the ledger.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import itertools
import json
import operator
import os
import queue
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from .children import left_by_dead
from .jsontext import SORTED
from .model import Document, Ledger, Problem, Row, Severity, Version

FORMAT = "podium-anchors/1"


def fingerprint(text: str) -> int:
    """A short hash of the exact wording (Unicode-normalised, spacing folded): 32 bits, which
    the ledger and the short-link map spell as 8 hex digits (see :func:`spelled`)."""
    wording = " ".join(unicodedata.normalize("NFC", text).split())
    return int.from_bytes(hashlib.blake2b(wording.encode(), digest_size=4).digest(), "big")


def spelled(fingerprint: int) -> str:
    """A fingerprint as the ledger and the short-link map write it: 8 lowercase hex digits."""
    return f"{fingerprint:08x}"


_SPELLED = re.compile(r"[0-9a-f]{8}")


def _fingerprint_of(value: object) -> int:
    """The fingerprint a ledger spells as ``value``; anything but 8 lowercase hex digits would
    not be written back as it was read, and is refused."""
    if not isinstance(value, str) or not _SPELLED.fullmatch(value):
        raise ValueError(f"a fingerprint must be 8 lowercase hex digits, not {value!r}")
    return int(value, 16)


def revision_date() -> str | None:
    """The date revisions are recorded under: ``SOURCE_DATE_EPOCH``, never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()


def _row_json(row: Row) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.id,
        "document": row.document,
        "n": row.n,
        "fingerprint": spelled(row.fingerprint),
        "text": row.text,
        "status": row.status,
    }
    if row.date:
        data["date"] = row.date
    if row.successors:
        data["successors"] = list(row.successors)
    if row.history:
        data["history"] = [
            {"fingerprint": spelled(v.fingerprint), "text": v.text, "until": v.until}
            for v in row.history
        ]
    return data


Chunk = bytes | memoryview


@dataclass(frozen=True)
class Text:
    """A ledger and the bytes of its file, in chunks.

    ``spans`` places each document's rows, sorted, in the file when Podium
    wrote it. Kept for the next build (without the chunks: ``digest`` tells
    whether the file still holds them), it spares that build parsing the file,
    and encoding again the rows of every document whose rows are still the
    very same objects: their lines are copied from the file as it was read.

    The file stays bytes, in pieces that are written out one after another:
    as one string, the ledger of 30,000 transcripts took 440 MB, and a rebuild
    held three copies of it. A ledger from :func:`read` holds none of them;
    one it found as Podium wrote it has ``file``, naming the file, and
    ``stamp``, its size and mtime then; lines are read from it as they are
    copied. The build cache keeps the ``stamp`` of the file a build left
    (see :func:`read`).

    ``versions`` holds the digest of each document's lines: what the
    short-link map, made from the rows, is keyed by (see
    :func:`generator.permalinks.shortlink_shards`).
    """

    ledger: Ledger
    chunks: tuple[Chunk, ...] = ()
    spans: dict[str, tuple[tuple[Row, ...], int, int]] = field(default_factory=dict)
    digest: str = ""
    file: Path | None = None
    stamp: tuple[int, int] = (0, 0)
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def data(self) -> Chunk:
        """The file's bytes, as one piece."""
        return self.chunks[0] if len(self.chunks) == 1 else b"".join(self.chunks)

    @property
    def text(self) -> str:
        return bytes(self.data).decode("utf-8")


def _hasher() -> hashlib.blake2b:
    """The hash of a ledger file: :func:`read` hashes the file whole, :func:`encode` chunk by
    chunk, and the two digests must agree."""
    return hashlib.blake2b(digest_size=16)


def _digest_of(stream: io.BufferedReader) -> str:
    return hashlib.file_digest(stream, _hasher).hexdigest()


def _digest(data: Chunk) -> str:
    hashed = _hasher()
    hashed.update(data)
    return hashed.hexdigest()


Lines = Callable[[int, int], Chunk]
"""Bytes ``start:end`` of a ledger file: fewer if it was cut."""


@contextlib.contextmanager
def _known_lines(known: Text | None) -> Iterator[Lines | None]:
    """How to take bytes ``start:end`` of the file ``known`` came from; None if its lines
    cannot be had (then every row is encoded again, to the same bytes)."""
    if known is None or not known.spans:
        yield None
    elif known.chunks:
        data = memoryview(known.data)
        yield lambda start, end: data[start:end]
    elif known.file is None:
        yield None
    else:
        try:
            stream = known.file.open("rb")
        except OSError:
            yield None
            return
        with stream:
            stat = os.fstat(stream.fileno())
            same = (stat.st_size, stat.st_mtime_ns) == known.stamp
            number = stream.fileno()
            yield (lambda start, end: os.pread(number, end - start, start)) if same else None


_ORDER = operator.attrgetter("n", "id")
"""The order of a document's rows in the ledger file."""


def _sorted_rows(rows: Sequence[Row], known: tuple[Row, ...]) -> tuple[Row, ...]:
    """A document's ``rows`` in the order of the ledger file; ``known`` itself if they are its
    very rows (as they are for every unchanged document), which spares sorting 600,000 rows."""
    if _same(known, rows):
        return known
    ordered = tuple(sorted(rows, key=_ORDER))
    return known if _same(known, ordered) else ordered


def _same(known: Sequence[Row], rows: Sequence[Row]) -> bool:
    return len(known) == len(rows) and all(map(operator.is_, known, rows))


def _rows_json(rows: tuple[Row, ...]) -> bytes:
    return ",\n".join(SORTED.encode(_row_json(r)) for r in rows).encode()


def as_written(ledger: Ledger, known: Text) -> Text | None:
    """``known``, now holding ``ledger``, if :func:`encode` would make the very bytes of the
    file ``known`` was read from: the same paths, and each document's very rows. None if it
    would not, or if the file may hold other bytes by now.

    A rebuild that changed no row (a template, the configuration, the about
    page) then encodes, hashes and writes nothing: at 30,000 transcripts that
    took 0.6 s, and the file is 220 MB.
    """
    if known.file is None or not known.digest or ledger.paths != known.ledger.paths:
        return None
    if known.versions.keys() != known.spans.keys():
        return None
    rows, at, seen = ledger.rows, 0, set()
    while at < len(rows):  # each document's rows come together, as the anchor stage gives them
        source = rows[at].document
        span = known.spans.get(source)
        if span is None or source in seen:
            return None
        old = span[0]
        if _sorted_rows(rows[at : at + len(old)], old) is not old:
            return None
        seen.add(source)
        at += len(old)
    if len(seen) != len(known.spans):
        return None
    try:
        stat = known.file.stat()
    except OSError:
        return None
    if (stat.st_size, stat.st_mtime_ns) != known.stamp:
        return None
    return replace(known, ledger=ledger)


_BLOCK = 1 << 20
"""At most this many bytes of unchanged lines are taken from the last file at a time."""

_DOCUMENT = operator.attrgetter("document")


class _Hashing:
    """The hash of a file's bytes, made by a thread of its own as they come.

    Hashing lets go of the interpreter's lock, so it runs on another core
    while the bytes are made and written: for the 220 MB ledger of 30,000
    transcripts, that was 0.25 s of the time :func:`encode` took. A few
    chunks at most wait for it (``_WAITING``), so its memory stays small.
    """

    def __init__(self) -> None:
        self.hashed = _hasher()
        self.chunks: queue.Queue[Chunk | None] = queue.Queue(_WAITING)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (chunk := self.chunks.get()) is not None:
            self.hashed.update(chunk)

    def update(self, chunk: Chunk) -> None:
        self.chunks.put(chunk)

    def hexdigest(self) -> str:
        """The digest of every chunk given: the thread is done once this returns."""
        self.chunks.put(None)
        self.thread.join()
        return self.hashed.hexdigest()


_WAITING = 8

Run = list[tuple[str, tuple[Row, ...], int, int]]
"""Documents whose lines follow each other in the last file: source, rows, start and end."""


class _Encoded:
    """The bytes of a ledger file as they are made: kept (without a sink) or written, and
    hashed; with where each document's lines are, and the digest of each's lines. Its
    ``digest`` is the whole file's, once the ``with`` block is left."""

    def __init__(self, sink: BinaryIO | None) -> None:
        self.sink = sink
        self.parts: list[Chunk] = []
        self.position = 0
        self.spans: dict[str, tuple[tuple[Row, ...], int, int]] = {}
        self.versions: dict[str, str] = {}
        self.digest = ""

    def __enter__(self) -> _Encoded:
        self.hashing = _Hashing()
        return self

    def __exit__(self, *_: object) -> None:
        self.digest = self.hashing.hexdigest()  # the thread ends, whatever happened

    def add(self, chunk: Chunk) -> None:
        if self.sink is None:
            self.parts.append(chunk)
        else:
            self.sink.write(chunk)
        self.hashing.update(chunk)
        self.position += len(chunk)

    def encoded(self, source: str, rows: tuple[Row, ...]) -> None:
        """Add the lines of a document, encoded."""
        chunk = _rows_json(rows)
        if self.spans:
            self.add(b",\n")
        self.spans[source] = (rows, self.position, self.position + len(chunk))
        self.versions[source] = _digest(chunk)
        self.add(chunk)

    def taken(self, run: Run, lines: Lines, versions: Mapping[str, str]) -> None:
        """Add the lines of ``run``, taken from the last file in one piece; encoded if it was
        cut. ``versions`` holds their digests, as the last build made them."""
        start, end = run[0][2], run[-1][3]
        data = lines(start, end)
        if len(data) != end - start:
            for source, rows, _, _ in run:
                self.encoded(source, rows)
            return
        if self.spans:
            self.add(b",\n")
        at = self.position - start
        self.add(data)
        for source, rows, first, last in run:
            self.spans[source] = (rows, at + first, at + last)
            self.versions[source] = versions.get(source) or _digest(
                data[first - start : last - start]
            )


def _head(paths: dict[str, tuple[str, ...]]) -> bytes:
    """The file up to the first row: its format and each document's paths."""
    documents = [SORTED.encode({"source": s, "paths": list(p)}) for s, p in sorted(paths.items())]
    head = '{\n"format": "' + FORMAT + '",\n"documents": [\n' + ",\n".join(documents)
    return (head + '\n],\n"paragraphs": [\n').encode()


def _known_head(ledger: Ledger, known: Text | None, lines: Lines | None) -> Chunk:
    """The head of ``known``'s file, if it is this ledger's too: every document's paths are the
    same. Empty if it is not, or cannot be had."""
    if known is None or lines is None or not known.spans or ledger.paths != known.ledger.paths:
        return b""
    end = min(start for _, start, _ in known.spans.values())
    head = lines(0, end)
    return head if len(head) == end else b""


def _add_rows(
    made: _Encoded, groups: dict[str, list[Row]], known: Text | None, lines: Lines | None
) -> None:
    """Add each document's lines, by source: taken from ``known``'s file (``lines``) where they
    are its very rows, in runs of those that follow each other there as here; else encoded."""
    spans = known.spans if known is not None and lines is not None else {}
    versions = known.versions if known is not None else {}
    run: Run = []
    for source in sorted(groups):
        old = spans.get(source)
        rows = _sorted_rows(groups[source], old[0] if old is not None else ())
        span = (old[1], old[2]) if old is not None and old[0] is rows else None
        if run and (span is None or span[0] != run[-1][3] + 2 or span[1] - run[0][2] > _BLOCK):
            assert lines is not None  # there are spans only with lines
            made.taken(run, lines, versions)
            run = []
        if span is None:
            made.encoded(source, rows)
        else:
            run.append((source, rows, *span))
    if run:
        assert lines is not None
        made.taken(run, lines, versions)


def encode(ledger: Ledger, known: Text | None = None, sink: BinaryIO | None = None) -> Text:
    """The ledger as sorted JSON, one row a line, copying ``known``'s lines where it can.

    With a ``sink``, the bytes are written to it as they are made and the
    text keeps none of them: a build writes the new ledger to its temporary
    file this way, and never holds the whole of it. The lines of documents
    that follow each other in ``known``'s file as they do here are taken from
    it in runs of up to a megabyte (as is its head, if every document's paths
    are the same): taken line by line, the 220 MB of the ledger of 30,000
    transcripts took twice as long to copy.
    """
    groups: dict[str, list[Row]] = {}
    for source, together in itertools.groupby(ledger.rows, key=_DOCUMENT):  # as a rule, all
        groups.setdefault(source, []).extend(together)
    with _Encoded(sink) as made, _known_lines(known) as lines:
        made.add(_known_head(ledger, known, lines) or _head(ledger.paths))
        _add_rows(made, groups, known, lines)
        made.add(b"\n]\n}\n")
    return Text(ledger, tuple(made.parts), made.spans, made.digest, versions=made.versions)


def dumps(ledger: Ledger) -> str:
    """The ledger as sorted JSON, one row a line."""
    return encode(ledger).text


_STATUSES = {status: status for status in ("current", "split", "merged", "removed")}

Documents = Mapping[str, Document]
"""The documents of a build as read, by source name: they lend the rows read from the ledger
their names and texts (see :func:`read`)."""


def _row(data: dict[str, Any], documents: Documents) -> Row:
    history = tuple(
        Version(_fingerprint_of(v["fingerprint"]), str(v["text"]), v.get("until"))
        for v in data.get("history", [])
    )
    source, n, text = str(data["document"]), int(data["n"]), str(data["text"])
    document = documents.get(source)
    if document is not None:
        source = document.source
        if 0 < n <= len(document.paragraphs) and document.paragraphs[n - 1].text == text:
            text = document.paragraphs[n - 1].text
    status = str(data.get("status", "current"))
    return Row(
        id=str(data["id"]),
        document=source,
        n=n,
        fingerprint=_fingerprint_of(data["fingerprint"]),
        text=text,
        status=_STATUSES.get(status, status),
        date=data.get("date"),
        successors=tuple(str(s) for s in data.get("successors", [])),
        history=history,
    )


_HEAD = (b"{\n", f'"format": "{FORMAT}",\n'.encode(), b'"documents": [\n')


class _OtherForm(Exception):
    """The file is not laid out as Podium writes it: parse it whole (see :func:`_parse`)."""


_BATCH = 4096  # lines parsed as one array by :func:`_values`


def _values(lines: Iterator[bytes], end: bytes) -> Iterator[Any]:
    """The values of a JSON array written one a line, up to the line ``end``; parsed some
    thousands at a time, as an array of their own, which is faster than one by one."""
    batch: list[bytes] = []
    line = next(lines, b"")
    if line == b"\n":  # an empty array
        line = next(lines, b"")
    else:
        while line.startswith(b"{") and line.endswith(b",\n"):
            batch.append(line)
            if len(batch) == _BATCH:
                yield from _array(batch)
                batch = []
            line = next(lines, b"")
        if not (line.startswith(b"{") and line.endswith(b"}\n")):
            raise _OtherForm
        batch.append(line[:-1] + b",\n")
        line = next(lines, b"")
    yield from _array(batch)
    if line != end:
        raise _OtherForm


def _array(lines: list[bytes]) -> list[Any]:
    """Lines that each end in ",\\n", parsed as the values of one array."""
    if not lines:
        return []
    try:
        values: list[Any] = json.loads(b"".join([b"[", *lines])[:-2] + b"]")
    except ValueError:
        raise _OtherForm from None
    return values


T = TypeVar("T")


class _Damaged(Exception):
    """A value of the ledger is not what Podium writes: where it is, and what is wrong."""

    def __init__(self, line: int | None, what: str) -> None:
        super().__init__(what)
        self.line = line
        self.what = what


def _entries(
    values: Iterable[Any], name: str, first_line: int | None, make: Callable[[Any], T]
) -> list[T]:
    """``make`` of each of ``values``, the entries of the array ``name``; one that cannot be
    made is :class:`_Damaged`, at its line if the array is written one entry a line from
    ``first_line`` on."""
    made = []
    for index, value in enumerate(values):
        try:
            made.append(make(value))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            why = f"it has no {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc)
            line = None if first_line is None else first_line + index
            raise _Damaged(line, f'entry {index + 1} of "{name}": {why}') from None
    return made


def _paths(entry: Any) -> tuple[str, tuple[str, ...]]:
    return str(entry["source"]), tuple(str(p) for p in entry["paths"])


def _parse(stream: BinaryIO, documents: Documents) -> tuple[Ledger, str]:
    """The ledger in ``stream``, and the digest of its bytes.

    A ledger as Podium writes it, one row a line, is parsed in batches of lines
    as they are read, and its bytes are never all held: parsed whole, the
    ledger of 30,000 transcripts took 1.2 GB to read. Any other layout (a file
    formatted by hand) is parsed whole, which also gives a JSON error its line;
    a damaged entry has its line only in Podium's layout.
    """
    hashed = _hasher()
    count = 0

    def lines() -> Iterator[bytes]:
        nonlocal count
        for line in stream:
            hashed.update(line)
            count += 1
            yield line

    read = lines()

    def row(data: Any) -> Row:
        return _row(data, documents)

    try:
        if [next(read, b"") for _ in _HEAD] != list(_HEAD):
            raise _OtherForm
        listed = _entries(_values(read, b"],\n"), "documents", len(_HEAD) + 1, _paths)
        if next(read, b"") != b'"paragraphs": [\n':
            raise _OtherForm
        rows = _entries(_values(read, b"]\n"), "paragraphs", count + 1, row)
        if next(read, b"") != b"}\n" or next(read, b"") != b"":
            raise _OtherForm
    except _OtherForm:
        stream.seek(0)
        data = stream.read()
        parsed = json.loads(data.decode("utf-8"))
        if not isinstance(parsed, dict) or parsed.get("format") != FORMAT:
            raise ValueError(f"expected format {FORMAT!r}") from None
        listed = _entries(parsed["documents"], "documents", None, _paths)
        rows = _entries(parsed["paragraphs"], "paragraphs", None, row)
        hashed = _hasher()
        hashed.update(data)
    return Ledger(tuple(rows), dict(listed)), hashed.hexdigest()


def read(
    path: Path, known: Text | None = None, documents: Documents | None = None
) -> tuple[Text, list[Problem]]:
    """The ledger at ``path``; a missing file is an empty ledger, a broken one an error.

    ``known`` is the ledger the last build wrote, without its bytes: if the
    file holds those bytes, it is the answer, and the file is not parsed (see
    :class:`Text`). If ``known`` has the file's size and mtime as that build
    left it, the file is taken to hold them, as transcripts are (hashing it
    took 0.17 s at 30,000 transcripts); otherwise its bytes are hashed.

    Rows parsed hold the name of their document in ``documents`` and the
    text of its paragraph where they are equal: the ledger of 30,000
    transcripts took 480 MB, most of it second copies of them.
    """
    if not path.is_file():
        return Text(Ledger()), []
    try:
        with path.open("rb") as stream:
            stat = os.fstat(stream.fileno())
            stamp = (stat.st_size, stat.st_mtime_ns)
            if known is not None and known.digest:
                as_left = known.stamp != (0, 0) and known.stamp == stamp
                if as_left or _digest_of(stream) == known.digest:
                    return replace(known, chunks=(), file=path, stamp=stamp), []
                stream.seek(0)
            parsed, digest = _parse(stream, documents or {})
    except json.JSONDecodeError as exc:
        return Text(Ledger()), [
            Problem(
                path.name,
                exc.lineno,
                Severity.ERROR,
                f"the anchor ledger is not valid JSON: {exc.msg}",
            )
        ]
    except _Damaged as exc:
        message = f"the anchor ledger is damaged: {exc.what}"
        return Text(Ledger()), [Problem(path.name, exc.line, Severity.ERROR, message)]
    except (KeyError, TypeError, ValueError) as exc:
        return Text(Ledger()), [
            Problem(path.name, None, Severity.ERROR, f"the anchor ledger is damaged: {exc}")
        ]
    return Text(parsed, digest=digest), []


def load(path: Path) -> tuple[Ledger, list[Problem]]:
    """The ledger at ``path`` (see :func:`read`)."""
    text, problems = read(path)
    return text.ledger, problems


def changes(old: Text, new: Text, exact: bool = False) -> bool:
    """Whether ``new``, the ledger a build made, must be written over ``old``, the file's.

    A file that Podium wrote holds its bytes already. A file formatted by hand
    counts as changed, and is rewritten in Podium's form, unless ``exact``
    (for ``--frozen``) asks to compare what it says.
    """
    if not old.ledger.rows and not old.ledger.paths:
        return new.digest != encode(old.ledger).digest
    if old.digest == new.digest:
        return False
    return not exact or new.digest != encode(old.ledger).digest


def temporary(path: Path) -> Path:
    """Where a new ledger is written before it is renamed over the one at ``path``."""
    return path.with_name(f".{path.name}.podium-{os.getpid()}")


def remove_stale(path: Path) -> None:
    """Remove the new ledgers that interrupted builds left beside ``path``: a ledger of
    30,000 transcripts is 220 MB. One whose build is still running stays."""
    for stale in left_by_dead(path.parent, f".{path.name}.podium-"):
        with contextlib.suppress(OSError):
            stale.unlink()


def save(path: Path, ledger: Ledger | Text) -> None:
    """Write the ledger (or its :func:`encode`) atomically: a temporary file renamed over the
    old."""
    text = ledger if isinstance(ledger, Text) else encode(ledger)
    written = temporary(path)
    with written.open("wb") as stream:
        stream.writelines(text.chunks)
    os.replace(written, path)


def with_paths(ledger: Ledger, current: dict[str, str]) -> Ledger:
    """Record each document's current URL path after the ones it had before."""
    paths = dict(ledger.paths)
    for source, path in current.items():
        known = paths.get(source, ())
        if not known or known[-1] != path:
            paths[source] = (*(p for p in known if p != path), path)
    return replace(ledger, paths=paths)
