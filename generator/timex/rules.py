"""The rules, in order: a name, a pattern and the normaliser of its matches."""

from __future__ import annotations

import re

from .lexicon import (
    DAY,
    MONTH,
    MONTH_ANY_CASE,
    NUMBER,
    ORDINALS,
    PART,
    RELATIVE,
    SEASON,
    UNIT,
    WEEKDAY,
    YEAR,
)
from .values import (
    Normaliser,
    value_amount,
    value_bare_amount,
    value_century,
    value_clock_on_weekday,
    value_clock_rule,
    value_day_part,
    value_decade,
    value_full_date,
    value_iso,
    value_month,
    value_month_day,
    value_month_year,
    value_quarter_rule,
    value_relative,
    value_season,
    value_set,
    value_the_year,
    value_weekday,
    value_word,
    value_year,
    value_year_tail,
)

_I = re.IGNORECASE
Rule = tuple[str, re.Pattern[str], Normaliser]
RULES: tuple[Rule, ...] = (
    (
        "iso",
        re.compile(
            r"\b" + YEAR + r"-(?P<m>0[1-9]|1[0-2])-" + r"(?P<day>[0-3]\d)"
            r"(?:[T ](?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d))?\b"
        ),
        value_iso,
    ),
    (
        "month day year",
        re.compile(r"\b" + MONTH_ANY_CASE + r"\s+" + DAY + r",?\s+" + YEAR + r"\b"),
        value_full_date,
    ),
    (
        "day month year",
        re.compile(r"\b" + DAY + r"\s+(?:of\s+)?" + MONTH_ANY_CASE + r",?\s+" + YEAR + r"\b"),
        value_full_date,
    ),
    ("month year", re.compile(r"\b" + MONTH + r",?\s+(?:of\s+)?" + YEAR + r"\b"), value_month_year),
    ("month day", re.compile(r"\b" + MONTH + r"\s+" + DAY + r"\b(?!\s*[:.]\d)"), value_month_day),
    ("day month", re.compile(r"\b" + DAY + r"\s+(?:of\s+)?" + MONTH + r"(?!\w)"), value_month_day),
    (
        "month",
        re.compile(
            r"\b(?:(?P<relative>this|last|next|past|coming)\s+)?" + MONTH + r"(?!\w)",
        ),
        value_month,
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:(?P<relative>this|last|next|coming)\s+)?" + WEEKDAY + r"(?:\s+" + PART + r")?\b"
        ),
        value_weekday,
    ),
    (
        "quarter",
        re.compile(
            r"\b(?:the\s+)?(?P<ordinal>first|second|third|fourth|[1-4](?:st|nd|rd|th))"
            r"\s+quarter(?:\s+of\s+" + YEAR + r")?\b",
            _I,
        ),
        value_quarter_rule,
    ),
    (
        "amount",
        re.compile(
            r"\b(?:the\s+)?(?:(?P<span>past|last|next|coming|following|previous|"
            r"first|recent)\s+)?"
            + NUMBER
            + r"[\s-]+(?:more\s+|long\s+|full\s+)?"
            + UNIT
            + r"(?:\s+(?P<direction>ago))?"
            r"\b",
            _I,
        ),
        value_amount,
    ),
    (
        "bare amount",
        re.compile(
            r"(?:(?:(?<=\bfor )|(?<=\bover ))(?:many\s+)?|\b(?:in\s+)?recent\s+)"
            + UNIT.replace("s?", "s")
            + r"\b",
            _I,
        ),
        value_bare_amount,
    ),
    (
        "relative",
        re.compile(r"\b(?:the\s+)?" + RELATIVE + r"\s+" + UNIT.replace("s?", "") + r"\b", _I),
        value_relative,
    ),
    (
        "the year",
        re.compile(
            r"(?:(?<=\bof )|(?<=\bin )|(?<=\bfor ))the\s+(?P<unit>year)\b(?!\s+(?:of|\d|when))", _I
        ),
        value_the_year,
    ),
    (
        "season",
        re.compile(
            r"\b(?:(?P<relative>this|last|next|past|coming)\s+)?"
            + SEASON
            + r"(?:\s+(?:of\s+)?"
            + YEAR
            + r")?\b",
            _I,
        ),
        value_season,
    ),
    (
        "decade",
        re.compile(r"\b(?:the\s+)?(?:(?P<full>1[0-9]{2}0|20[0-9]0)|'(?P<short>\d)0)s\b"),
        value_decade,
    ),
    (
        "century",
        re.compile(
            r"\b(?:the\s+)?(?P<ordinal>\d{1,2}(?:st|nd|rd|th)|"
            + "|".join(ORDINALS)
            + r")[\s-]+century\b",
            _I,
        ),
        value_century,
    ),
    ("year", re.compile(r"(?<![\d,.$€£-])\b" + YEAR + r"\b(?![.,]\d)"), value_year),
    (
        "year range end",
        re.compile(r"(?<=(?P<century>1[0-9]|20)\d\d[-–])(?P<tail>\d\d(?:\d\d)?)\b"),
        value_year_tail,
    ),
    (
        "word",
        re.compile(
            r"\b(?:the day before yesterday|the day after tomorrow|today's|today"
            r"|yesterday|tomorrow|tonight|now|currently|nowadays|at present"
            r"|these days|at the moment|(?:in )?the past(?! \w+ (?:day"
            r"|week|month|year|decade)s?\b)|(?:in )?the future)\b",
            _I,
        ),
        value_word,
    ),
    (
        "day part",
        re.compile(
            r"\b(?:this|yesterday|tomorrow|last|tonight)\s+(?:morning|afternoon"
            r"|evening|night)\b|\b(?:at\s+)?(?:noon|midnight)\b",
            _I,
        ),
        value_day_part,
    ),
    (
        "clock",
        re.compile(
            r"\b(?P<hour>[01]?\d|2[0-3])(?::(?P<minute>[0-5]\d)(?!:\d))?"
            r"(?:\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b))"
            r"|\b(?P<hour2>[01]?\d|2[0-3]):(?P<minute2>[0-5]\d)\b(?!:\d)",
            _I,
        ),
        value_clock_rule,
    ),
    (
        "clock and weekday",
        re.compile(
            r"\b(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)"
            r"(?:\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b))?(?:\s+[A-Z]{2,4})?"
            r"(?:\s+on)?\s+" + WEEKDAY + r"\b"
        ),
        value_clock_on_weekday,
    ),
    (
        "set",
        re.compile(
            r"\b(?:every|each)\s+(?:day|week|month|year|morning|evening|night|summer"
            r"|winter|spring|autumn)\b|\b(?:daily|weekly|monthly|annually|yearly)\b",
            _I,
        ),
        value_set,
    ),
)

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_UNITS = ("day", "week", "month", "year", "decade", "centur", "hour", "minute", "quarter")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DIGIT = "0-9"  # a group that asks for a digit, in the sense of ``\d``
NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "iso": ((DIGIT,),),
    "month day year": ((DIGIT,), _MONTHS),
    "day month year": ((DIGIT,), _MONTHS),
    "month year": ((DIGIT,), _MONTHS),
    "month day": ((DIGIT,), _MONTHS),
    "day month": ((DIGIT,), _MONTHS),
    "month": (_MONTHS,),
    "weekday": (_WEEKDAYS,),
    "quarter": (("quarter",),),
    "amount": (_UNITS,),
    "bare amount": (_UNITS,),
    "relative": (_UNITS,),
    "the year": (("the",), ("year",)),
    "season": (("spring", "summer", "autumn", "fall", "winter"),),
    "decade": ((DIGIT,), ("0s",)),
    "century": (("century",),),
    "year": ((DIGIT,),),
    "year range end": ((DIGIT,),),
    "word": (
        (
            "today",
            "yesterday",
            "tomorrow",
            "tonight",
            "now",
            "currently",
            "present",
            "these days",
            "moment",
            "past",
            "future",
        ),
    ),
    "day part": (("morning", "afternoon", "evening", "night", "noon"),),
    "clock": ((DIGIT,),),
    "clock and weekday": ((DIGIT,), _WEEKDAYS),
    "set": (("every", "each", "daily", "weekly", "monthly", "annually", "yearly"),),
}
"""Words a rule cannot match without (any one of each group), in case-folded text.

A rule whose words are all absent from a paragraph cannot match it, so it is
not run: most paragraphs hold few dates, and this skips most of the regex work
without changing a single result.
"""
