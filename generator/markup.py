"""Small helpers for HTML fragments that Python-Markdown made."""

from __future__ import annotations

import html
import re

_TOKEN = re.compile(r"(<[^>]*>)")
_EMPTY_INLINE = re.compile(r"<(strong|em|b|i)>\s*</\1>")


def drop_leading_text(markup: str, prefix: str) -> str:
    """Remove the visible text ``prefix`` from the start of ``markup``, keeping its tags.

    Used when the plain text of a Markdown paragraph began with a speaker
    label: the label goes, the paragraph's markup stays well formed.
    Whitespace differences between ``prefix`` and the markup are ignored.
    """
    wanted = "".join(prefix.split())
    out: list[str] = []
    speech_begun = False
    for part in _TOKEN.split(markup):
        if part.startswith("<") or speech_begun:
            out.append(part)
            continue
        text = html.unescape(part)
        position = 0
        while position < len(text) and (wanted or text[position].isspace()):
            if text[position].isspace():
                position += 1
            elif text[position] == wanted[0]:
                wanted = wanted[1:]
                position += 1
            else:
                return markup  # the text does not start with the prefix: leave it alone
        out.append(html.escape(text[position:], quote=False))
        speech_begun = not wanted and position < len(text)
    return _EMPTY_INLINE.sub("", "".join(out))
