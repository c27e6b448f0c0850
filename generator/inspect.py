"""``podium inspect``: how Podium understood one transcript, as JSON.

The shape is a public interface (documented in the README): keys are only
ever added, never renamed or removed.
"""

from __future__ import annotations

from typing import Any

from .model import Document, Timex


def timex_json(timex: Timex) -> dict[str, Any]:
    """One temporal expression, as ``podium events`` prints it and ``inspect`` lists it."""
    return {
        "start": timex.start,
        "end": timex.end,
        "text": timex.text,
        "type": timex.type,
        "value": timex.value,
        "mod": timex.mod,
    }


def document_json(document: Document) -> dict[str, Any]:
    """The inspect object for a processed document."""
    paragraphs = []
    for paragraph in document.paragraphs:
        turn = None if paragraph.turn is None else document.turns[paragraph.turn]
        paragraphs.append(
            {
                "n": paragraph.n,
                "id": paragraph.id,
                "text": paragraph.text,
                "turn": paragraph.turn,
                "label": turn.label if turn else None,
                "speaker": turn.speaker if turn else None,
                "role": turn.role if turn else None,
                "events": [timex_json(t) for t in paragraph.timexes],
            }
        )
    return {
        "title": document.title,
        "date": document.date.isoformat() if document.date else None,
        "time": document.time.strftime("%H:%M") if document.time else None,
        "paragraphs": paragraphs,
    }
