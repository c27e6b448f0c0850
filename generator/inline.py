"""A paragraph's inline markup: escaped text with speaker links and dated expressions.

Every temporal expression becomes ``<time datetime="…">`` where HTML has a
form for its value (a day, a month, a week, a year, a time, a duration in
days or hours) and ``<span class="timex">`` where it has none (a season, a
decade, "the past"). A plotted expression links to its entry on the timeline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from markupsafe import Markup, escape

from .model import Mention, Paragraph, Timex, expression_anchor
from .timeline import plotted

_HTML_DATETIME = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2})?)?|-W\d{2})?|P\d+D|PT\d+[HM]")


def html_datetime(timex: Timex) -> str | None:
    """The value as an HTML ``datetime`` attribute, or None where HTML has no form for it."""
    value = timex.value
    weeks = re.fullmatch(r"P(\d+)W", value)
    if weeks:  # HTML durations have no weeks
        return f"P{int(weeks.group(1)) * 7}D"
    if _HTML_DATETIME.fullmatch(value):
        return value
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[A-Z]{2}", value):  # "the night of …": the day
        return value[:10]
    if re.fullmatch(r"\d{4}-(?:SP|SU|FA|WI|Q[1-4])", value):  # a season or quarter: its year
        return value[:4]
    return None


def _timex_html(
    paragraph: Paragraph, index: int, timex: Timex, root: str, places: Mapping[str, str]
) -> Markup:
    text = paragraph.text[timex.start : timex.end]
    datetime = html_datetime(timex)
    if datetime is not None:
        inner = Markup('<time datetime="{}">{}</time>').format(datetime, text)
    else:
        inner = Markup('<span class="timex" title="{}">{}</span>').format(timex.value, text)
    span = plotted(timex)
    if span is None:
        return inner
    anchor = expression_anchor(paragraph, index)
    href = f"{root}{places.get(anchor, f'timeline/{span[0].year}/')}index.html#{anchor}"
    return Markup('<a class="timex-link" href="{}">{}</a>').format(href, inner)


def paragraph_html(
    paragraph: Paragraph,
    mentions: dict[str, tuple[Mention, ...]],
    root: str,
    places: Mapping[str, str],
) -> Markup:
    """Escaped text with mentions linked to speakers and expressions to the timeline.

    ``places`` maps an event's anchor to the timeline page that shows it
    (see :func:`~generator.timeline.placed`); an expression it lacks links to
    the first page of its year.
    """
    if paragraph.html is not None:
        return Markup(paragraph.html)  # made by the Markdown reader under its untrusted-input rules
    spans: list[tuple[int, int, Markup]] = [
        (t.start, t.end, _timex_html(paragraph, i, t, root, places))
        for i, t in enumerate(paragraph.timexes)
    ]
    for mention in mentions.get(paragraph.id, ()):
        link = Markup('<a class="mention" href="{}">{}</a>').format(
            f"{root}{mention.speaker}index.html", paragraph.text[mention.start : mention.end]
        )
        spans.append((mention.start, mention.end, link))
    parts: list[str] = []
    position = 0
    for start, end, markup in sorted(spans, key=lambda s: s[0]):
        if start < position:
            continue  # overlaps a span already written
        parts.append(escape(paragraph.text[position:start]))
        parts.append(markup)
        position = end
    parts.append(escape(paragraph.text[position:]))
    return Markup("").join(parts)
