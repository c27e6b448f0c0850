"""Speaker attribution: one tiny transcript per convention and trap, and the turns it gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.attribute import attribute, find_marker, looks_like_label
from generator.markup import drop_leading_text
from generator.model import Document, Paragraph
from generator.names import read_label
from generator.people import load_registry


def doc(*texts: str, html: bool = False, date: dt.date | None = None) -> Document:
    paragraphs = tuple(
        Paragraph(n=i, text=t, line=i, html=f"<p>{t}</p>" if html else None)
        for i, t in enumerate(texts, start=1)
    )
    return Document(source="t.txt", title="t", date=date, time=None, paragraphs=paragraphs)


def turns_of(document: Document) -> list[tuple[str | None, str | None, str]]:
    """(label, speaker, text) for each paragraph."""
    result = []
    for p in document.paragraphs:
        turn = None if p.turn is None else document.turns[p.turn]
        result.append((turn and turn.label, turn and turn.speaker, p.text))
    return result


# -- conventions ------------------------------------------------------------------------


def test_said_alone_on_its_line_opens_a_turn_and_is_not_a_paragraph() -> None:
    result = attribute(
        doc("Lead.", "President Ilham Aliyev said:", "- Dear Mr. Minister.", "More.")
    )
    assert turns_of(result) == [
        (None, None, "Lead."),
        ("President Ilham Aliyev", "Ilham Aliyev", "Dear Mr. Minister."),
        ("President Ilham Aliyev", "Ilham Aliyev", "More."),
    ]
    assert [p.n for p in result.paragraphs] == [1, 2, 3]


def test_said_inline_keeps_the_speech() -> None:
    result = attribute(
        doc("Russian Defense Minister Sergei Shoigu said: Thank you, Mr. President.")
    )
    assert turns_of(result) == [
        ("Russian Defense Minister Sergei Shoigu", "Sergei Shoigu", "Thank you, Mr. President.")
    ]
    assert result.turns[0].role == "Russian Defense Minister"


def test_kremlin_colon_labels_and_short_forms() -> None:
    result = attribute(
        doc(
            "President of Russia Vladimir Putin: Good afternoon.",
            "Defence Minister Sergei Shoigu: Mr President,",
            "Vladimir Putin: Thank you.",
            "Putin: Once more.",
            "Shoigu: Yes.",
        )
    )
    assert [(t.label, t.speaker, t.role) for t in result.turns] == [
        ("President of Russia Vladimir Putin", "Vladimir Putin", "President of Russia"),
        ("Defence Minister Sergei Shoigu", "Sergei Shoigu", "Defence Minister"),
        ("Vladimir Putin", "Vladimir Putin", "President of Russia"),
        ("Putin", "Vladimir Putin", "President of Russia"),
        ("Shoigu", "Sergei Shoigu", "Defence Minister"),
    ]


@pytest.mark.parametrize(
    ("label", "role", "person"),
    [
        ("THE PRESIDENT", "The President", None),
        ("DR. BIRX", "Dr.", "Birx"),
        ("ACTING SECRETARY WOLF", "Acting Secretary", "Wolf"),
        ("Mr. ADODO (Togo)", "Togo", "Adodo"),
        ("The PRESIDENT", "The President", None),
        ("President Bachelet Jeria (spoke in Spanish)", "President", "Bachelet Jeria"),
        (
            "President of Afghanistan Hamid Karzai (translated from Russian)",
            "President of Afghanistan",
            "Hamid Karzai",
        ),
        (
            "President of the Republic of Azerbaijan Ilham Aliyev",
            "President of the Republic of Azerbaijan",
            "Ilham Aliyev",
        ),
        ("King Abdullah II of Jordan", "King of Jordan", "Abdullah II"),
        ("Yevgeny Rozhkov, reporter at VGTRK", "reporter at VGTRK", "Yevgeny Rozhkov"),
        ("Alexander Van der Bellen", None, "Alexander Van der Bellen"),
    ],
)
def test_titles_are_split_from_names(label: str, role: str | None, person: str | None) -> None:
    reading = read_label(label)
    assert (reading.role, reading.person, reading.anonymous) == (role, person, False)


@pytest.mark.parametrize(
    "text",
    [
        "Question: What about prices?",
        "Question (retranslated): Mr President, …",
        "Remark: It is true.",
        "Reply: No.",
        "Answer: Yes.",
        "Q Mr. President, will you run again?",
        "Q: And the budget?",
    ],
)
def test_questions_and_answers_are_anonymous_turns(text: str) -> None:
    result = attribute(doc("Lead.", text))
    assert len(result.turns) == 1
    turn = result.turns[0]
    assert turn.anonymous and turn.speaker is None
    assert text.startswith(turn.label)


def test_uppercase_labels() -> None:
    result = attribute(doc("THE PRESIDENT: Thank you.", "DR. BIRX: So the data…", "Go on."))
    assert [(t.label, t.speaker, t.role) for t in result.turns] == [
        ("THE PRESIDENT", None, "The President"),
        ("DR. BIRX", "Birx", "Dr."),
    ]
    assert result.paragraphs[2].turn == 1


def test_un_verbatim_records() -> None:
    result = attribute(
        doc(
            "The PRESIDENT: I give the floor to the representative of Togo.",
            "Mr. ADODO (Togo) (spoke in French): Thank you, Mr. President.",
            "President Bachelet Jeria (spoke in Spanish): I thank you.",
        )
    )
    assert [t.speaker for t in result.turns] == [None, "Adodo", "Bachelet Jeria"]
    assert result.turns[1].role == "Togo"


# -- traps ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Taking part in the meeting were: Sergei Lavrov, Sergei Shoigu.",
        "Contact telephone numbers: +7 495 000 00 00.",
        "The main activities on the agenda (the start time indicated is approximate): opening.",
        "The message reads, in part: We are grateful.",
        "Hence, the question: what next?",
        "We discussed this with Vladimir Putin: he agreed.",
        "Minister of Defence: Sergei Shoigu.",
        "Meeting at 16:00 in the Kremlin.",
        "Second: the budget.",
        "He said: we will come.",
        "Source: https://example.org/",
    ],
)
def test_a_colon_that_opens_a_list_or_heading_is_not_a_turn(text: str) -> None:
    assert find_marker(text) is None
    result = attribute(doc("Vladimir Putin: Hello.", text))
    assert len(result.turns) == 1 and result.paragraphs[1].text == text


def test_language_annotation_is_not_a_new_speaker() -> None:
    result = attribute(
        doc(
            "President of Turkey Recep Tayyip Erdogan (retranslated): Dear friend.",
            "Recep Tayyip Erdogan (speaking in English): Thank you.",
        )
    )
    assert [t.speaker for t in result.turns] == ["Recep Tayyip Erdogan"] * 2


def test_role_only_label_stays_a_role_unless_the_document_says_who() -> None:
    alone = attribute(doc("The PRESIDENT: The meeting is open."))
    assert (alone.turns[0].speaker, alone.turns[0].role) == (None, "The President")
    said = attribute(doc("President Joe Smith: Welcome.", "THE PRESIDENT: Thank you."))
    assert said.turns[1].speaker == "Joe Smith"
    two = attribute(
        doc("President Joe Smith: Hi.", "President Ann Lee: Hi.", "The President: Yes.")
    )
    assert two.turns[2].speaker is None  # two presidents: do not guess


def test_stage_remarks_are_not_speech_and_do_not_end_the_turn() -> None:
    result = attribute(
        doc("Vladimir Putin: Thank you.", "(Applause.)", "[Inaudible]", "And so on.")
    )
    assert [(p.stage, p.turn) for p in result.paragraphs] == [
        (False, 0),
        (True, 0),
        (True, 0),
        (False, 0),
    ]


def test_dash_only_dropped_where_a_turn_opens() -> None:
    result = attribute(doc("X Y said: - Hello.", "- a list item"))
    assert [p.text for p in result.paragraphs] == ["Hello.", "- a list item"]


def test_narration_before_the_first_label() -> None:
    result = attribute(doc("The talks took place in Moscow.", "Vladimir Putin: Hello."))
    assert result.paragraphs[0].turn is None


def test_label_like_sentences() -> None:
    assert looks_like_label("Gazprom CEO Alexei Miller")
    assert looks_like_label("World’s first woman cosmonaut Valentina Tereshkova")
    assert not looks_like_label("Badges for accredited media representatives will be issued at")
    assert not looks_like_label("Meeting points")


# -- registry ---------------------------------------------------------------------------


def test_registry_fixes_names_and_resolves_roles_by_date(tmp_path: Path) -> None:
    path = tmp_path / "people.toml"
    path.write_text(
        '[[person]]\nname = "Vladimir Putin"\naliases = ["Vlaidmir Putin"]\n\n'
        '[[person]]\nname = "Joe Smith"\n'
        'roles = [{ title = "President", from = 2020-01-01, until = 2020-12-31 }]\n',
        encoding="utf-8",
    )
    registry, problems = load_registry(path)
    assert problems == []
    result = attribute(
        doc("Vlaidmir Putin: Hello.", "THE PRESIDENT: Hello.", date=dt.date(2020, 6, 1)), registry
    )
    assert [t.speaker for t in result.turns] == ["Vladimir Putin", "Joe Smith"]
    later = attribute(doc("THE PRESIDENT: Hello.", date=dt.date(2021, 6, 1)), registry)
    assert later.turns[0].speaker is None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[[person]]\nname = "A"\n\n[[person]]\naliases = ["B"]\n', 4, "needs a 'name'"),
        ('[[person]]\nname = "A"\nroles = [{ title = "X", from = "soon" }]\n', 1, "not a date"),
        ('[[person]]\nname = "A\n', 2, "not valid TOML"),
        ('[[person]]\nname = "A"\nnick = "B"\n', 1, "unknown key 'nick'"),
    ],
)
def test_registry_errors_name_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "people.toml"
    path.write_text(text, encoding="utf-8")
    _, problems = load_registry(path)
    assert len(problems) == 1
    assert problems[0].line == line and message in problems[0].message


def test_markdown_label_leaves_well_formed_markup() -> None:
    result = attribute(doc("Vladimir Putin said: Good afternoon & welcome.", html=True))
    assert result.paragraphs[0].html == "<p>Good afternoon &amp; welcome.</p>"
    assert drop_leading_text("<p><strong>Q said:</strong> Why?</p>", "Q said: ") == "<p>Why?</p>"
    assert drop_leading_text("<p>Other text</p>", "Q said:") == "<p>Other text</p>"
    assert (
        drop_leading_text("<p><b>Q:</b> Why <em>not</em> now?</p>", "Q:")
        == "<p>Why <em>not</em> now?</p>"
    )
