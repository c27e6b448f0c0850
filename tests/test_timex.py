"""Temporal expressions: one sentence per rule, against the seed's DCT (21 November 2020, 16:00)."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.timex import find_timexes

DCT = dt.datetime(2020, 11, 21, 16, 0)


def tag(text: str, dct: dt.datetime | None = DCT) -> list[tuple[str, str, str, str | None]]:
    return [(t.text, t.type, t.value, t.mod) for t in find_timexes(text, dct)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yesterday, our forces entered Aghdam.", [("Yesterday", "DATE", "2020-11-20", None)]),
        ("Today we will discuss it.", [("Today", "DATE", "2020-11-21", None)]),
        ("We will meet tomorrow.", [("tomorrow", "DATE", "2020-11-22", None)]),
        ("We met three months ago.", [("three months ago", "DATE", "2020-08", None)]),
        ("It happened two years ago.", [("two years ago", "DATE", "2018", None)]),
        ("You visited us at the end of August.", [("the end of August", "DATE", "2020-08", "END")]),
        ("The attack came in late September.", [("late September", "DATE", "2020-09", "END")]),
        ("It was signed in early 2019.", [("early 2019", "DATE", "2019", "START")]),
        ("After 44 days of fighting.", [("44 days", "DURATION", "P44D", None)]),
        ("It ended many years of confrontation.", [("many years", "DURATION", "PXY", None)]),
        ("The talks lasted about two hours.", [("two hours", "DURATION", "PT2H", "APPROX")]),
        ("We began at 16:00.", [("16:00", "TIME", "2020-11-21T16:00", None)]),
        ("It starts at 9 p.m.", [("9 p.m.", "TIME", "2020-11-21T21:00", None)]),
        ("It was signed on 21 November 2020.", [("21 November 2020", "DATE", "2020-11-21", None)]),
        (
            "It was signed on November 10, 2020.",
            [("November 10, 2020", "DATE", "2020-11-10", None)],
        ),
        ("The law of 2020-11-09 applies.", [("2020-11-09", "DATE", "2020-11-09", None)]),
        ("Prices rose in March 2019.", [("March 2019", "DATE", "2019-03", None)]),
        ("It was hard in the 1990s.", [("the 1990s", "DATE", "199", None)]),
        ("Back in the '90s it was hard.", [("the '90s", "DATE", "199", None)]),
        ("In the 21st century, things change.", [("the 21st century", "DATE", "20", None)]),
        ("This spring was warm.", [("This spring", "DATE", "2020-SP", None)]),
        ("We met last summer.", [("last summer", "DATE", "2020-SU", None)]),
        ("We met last week.", [("last week", "DATE", "2020-W46", None)]),
        ("Growth will return next year.", [("next year", "DATE", "2021", None)]),
        ("We did it last year.", [("last year", "DATE", "2019", None)]),
        (
            "Results for the first quarter of 2020.",
            [("the first quarter of 2020", "DATE", "2020-Q1", None)],
        ),
        ("Now we must act.", [("Now", "DATE", "PRESENT_REF", None)]),
        ("Mistakes were made in the past.", [("in the past", "DATE", "PAST_REF", None)]),
        ("We will do more in the future.", [("in the future", "DATE", "FUTURE_REF", None)]),
        ("We meet every year.", [("every year", "SET", "P1Y", None)]),
        ("He arrived on Friday.", [("Friday", "DATE", "2020-11-20", None)]),
        ("He will arrive on Monday.", [("Monday", "DATE", "2020-11-23", None)]),
        ("He spoke on Thursday evening.", [("Thursday evening", "TIME", "2020-11-19TEV", None)]),
    ],
)
def test_expressions_and_values(
    text: str, expected: list[tuple[str, str, str, str | None]]
) -> None:
    assert tag(text) == expected


def test_month_without_year_takes_it_from_the_tense() -> None:
    assert tag("The provocation was committed in July.") == [("July", "DATE", "2020-07", None)]
    assert tag("We will meet again in March.") == [("March", "DATE", "2021-03", None)]
    assert tag("The book is due to be published in May.") == [("May", "DATE", "2021-05", None)]


def test_ranges_give_both_ends() -> None:
    assert tag("Then, in July and August, there were two attacks.") == [
        ("July", "DATE", "2020-07", None),
        ("August", "DATE", "2020-08", None),
    ]
    assert [v for _, _, v, _ in tag("He served from 2014 to 2016.")] == ["2014", "2016"]
    assert [
        v for _, _, v, _ in tag("The pandemic of 2009-2010 and the expedition of 1957-58.")
    ] == ["2009", "2010", "1957", "1958"]


@pytest.mark.parametrize(
    "text",
    [
        "May I ask a question?",
        "We sent 2000 troops and 1500 tanks.",
        "It costs $2015.",
        "Prices fall when supply grows.",
        "The score was 3:2.",
        "Room 1905 is on the left.",
    ],
)
def test_things_that_are_not_dates(text: str) -> None:
    assert [t for t in tag(text) if t[1] == "DATE"] == []


def test_relative_expressions_need_a_dct() -> None:
    assert tag("Yesterday, in 2019, we met three months ago.", None) == [
        ("2019", "DATE", "2019", None),
        ("three months ago", "DATE", "PAST_REF", None),  # past, but not when
    ]


def test_offsets_are_into_the_text() -> None:
    text = "Héllo — yesterday and late September.\r\nAlso 2019."
    for timex in find_timexes(text, DCT):
        assert text[timex.start : timex.end] == timex.text
