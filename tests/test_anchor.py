"""Paragraph ids: derived from text, stable under insertions and small fixes."""

from __future__ import annotations

import re
from dataclasses import replace

from generator.anchor import assign_ids
from generator.build import process
from generator.model import Document, Paragraph
from generator.readers import read_file
from tests.conftest import SEED


def doc(*texts: str, source: str = "a.txt") -> Document:
    paragraphs = tuple(Paragraph(n=i, text=t, line=i) for i, t in enumerate(texts, start=1))
    return Document(source=source, title="t", date=None, time=None, paragraphs=paragraphs)


def ids(document: Document) -> dict[str, str]:
    return {p.text: p.id for p in assign_ids(document).paragraphs}


def test_ids_are_short_and_url_safe() -> None:
    for value in ids(doc("One.", "Two.", "Три.")).values():
        assert re.fullmatch(r"[a-z2-7]{10}", value)


def test_inserting_removing_and_reordering_keep_other_ids() -> None:
    before = ids(doc("One.", "Two.", "Three."))
    after = ids(doc("Zero.", "Three.", "One.", "New.", "Two."))
    assert {t: after[t] for t in before} == before
    assert ids(doc("One.", "Three.")) == {t: before[t] for t in ("One.", "Three.")}


def test_punctuation_and_case_fixes_keep_the_id() -> None:
    assert ids(doc("Hello, world"))["Hello, world"] == ids(doc("hello world."))["hello world."]


def test_repeated_text_gets_deterministic_suffixes() -> None:
    result = assign_ids(doc("Thank you.", "Yes.", "Thank you.", "Thank you."))
    first = result.paragraphs[0].id
    assert [p.id for p in result.paragraphs] == [
        first,
        result.paragraphs[1].id,
        f"{first}-2",
        f"{first}-3",
    ]


def test_same_text_in_two_documents_gets_two_ids() -> None:
    assert ids(doc("Thank you.", source="a.txt")) != ids(doc("Thank you.", source="b.txt"))


def test_inserting_a_paragraph_into_the_seed_keeps_every_other_id() -> None:
    seed = read_file(SEED, SEED.name)
    assert isinstance(seed, Document)
    original = process(seed)
    inserted = Paragraph(n=0, text="An inserted paragraph about nothing.", line=0)
    edited = replace(seed, paragraphs=(seed.paragraphs[0], inserted, *seed.paragraphs[1:]))
    revised = process(edited)
    old = {p.text: p.id for p in original.paragraphs}
    new = {p.text: p.id for p in revised.paragraphs}
    assert len(new) == len(old) + 1
    assert {t: new[t] for t in old} == old
