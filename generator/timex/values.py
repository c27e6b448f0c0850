"""Normalisers: a rule's match, the text and the DCT give a TIMEX3 type, value and mod."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from .lexicon import MONTHS, NUMBERED, NUMBERS, ORDINALS, SEASONS, UNITS, VAGUE, WEEKDAYS
from .tense import tense, year_for

Value = tuple[str, str, str | None]  # TIMEX3 type, value and mod
Normaliser = Callable[[re.Match[str], str, dt.datetime | None], Value | None]


def _month_number(name: str) -> int:
    return MONTHS[name.rstrip(".").lower()]


def _shift_months(date: dt.date, months: int) -> tuple[int, int]:
    index = date.year * 12 + date.month - 1 + months
    return index // 12, index % 12 + 1


def _week(date: dt.date) -> str:
    year, week, _ = date.isocalendar()
    return f"{year}-W{week:02d}"


def _quarter(date: dt.date) -> str:
    return f"{date.year}-Q{(date.month - 1) // 3 + 1}"


def _count(text: str) -> int | None:
    """A number written in digits or words; None for a vague one ("several")."""
    text = text.lower().replace("-", " ")
    if text in VAGUE:
        return None
    if text.replace(".", "", 1).isdigit():
        return int(float(text))
    if text in NUMBERS:
        return NUMBERS[text]
    tens, _, ones = text.partition(" ")
    return NUMBERS.get(tens, 0) + NUMBERS.get(ones, 0) or None


def _unit(match: re.Match[str]) -> str:
    unit = match.group("unit").lower().rstrip("s")
    return "century" if unit.startswith("centur") else unit


# -- normalisers: match, text, DCT -> (type, value, mod) -----------------------------------


def value_iso(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    try:
        date = dt.date(int(m.group("year")), int(m.group("m")), int(m.group("day")))
    except ValueError:
        return None
    if m.group("hour"):
        return "TIME", f"{date.isoformat()}T{m.group('hour')}:{m.group('minute')}", None
    return "DATE", date.isoformat(), None


def value_full_date(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    try:
        date = dt.date(int(m.group("year")), _month_number(m.group("month")), int(m.group("day")))
    except ValueError:
        return None
    return "DATE", date.isoformat(), None


def value_month_year(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value:
    return "DATE", f"{m.group('year')}-{_month_number(m.group('month')):02d}", None


def value_month_day(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    month, day = _month_number(m.group("month")), int(m.group("day"))
    if dct is None:
        return "DATE", f"XXXX-{month:02d}-{day:02d}", None
    year = year_for(month, day, tense(text, m.start()), dct.date())
    try:
        return "DATE", dt.date(year, month, day).isoformat(), None
    except ValueError:
        return None


def value_month(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    name = m.group("month")
    before = text[max(0, m.start() - 12) : m.start()].lower()
    if (
        name == "May"
        and not m.group("relative")
        and not re.search(
            r"\b(?:in|of|since|until|by|from|early|late|mid|end|this"
            r"|last|next|to|and|between|before|after)\W*$",
            before,
        )
    ):
        return None  # "May I ask": the verb, not the month
    month = _month_number(name)
    relative = (m.group("relative") or "").lower()
    if dct is None:
        return "DATE", f"XXXX-{month:02d}", None
    when = {"last": "past", "past": "past", "previous": "past", "next": "future",
            "coming": "future"}.get(relative) or tense(text, m.start())  # fmt: skip
    year = year_for(month, None, when, dct.date())
    if relative == "last" and month == dct.month:
        year -= 1
    return "DATE", f"{year}-{month:02d}", None


def value_weekday(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    target = WEEKDAYS.index(m.group("weekday").lower())
    part = m.groupdict().get("part")
    suffix = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI"}
    if dct is None:
        return ("TIME" if part else "DATE"), f"XXXX-WXX-{target + 1}", None
    relative = (m.groupdict().get("relative") or "").lower()
    when = {"last": "past", "next": "future", "coming": "future"}.get(relative) or tense(
        text, m.start()
    )
    today = dct.date()
    delta = target - today.weekday()
    if when == "future":
        delta = delta if delta >= 0 else delta + 7
        if relative == "next" and delta == 0:
            delta = 7
    else:
        delta = delta if delta <= 0 else delta - 7
        if relative == "last" and delta == 0:
            delta = -7
    date = today + dt.timedelta(days=delta)
    if part:
        return "TIME", f"{date.isoformat()}{suffix[part.lower()]}", None
    return "DATE", date.isoformat(), None


def value_year(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    year = int(m.group("year"))
    after = text[m.end() : m.end() + 16]
    before = text[max(0, m.start() - 12) : m.start()]
    if re.match(
        r"\s*(?:%|percent|per cent|(?!(?:has|was|is|as|does|this|his|its|thus|plus|less"
        r"|unless|across|towards|upwards|afterwards|always|perhaps)\b)[a-z]{2,}(?<!s|i|u)s\b"
        r"|[a-z]+ics\b|km|kg|people|children|men|women|\d)",
        after,
    ):
        return None  # "2000 troops", "1500 km": a quantity, not a year
    if re.search(r"(?:[$€£#№]|No\.|\d[.,])\s*$", before) or NUMBERED.search(
        text, max(0, m.start() - 16), m.start()
    ):
        return None  # "$2015", "Resolution 2254", "Room 1905"
    if year < 1900 and not re.search(
        r"\b(?:in|since|until|till|by|from|of|before|after|to|during|between|and|year)\s+$",
        before,
        re.IGNORECASE,
    ):
        return None
    if dct is not None and year > dct.year + 50:
        return None
    return "DATE", str(year), None


def value_year_tail(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value:
    """The second year of "2009-2010" or "1957-58"."""
    tail = m.group("tail")
    return "DATE", tail if len(tail) == 4 else m.group("century") + tail, None


def value_decade(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value:
    if m.group("full"):
        return "DATE", m.group("full")[:3], None
    century = "19" if dct is None or int(m.group("short")) * 10 > dct.year % 100 else "20"
    return "DATE", century + m.group("short"), None


def value_century(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value:
    number = m.group("ordinal").lower()
    value = ORDINALS.get(number) or int(re.sub(r"\D", "", number))
    return "DATE", f"{value - 1:02d}", None


def value_word(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    word = " ".join(m.group(0).lower().split())
    if word in ("now", "currently", "nowadays", "at present", "these days", "at the moment",
                "today's", "the present"):  # fmt: skip
        return "DATE", "PRESENT_REF", None
    if word in ("the past", "in the past"):
        return "DATE", "PAST_REF", None
    if word in ("the future", "in the future"):
        return "DATE", "FUTURE_REF", None
    if dct is None:
        return None
    day = dct.date()
    shifts = {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
              "the day after tomorrow": 2}  # fmt: skip
    if word in shifts:
        return "DATE", (day + dt.timedelta(days=shifts[word])).isoformat(), None
    if word == "tonight":
        return "TIME", f"{day.isoformat()}TNI", None
    return None


def value_relative(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    relative = " ".join(m.group("relative").lower().split())
    unit = _unit(m)
    if dct is None:
        return None
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(
        relative, 0
    )
    if relative == "the same":
        return None
    day = dct.date()
    if unit == "day":
        return None
    if unit == "week":
        return "DATE", _week(day + dt.timedelta(weeks=step)), None
    if unit == "month":
        year, month = _shift_months(day, step)
        return "DATE", f"{year}-{month:02d}", None
    if unit == "quarter":
        year, month = _shift_months(day, 3 * step)
        return "DATE", _quarter(dt.date(year, month, 1)), None
    if unit == "year":
        return "DATE", str(day.year + step), None
    if unit in ("decade", "century") and step:
        return "DURATION", "P10Y" if unit == "decade" else "P100Y", None  # "the next decade"
    if unit == "decade":
        return "DATE", str(day.year // 10), None
    if unit == "century":
        return "DATE", f"{day.year // 100:02d}", None
    return None


def value_the_year(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    """ "the end of the year": the DCT's year."""
    return ("DATE", str(dct.year), None) if dct is not None else None


