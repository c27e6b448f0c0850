"""The words and patterns of English dates: months, numbers, units, modifiers."""

from __future__ import annotations

import re

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "autumn": ("FA", 9), "fall": ("FA", 9),
           "winter": ("WI", 12)}  # fmt: skip
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "a couple of": 2, "couple of": 2, "a dozen": 12, "dozen": 12,
}  # fmt: skip
VAGUE = {"several", "few", "a few", "many", "some", "a number of", "numerous", "recent"}
UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE", "century": "CE",
         "hour": "H", "minute": "MIN", "quarter": "Q"}  # fmt: skip
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
            "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
            "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
            "twenty-first": 21}  # fmt: skip

MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
MONTH_ANY_CASE = "(?i:" + MONTH + ")"  # "21 november 2020": safe next to a day and a year
DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?P<year>1[0-9]{3}|20[0-9]{2})"
WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
NUMBER = (
    r"(?P<number>\d+(?:\.\d+)?|"
    + "|".join(sorted((re.escape(k) for k in NUMBERS), key=len, reverse=True))
    + r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four"
    r"|five|six|seven|eight|nine)|"
    + "|".join(sorted((re.escape(k) for k in VAGUE), key=len, reverse=True))
    + ")"
)
UNIT = r"(?P<unit>day|week|month|year|decade|centur(?:y|ie)|hour|minute|quarter)s?"
RELATIVE = (
    r"(?P<relative>this|last|next|past|coming|previous|following|current|the same)(?:\s+fiscal)?"
)
SEASON = r"(?P<season>spring|summer|autumn|fall|winter)"
PART = r"(?P<part>morning|afternoon|evening|night)"

MODIFIERS = re.compile(
    r"(?P<mod>\b(?:[Ee]arly|[Ll]ate|[Mm]id|[Tt]he (?:beginning|start|end|middle|turn"
    r"|first half|second half) of|[Tt]he (?:early|late|mid)|[Ee]nd of|[Bb]eginning of))"
    r"[\s-]*$"
)
MOD_VALUES = {"early": "START", "beginning": "START", "start": "START", "first half": "START",
               "late": "END", "end": "END", "second half": "END", "mid": "MID",
               "middle": "MID", "turn": "MID"}  # fmt: skip
APPROX = re.compile(
    r"\b(?P<approx>about|around|approximately|roughly|nearly|almost|some|more than|over"
    r"|less than|under|at least|up to)\s+$",
    re.IGNORECASE,
)
APPROX_VALUES = {
    "more than": "MORE_THAN", "over": "MORE_THAN", "less than": "LESS_THAN", "under": "LESS_THAN",
    "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS",
}  # fmt: skip

NUMBERED = re.compile(
    r"\b(?i:room|flight|resolution|no|number|article|page|order|decree|law|item|section"
    r"|paragraph|building|apartment|highway|route|zone|unit|battalion|brigade|regiment"
    r"|division|bus|train|model|code|index|ticket|case)\s+$"
)
