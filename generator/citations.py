"""Citations of one paragraph in the common styles: APA, Chicago, MLA, BibTeX, CSL-JSON.

The accessed date is left to the reader: it is theirs, not the build's.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Citable:
    speaker: str | None  # the person, or None for narration
    title: str
    publisher: str
    date: dt.date | None
    paragraph: int
    url: str
    key: str  # a BibTeX key: stable and unique, from the paragraph id


def _speaker(citable: Citable) -> str:
    return citable.speaker or citable.publisher


def _inverted(name: str) -> str:
    """ "Ilham Aliyev" -> "Aliyev, Ilham", as APA, Chicago and MLA list authors."""
    words = name.split()
    return name if len(words) < 2 else f"{words[-1]}, {' '.join(words[:-1])}"


def apa(c: Citable) -> str:
    date = f"{c.date.year}, {c.date:%B} {c.date.day}" if c.date else "n.d."
    publisher = f" {c.publisher}." if c.publisher and c.publisher != _speaker(c) else ""
    author = _inverted(_speaker(c))
    return f"{author}. ({date}). {c.title} [Transcript, para. {c.paragraph}].{publisher} {c.url}"


def chicago(c: Citable) -> str:
    date = f"{c.date:%B} {c.date.day}, {c.date.year}" if c.date else "n.d."
    source = c.publisher or "Transcript"
    return f"{_inverted(_speaker(c))}. “{c.title}.” {source}, {date}, para. {c.paragraph}. {c.url}."


def mla(c: Citable) -> str:
    if c.date:
        month = c.date.strftime("%b") + ("." if c.date.month not in (5, 6, 7) else "")
        month = {"Jun.": "June", "Jul.": "July", "May": "May", "Sep.": "Sept."}.get(month, month)
        date = f"{c.date.day} {month} {c.date.year}"
    else:
        date = "n.d."
    source = c.publisher or "Transcript"
    return f"{_inverted(_speaker(c))}. “{c.title}.” {source}, {date}, para. {c.paragraph}, {c.url}."


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}&%$#_])", r"\\\1", text)


def bibtex(c: Citable) -> str:
    fields = [("author", f"{{{_bibtex_escape(_speaker(c))}}}"), ("title", _bibtex_escape(c.title))]
    if c.publisher:
        fields.append(("publisher", _bibtex_escape(c.publisher)))
    if c.date:
        fields += [
            ("year", str(c.date.year)),
            ("month", str(c.date.month)),
            ("date", c.date.isoformat()),
        ]
    fields += [("note", f"Transcript, paragraph {c.paragraph}"), ("url", c.url)]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{c.key},\n{body}\n}}"


def csl_json(c: Citable) -> str:
    item: dict[str, object] = {
        "id": c.key,
        "type": "speech",
        "title": c.title,
        "author": [{"literal": _speaker(c)}],
        "genre": "Transcript",
        "URL": c.url,
        "locator": str(c.paragraph),
        "label": "paragraph",
    }
    if c.publisher:
        item["publisher"] = c.publisher
    if c.date:
        item["issued"] = {"date-parts": [[c.date.year, c.date.month, c.date.day]]}
    return json.dumps(item, ensure_ascii=False, indent=2)


STYLES = (
    ("APA", apa),
    ("Chicago", chicago),
    ("MLA", mla),
    ("BibTeX", bibtex),
    ("CSL-JSON", csl_json),
)
