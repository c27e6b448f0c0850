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
import os
import unicodedata
from dataclasses import replace
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


def dumps(ledger: Ledger) -> str:
    """The ledger as sorted JSON, one row a line."""
    rows = sorted(ledger.rows, key=lambda r: (r.document, r.n, r.id))
    documents = [
        SORTED.encode({"source": s, "paths": list(p)}) for s, p in sorted(ledger.paths.items())
    ]
    paragraphs = [SORTED.encode(_row_json(r)) for r in rows]
    return (
        '{\n"format": "'
        + FORMAT
        + '",\n"documents": [\n'
        + ",\n".join(documents)
        + '\n],\n"paragraphs": [\n'
        + ",\n".join(paragraphs)
        + "\n]\n}\n"
    )


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


def load(path: Path) -> tuple[Ledger, list[Problem]]:
    """Read the ledger; a missing file is an empty ledger, a broken one an error."""
    if not path.is_file():
        return Ledger(), []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"expected format {FORMAT!r}")
        rows = tuple(_row(r) for r in data["paragraphs"])
        paths = {str(d["source"]): tuple(str(p) for p in d["paths"]) for d in data["documents"]}
    except json.JSONDecodeError as exc:
        return Ledger(), [
            Problem(
                path.name,
                exc.lineno,
                Severity.ERROR,
                f"the anchor ledger is not valid JSON: {exc.msg}",
            )
        ]
    except (KeyError, TypeError, ValueError) as exc:
        return Ledger(), [
            Problem(path.name, None, Severity.ERROR, f"the anchor ledger is damaged: {exc}")
        ]
    return Ledger(rows, paths), []


def changes(path: Path, old: Ledger, text: str, exact: bool = False) -> bool:
    """Whether ``text``, the ``dumps`` of a new ledger, differs from ``old``, read from ``path``.

    A file that Podium wrote is ``dumps(old)`` already, so the text is compared
    with the file, not dumped again. A file formatted by hand counts as
    changed, and is rewritten in Podium's form, unless ``exact`` (for
    ``--frozen``) asks to compare what it says.
    """
    if not old.rows and not old.paths:
        return text != dumps(old)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    return not exact or text != dumps(old)


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
