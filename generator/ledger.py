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

import datetime as dt
import hashlib
import json
import operator
import os
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .jsontext import SORTED
from .model import Ledger, Problem, Row, Severity, Version

FORMAT = "podium-anchors/1"


def fingerprint(text: str) -> str:
    """A short hash of the exact wording (Unicode-normalised, spacing folded)."""
    wording = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.blake2b(wording.encode(), digest_size=4).hexdigest()


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
        "fingerprint": row.fingerprint,
        "text": row.text,
        "status": row.status,
    }
    if row.date:
        data["date"] = row.date
    if row.successors:
        data["successors"] = list(row.successors)
    if row.history:
        data["history"] = [
            {"fingerprint": v.fingerprint, "text": v.text, "until": v.until} for v in row.history
        ]
    return data


@dataclass(frozen=True)
class Text:
    """A ledger and the text of its file.

    ``spans`` places each document's rows, sorted, in ``text`` when Podium wrote
    it. Kept for the next build (without the text: ``digest`` tells whether the
    file still holds it), it spares that build parsing the file, and encoding
    again the rows of every document whose rows are still the very same objects.
    """

    ledger: Ledger
    text: str
    spans: dict[str, tuple[tuple[Row, ...], int, int]] = field(default_factory=dict)
    digest: str = ""


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _order(row: Row) -> tuple[int, str]:
    return row.n, row.id


def encode(ledger: Ledger, known: Text | None = None) -> Text:
    """The ledger as sorted JSON, one row a line, copying ``known``'s lines where it can."""
    known_text, known_spans = (known.text, known.spans) if known is not None else ("", {})
    groups: dict[str, list[Row]] = {}
    for row in ledger.rows:
        groups.setdefault(row.document, []).append(row)
    documents = [
        SORTED.encode({"source": s, "paths": list(p)}) for s, p in sorted(ledger.paths.items())
    ]
    head = '{\n"format": "' + FORMAT + '",\n"documents": [\n' + ",\n".join(documents)
    head += '\n],\n"paragraphs": [\n'
    parts, position = [head], len(head)
    spans: dict[str, tuple[tuple[Row, ...], int, int]] = {}
    for source in sorted(groups):
        rows = tuple(sorted(groups[source], key=_order))
        old = known_spans.get(source)
        if old is not None and len(old[0]) == len(rows) and all(map(operator.is_, old[0], rows)):
            chunk = known_text[old[1] : old[2]]
        else:
            chunk = ",\n".join(SORTED.encode(_row_json(r)) for r in rows)
        if len(parts) > 1:
            parts.append(",\n")
            position += 2
        parts.append(chunk)
        spans[source] = (rows, position, position + len(chunk))
        position += len(chunk)
    parts.append("\n]\n}\n")
    text = "".join(parts)
    return Text(ledger, text, spans, _digest(text.encode()))


def dumps(ledger: Ledger) -> str:
    """The ledger as sorted JSON, one row a line."""
    return encode(ledger).text


def _row(data: dict[str, Any]) -> Row:
    history = tuple(
        Version(str(v["fingerprint"]), str(v["text"]), v.get("until"))
        for v in data.get("history", [])
    )
    return Row(
        id=str(data["id"]),
        document=str(data["document"]),
        n=int(data["n"]),
        fingerprint=str(data["fingerprint"]),
        text=str(data["text"]),
        status=str(data.get("status", "current")),
        date=data.get("date"),
        successors=tuple(str(s) for s in data.get("successors", [])),
        history=history,
    )


def read(path: Path, known: Text | None = None) -> tuple[Text, list[Problem]]:
    """The ledger at ``path``, with its file's text; a missing file is an empty ledger, a
    broken one an error.

    ``known`` is the ledger the last build wrote, perhaps without its text: if
    the file holds that text, it is the answer, and the file is not parsed.
    """
    if not path.is_file():
        return Text(Ledger(), ""), []
    try:
        data = path.read_bytes()
        digest = _digest(data)
        text = data.decode("utf-8")
        if known is not None and digest == known.digest:
            return replace(known, text=text), []
        parsed = json.loads(text)
        if parsed.get("format") != FORMAT:
            raise ValueError(f"expected format {FORMAT!r}")
        rows = tuple(_row(r) for r in parsed["paragraphs"])
        paths = {str(d["source"]): tuple(str(p) for p in d["paths"]) for d in parsed["documents"]}
    except json.JSONDecodeError as exc:
        return Text(Ledger(), ""), [
            Problem(
                path.name,
                exc.lineno,
                Severity.ERROR,
                f"the anchor ledger is not valid JSON: {exc.msg}",
            )
        ]
    except (KeyError, TypeError, ValueError) as exc:
        return Text(Ledger(), ""), [
            Problem(path.name, None, Severity.ERROR, f"the anchor ledger is damaged: {exc}")
        ]
    return Text(Ledger(rows, paths), text, digest=digest), []


def load(path: Path) -> tuple[Ledger, list[Problem]]:
    """The ledger at ``path`` (see :func:`read`)."""
    text, problems = read(path)
    return text.ledger, problems


def changes(old: Text, new: Text, exact: bool = False) -> bool:
    """Whether ``new``, the ledger a build made, must be written over ``old``, the file's.

    A file that Podium wrote holds its text already. A file formatted by hand
    counts as changed, and is rewritten in Podium's form, unless ``exact``
    (for ``--frozen``) asks to compare what it says.
    """
    if not old.ledger.rows and not old.ledger.paths:
        return new.text != dumps(old.ledger)
    if old.text == new.text:
        return False
    return not exact or new.text != dumps(old.ledger)


def save(path: Path, ledger: Ledger | str) -> None:
    """Write the ledger (or its ``dumps``) atomically: a temporary file renamed over the old."""
    temporary = path.with_name(f".{path.name}.podium-{os.getpid()}")
    temporary.write_text(ledger if isinstance(ledger, str) else dumps(ledger), encoding="utf-8")
    os.replace(temporary, path)


def with_paths(ledger: Ledger, current: dict[str, str]) -> Ledger:
    """Record each document's current URL path after the ones it had before."""
    paths = dict(ledger.paths)
    for source, path in current.items():
        known = paths.get(source, ())
        if not known or known[-1] != path:
            paths[source] = (*(p for p in known if p != path), path)
    return replace(ledger, paths=paths)