def value_season(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    code, start_month = SEASONS[m.group("season").lower()]
    if m.group("year"):
        return "DATE", f"{m.group('year')}-{code}", None
    relative = (m.group("relative") or "").lower()
    if not relative and not re.search(
        r"\b(?:in|this|last|next|during|by|until|since|early|late|mid|of|the|end|beginning|"
        r"over|through|throughout)\W*$",
        text[max(0, m.start() - 14) : m.start()],
        re.IGNORECASE,
    ):
        return None  # "prices fall", "a spring of water"
    if dct is None:
        return "DATE", f"XXXX-{code}", None
    day = dct.date()
    started = day.month >= start_month or (code == "WI" and day.month <= 2)
    this_year = day.year if not (code == "WI" and day.month <= 2) else day.year - 1
    if relative == "this":
        return "DATE", f"{this_year}-{code}", None
    ended = (
        started
        and not (code == "WI" and (day.month == 12 or day.month <= 2))
        and (day.month >= start_month + 3)
    )
    when = {"last": "past", "past": "past", "next": "future", "coming": "future"}.get(
        relative
    ) or tense(text, m.start())
    if when == "past":
        year = this_year if ended or (relative != "last" and started) else this_year - 1
    elif when == "future":
        year = this_year if not started else this_year + 1
    else:
        year = this_year
    return "DATE", f"{year}-{code}", None


def value_amount(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    """ "44 days", "three months ago", "the past two years", "many years"."""
    unit = _unit(m)
    count = _count(m.group("number"))
    code = UNITS[unit]
    direction = (m.group("direction") or "").lower()
    if direction:
        if count is None or dct is None:
            return (
                "DATE",
                "PAST_REF" if direction in ("ago", "earlier", "before") else "FUTURE_REF",
                None,
            )
        sign = -1 if direction in ("ago", "earlier", "before") else 1
        day = dct.date()
        if unit == "year":
            return "DATE", str(day.year + sign * count), None
        if unit == "decade":
            return "DATE", str(day.year + sign * 10 * count), None
        if unit == "month":
            year, month = _shift_months(day, sign * count)
            return "DATE", f"{year}-{month:02d}", None
        if unit == "week":
            return "DATE", _week(day + dt.timedelta(weeks=sign * count)), None
        if unit == "day":
            return "DATE", (day + dt.timedelta(days=sign * count)).isoformat(), None
        if unit == "quarter":
            year, month = _shift_months(day, 3 * sign * count)
            return "DATE", _quarter(dt.date(year, month, 1)), None
        return None
    amount = "X" if count is None else str(count)
    if unit in ("hour", "minute"):
        return "DURATION", f"PT{amount}{'H' if unit == 'hour' else 'M'}", None
    if unit == "century":
        return "DURATION", f"P{amount}CE", None
    if unit == "quarter":
        return "DURATION", f"P{amount}Q", None
    return "DURATION", f"P{amount}{code}", None


def value_bare_amount(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value:
    """ "for years", "in recent weeks": a duration of unknown length."""
    return (
        "DURATION",
        f"P{'T' if _unit(m) in ('hour', 'minute') else ''}X{UNITS[_unit(m)][0]}",
        None,
    )


def value_clock(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    hour = int(m.group("hour"))
    minute = int(m.group("minute") or 0)
    ampm = (m.group("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    date = dct.date().isoformat() if dct is not None else "XXXX-XX-XX"
    return "TIME", f"{date}T{hour:02d}:{minute:02d}", None


def value_day_part(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    word = m.group(0).lower()
    if dct is None:
        return None
    codes = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI",
             "noon": "T12:00", "midnight": "T24:00"}  # fmt: skip
    for name, code in codes.items():
        if name in word:
            day = dct.date()
            if word.startswith(("yesterday", "last night")):
                day -= dt.timedelta(days=1)
            elif word.startswith("tomorrow"):
                day += dt.timedelta(days=1)
            return "TIME", f"{day.isoformat()}{code}", None
    return None


def value_set(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value:
    word = m.group(0).lower()
    for name, value in (("day", "P1D"), ("daily", "P1D"), ("week", "P1W"), ("month", "P1M"),
                        ("year", "P1Y"), ("annual", "P1Y"), ("morning", "XXXX-XX-XXTMO"),
                        ("evening", "XXXX-XX-XXTEV"), ("night", "XXXX-XX-XXTNI"),
                        ("summer", "XXXX-SU"), ("winter", "XXXX-WI"), ("spring", "XXXX-SP"),
                        ("autumn", "XXXX-FA")):  # fmt: skip
        if name in word:
            return "SET", value, None
    return "SET", "P1D", None


def value_quarter_rule(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    number = ORDINALS.get(m.group("ordinal").lower()) or int(m.group("ordinal")[0])
    if m.group("year"):
        return "DATE", f"{m.group('year')}-Q{number}", None
    if dct is None:
        return "DATE", f"XXXX-Q{number}", None
    return "DATE", f"{dct.year}-Q{number}", None


def value_clock_rule(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    if m.group("hour2") is not None:
        before = text[max(0, m.start() - 3) : m.start()]
        if re.search(r"\d[:.]?$", before):
            return None
        hour, minute = int(m.group("hour2")), int(m.group("minute2"))
        date = dct.date().isoformat() if dct is not None else "XXXX-XX-XX"
        return "TIME", f"{date}T{hour:02d}:{minute:02d}", None
    return value_clock(m, text, dct)


def value_clock_on_weekday(m: re.Match[str], text: str, dct: dt.datetime | None) -> Value | None:
    """ "15:00 GMT Saturday": the weekday's date at that time."""
    day = value_weekday(m, text, dct) if dct is not None else None
    clock = value_clock(m, text, dct)
    if day is None or clock is None:
        return None
    return "TIME", f"{day[1][:10]}T{clock[1].split('T')[1]}", None
