"""Speaker markers and turns: tiny transcripts and the turns they must give."""

from __future__ import annotations

from generator.attribute import attribute, said_marker, split_title
from generator.markup import drop_leading_text
from generator.model import Document, Paragraph


def doc(*texts: str, html: bool = False) -> Document:
    paragraphs = tuple(
        Paragraph(n=i, text=t, line=i, html=f"<p>{t}</p>" if html else None)
        for i, t in enumerate(texts, start=1)
    )
    return Document(source="t.txt", title="t", date=None, time=None, paragraphs=paragraphs)


def turns_of(document: Document) -> list[tuple[str | None, str]]:
    return [
        (None if p.turn is None else document.turns[p.turn].label, p.text)
        for p in document.paragraphs
    ]


def test_marker_alone_opens_a_turn_and_is_not_a_paragraph() -> None:
    result = attribute(
        doc("Lead.", "President Ilham Aliyev said:", "- Dear Mr. Minister.", "More.")
    )
    assert turns_of(result) == [
        (None, "Lead."),
        ("President Ilham Aliyev", "Dear Mr. Minister."),
        ("President Ilham Aliyev", "More."),
    ]
    assert [p.n for p in result.paragraphs] == [1, 2, 3]


def test_inline_marker_keeps_the_speech() -> None:
    result = attribute(
        doc("Russian Defense Minister Sergei Shoigu said: Thank you, dear Mr. President.")
    )
    assert turns_of(result) == [
        ("Russian Defense Minister Sergei Shoigu", "Thank you, dear Mr. President.")
    ]


def test_dash_only_dropped_where_a_turn_opens() -> None:
    result = attribute(doc("X Y said: - Hello.", "- a list item"))
    assert [p.text for p in result.paragraphs] == ["Hello.", "- a list item"]


def test_pronoun_and_mid_sentence_said_are_not_markers() -> None:
    assert said_marker("He said: we will come.") is None
    assert said_marker("the minister said: no.") is None
    assert said_marker("As Putin said. Then: more") is None


def test_split_title_from_name() -> None:
    assert split_title("President of the Republic of Azerbaijan Ilham Aliyev") == (
        "President of the Republic of Azerbaijan",
        "Ilham Aliyev",
    )
    assert split_title("Russian Defense Minister Sergei Shoigu") == (
        "Russian Defense Minister",
        "Sergei Shoigu",
    )
    assert split_title("President") == ("President", None)


def test_markdown_label_leaves_well_formed_markup() -> None:
    result = attribute(doc("Vladimir Putin said: Good afternoon & welcome.", html=True))
    assert result.paragraphs[0].html == "<p>Good afternoon &amp; welcome.</p>"
    assert drop_leading_text("<p><strong>Q said:</strong> Why?</p>", "Q said: ") == "<p>Why?</p>"
    assert drop_leading_text("<p>Other text</p>", "Q said:") == "<p>Other text</p>"
    assert (
        drop_leading_text("<p><b>Q:</b> Why <em>not</em> now?</p>", "Q:")
        == "<p>Why <em>not</em> now?</p>"
    )
