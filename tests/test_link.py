"""Slugs and URLs."""

from __future__ import annotations

import datetime as dt

from generator.link import link, slugify
from generator.model import Document


def doc(title: str, date: dt.date | None, source: str) -> Document:
    return Document(source=source, title=title, date=date, time=None, paragraphs=())


def test_slug_transliterates_to_ascii() -> None:
    assert slugify("Ильхам Алиев принял делегацию") == "ilkham-aliev-prinyal-delegatsiyu"
    assert slugify("Əliyev: İlham's «visit» to Şuşa") == "eliyev-ilhams-visit-to-susa"


def test_slug_is_cut_at_a_word_under_80_characters() -> None:
    slug = slugify("word " * 40)
    assert len(slug) <= 80 and not slug.endswith("-") and set(slug.split("-")) == {"word"}


def test_slug_never_empty_or_a_path() -> None:
    assert slugify("!!!") == "untitled"
    assert slugify("../../etc/passwd") == "etc-passwd"


def test_urls_are_unique_and_newest_first() -> None:
    day = dt.date(2020, 11, 21)
    site = link(
        [
            doc("Meeting", day, "b.txt"),
            doc("Meeting", day, "a.txt"),
            doc("Older", dt.date(2019, 1, 1), "c.txt"),
            doc("No date", None, "d.txt"),
        ]
    )
    assert [p.path for p in site.pages] == [
        "2020/11/21/meeting-2/",
        "2020/11/21/meeting/",
        "2019/01/01/older/",
        "undated/no-date/",
    ]
    assert site.pages[0].following is None and site.pages[0].previous == "2020/11/21/meeting/"
    assert site.pages[-1].previous is None
