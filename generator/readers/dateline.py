"""Datelines: the document's own date and time, in the forms transcripts use.

``21 november 2020, 16:00``, ``21 November 2020``, ``November 21, 2020``,
``2020-11-21`` and ``2020-11-21 16:00`` (also ``2020-11-21T16:00``).
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:(?:,\s*|\s+|T)(?P<hour>\d{1,2})[:.](?P<minute>\d{2}))?"
_FORMS = [
    re.compile(p + _TIME + r"\s*$", re.IGNORECASE)
    for p in (
        r"^\s*(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>\d{4})",
        r"^\s*" + _MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})",
        r"^\s*(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})",
    )
]


class DatelineError(ValueError):
    """A line shaped like a dateline whose date or time does not exist."""


def parse_dateline(line: str) -> tuple[dt.date, dt.time | None] | None:
    """Return the date and time a dateline gives, or None if the line is no dateline.

    Raises :class:`DatelineError` for a dateline that names an impossible date
    or time ("31 february 2020, 25:61"), so the reader can say so instead of
    publishing the line as text.
    """
    for form in _FORMS:
        match = form.match(line)
        if match is None:
            continue
        parts = match.groupdict()
        month_text = parts["month"].lower()
        month = MONTHS[month_text] if month_text in MONTHS else int(month_text)
        try:
            date = dt.date(int(parts["year"]), month, int(parts["day"]))
        except ValueError as exc:
            raise DatelineError(f"impossible date in dateline {line.strip()!r}: {exc}") from None
        if parts["hour"] is None:
            return date, None
        try:
            time = dt.time(int(parts["hour"]), int(parts["minute"]))
        except ValueError:
            raise DatelineError(f"impossible time in dateline {line.strip()!r}") from None
        return date, time
    return None
