"""Temporal expressions: find them in English text and normalise them to TIMEX3.

Each rule is a named regular expression with a function that turns a match
into a TIMEX3 value against the document's creation time (its DCT). All
rules run over the text; where spans overlap the longest wins, then the
earlier rule. A month or weekday without a year takes its year from the tense
of the sentence around it: "in July" in a past-tense sentence of a November
2020 transcript is 2020-07, "in March" next to "will" is 2021-03.

Pure Python and regular expressions compiled once: no model, no Java.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..model import Timex
from .lexicon import APPROX, APPROX_VALUES, MOD_VALUES, MODIFIERS
from .rules import DIGIT, NEEDS, RULES, Rule

_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class _Found:
    """A rule's match, normalised: the span may grow to take a modifier in."""

    start: int
    end: int
    type: str
    value: str
    mod: str | None = None


def _with_modifier(found: _Found, text: str) -> _Found:
    """Take "early", "the end of", "late" before a date into its span as a mod."""
    if found.type not in ("DATE", "TIME") or found.value.endswith("_REF"):
        match = None
    else:
        match = MODIFIERS.search(text, max(0, found.start - 24), found.start)
    if match is not None and match.end() == found.start:
        key = match.group("mod").lower()
        for word, mod in MOD_VALUES.items():
            if word in key:
                return _Found(match.start(), found.end, found.type, found.value, mod)
    approx = APPROX.search(text, max(0, found.start - 16), found.start)
    if (
        approx is not None
        and approx.end() == found.start
        and not text[found.start : found.end].lower().startswith("the ")
        and (found.type == "DURATION" or text[found.start : found.end].lower().endswith("ago"))
    ):
        mod = APPROX_VALUES.get(approx.group("approx").lower(), "APPROX")
        return _Found(found.start, found.end, found.type, found.value, mod)
    return found


_WORDS = sorted({word for needs in NEEDS.values() for group in needs for word in group} - {DIGIT})
_GROUPS = [[frozenset(group) for group in NEEDS[name]] for name, _, _ in RULES]
_RULES_FOR: dict[frozenset[str], tuple[tuple[int, Rule], ...]] = {}


def _rules_for(text: str) -> tuple[tuple[int, Rule], ...]:
    """The rules that can match ``text`` (see ``NEEDS``), with their order among all rules."""
    folded = text.casefold()
    present = frozenset(
        [word for word in _WORDS if word in folded] + ([DIGIT] if _DIGIT.search(text) else [])
    )
    rules = _RULES_FOR.get(present)
    if rules is None:
        rules = tuple(
            (order, rule)
            for order, (rule, groups) in enumerate(zip(RULES, _GROUPS, strict=True))
            if all(not group.isdisjoint(present) for group in groups)
        )
        _RULES_FOR[present] = rules
    return rules


def find_timexes(text: str, dct: dt.datetime | None) -> list[Timex]:
    """Every temporal expression in ``text``, normalised against ``dct``, in text order."""
    candidates: list[tuple[int, int, int, _Found]] = []
    for order, (_, pattern, normalise) in _rules_for(text):
        for match in pattern.finditer(text):
            normalised = normalise(match, text, dct)
            if normalised is None:
                continue
            kind, value, mod = normalised
            candidates.append(
                (
                    match.start(),
                    match.end(),
                    order,
                    _Found(match.start(), match.end(), kind, value, mod),
                )
            )
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[_Found] = []
    for start, end, _, found in candidates:
        if all(end <= t.start or start >= t.end for t in taken):
            taken.append(found)
    taken.sort(key=lambda f: f.start)
    result = []
    for found in taken:
        found = _with_modifier(found, text)
        result.append(
            Timex(
                found.start,
                found.end,
                text[found.start : found.end],
                found.type,
                found.value,
                found.mod,
            )
        )
    return result
