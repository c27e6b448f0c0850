"""Bytes to text, with errors that say where the bad byte is."""

from __future__ import annotations

import codecs
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def replace_controls(text: str) -> tuple[str, int | None]:
    """Control characters (which HTML forbids) replaced by U+FFFD; the line of the first one."""
    first = _CONTROL.search(text)
    if first is None:
        return text, None
    return _CONTROL.sub("\ufffd", text), text.count("\n", 0, first.start()) + 1


class ReadError(Exception):
    """A file that cannot be read as a transcript; ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def decode(data: bytes, newlines: bool = True) -> str:
    """Decode UTF-8 (with or without a byte-order mark) and UTF-16 with a BOM.

    Line endings become ``\\n`` unless ``newlines`` is false (``podium events``
    gives offsets into the text exactly as decoded). Anything else is refused with the line of the
    first byte that is not UTF-8, rather than guessed at: a wrong guess would
    publish mojibake under the publisher's name.
    """
    if not data.strip():
        raise ReadError("the file is empty")
    is_utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in data and not is_utf16:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ReadError("looks like a binary file (it contains NUL bytes), not a transcript", line)
    if is_utf16:
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError(
                f"not valid UTF-16 despite its byte-order mark ({exc.reason})"
            ) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise ReadError(
                f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded; "
                "save the file as UTF-8",
                line,
            ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ReadError("looks like a binary file (it contains NUL bytes), not a transcript", line)
    return text.replace("\r\n", "\n").replace("\r", "\n") if newlines else text
