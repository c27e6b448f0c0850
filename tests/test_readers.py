"""The readers: each rule as a tiny input and the document it must give."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.model import Document, Problem, Severity
from generator.readers import read_bytes
from generator.readers.dateline import DatelineError, parse_dateline
from generator.readers.markdown import read_markdown
from generator.readers.text import read_text
from generator.sources import find_sources, stamps_of


def read_txt(text: str | bytes) -> Document | Problem:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_bytes(data, "t.txt", read_text)


def read_md(text: str) -> Document | Problem:
    return read_bytes(text.encode("utf-8"), "t.md", read_markdown)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("21 november 2020, 16:00", (dt.date(2020, 11, 21), dt.time(16, 0))),
        ("21 November 2020", (dt.date(2020, 11, 21), None)),
        ("November 21, 2020", (dt.date(2020, 11, 21), None)),
        ("2020-11-21", (dt.date(2020, 11, 21), None)),
        ("2020-11-21 16:00", (dt.date(2020, 11, 21), dt.time(16, 0))),
        ("  1 Sept. 2019, 9:05 ", (dt.date(2019, 9, 1), dt.time(9, 5))),
        ("The meeting took place on 21 November 2020", None),
        ("President Ilham Aliyev said:", None),
    ],
)
def test_dateline_forms(line: str, expected: object) -> None:
    assert parse_dateline(line) == expected


@pytest.mark.parametrize("line", ["31 february 2020, 25:61", "2020-13-01", "30 February 2021"])
def test_impossible_dateline_is_an_error_not_a_date(line: str) -> None:
    with pytest.raises(DatelineError):
        parse_dateline(line)


def test_title_dateline_and_hard_wrapped_paragraphs() -> None:
    doc = read_txt(
        "\n\nA title\n\n2 March 2021\n\nOne paragraph\nwrapped over\nthree lines.\n\nTwo.\n"
    )
    assert isinstance(doc, Document)
    assert (doc.title, doc.date, doc.time) == ("A title", dt.date(2021, 3, 2), None)
    assert [p.text for p in doc.paragraphs] == ["One paragraph wrapped over three lines.", "Two."]
    assert [p.line for p in doc.paragraphs] == [7, 11]
    assert not doc.problems


def test_missing_dateline_is_a_warning_and_the_line_stays_text() -> None:
    doc = read_txt("Title\n\nFirst paragraph.\n")
    assert isinstance(doc, Document)
    assert doc.date is None and [p.text for p in doc.paragraphs] == ["First paragraph."]
    assert [(p.line, p.severity) for p in doc.problems] == [(1, Severity.WARNING)]


def test_impossible_dateline_is_reported_with_its_line_and_kept() -> None:
    doc = read_txt("Title\n\n31 february 2020, 25:61\n\nText.\n")
    assert isinstance(doc, Document)
    assert doc.date is None
    assert any(p.line == 3 and "impossible date" in p.message for p in doc.problems)
    assert doc.paragraphs[0].text == "31 february 2020, 25:61"


def test_windows_line_endings_and_bom() -> None:
    doc = read_txt(b"\xef\xbb\xbfTitle\r\n\r\n2020-01-02\r\n\r\nText\r\nmore.\r\n")
    assert isinstance(doc, Document)
    assert doc.title == "Title" and doc.paragraphs[0].text == "Text more."


def test_invalid_utf8_names_the_line() -> None:
    problem = read_txt(b"Title\n\n2020-01-02\n\ncaf\xe9\n")
    assert isinstance(problem, Problem)
    assert problem.severity is Severity.ERROR and problem.line == 5
    assert "UTF-8" in problem.message and "0xe9" in problem.message


@pytest.mark.parametrize("data", [b"", b"  \n\n", b"\x00\x01\x02binary"])
def test_empty_and_binary_files_are_errors(data: bytes) -> None:
    assert isinstance(read_txt(data), Problem)


def test_markdown_front_matter_and_body() -> None:
    doc = read_md(
        "---\ntitle: A *press* conference\ndate: 2021-03-02 10:30\n"
        "source: https://example.org/1\ntags: [economy, energy]\n---\n\n"
        "First *paragraph*\nwrapped.\n\n- a list\n- of two\n"
    )
    assert isinstance(doc, Document)
    assert doc.title == "A *press* conference"
    assert (doc.date, doc.time) == (dt.date(2021, 3, 2), dt.time(10, 30))
    assert doc.source_url == "https://example.org/1" and doc.tags == ("economy", "energy")
    assert [p.text for p in doc.paragraphs] == ["First paragraph wrapped.", "a list of two"]
    assert doc.paragraphs[0].html == "<p>First <em>paragraph</em>\nwrapped.</p>"
    assert doc.paragraphs[0].line == 8


def test_markdown_shows_raw_html_as_text_and_drops_script_links() -> None:
    doc = read_md(
        "---\ntitle: t\ndate: 2021-03-02\n---\n<script>alert(1)</script>\n\n"
        "[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n"
    )
    assert isinstance(doc, Document)
    markup = "".join(p.html or "" for p in doc.paragraphs)
    assert "<script" not in markup and "&lt;script&gt;" in markup
    assert "javascript:" not in markup and "<img" not in markup


def test_markdown_front_matter_error_has_a_line() -> None:
    problem = read_md("---\ntitle: t\ndate: [unclosed\n---\nbody\n")
    assert isinstance(problem, Problem) and problem.line is not None and problem.line >= 3
    assert "front matter" in problem.message


def test_the_transcripts_of_a_seeds_folder_and_their_source_names(tmp_path: Path) -> None:
    """Readable extensions in any case, in subfolders too; not the folder's own documents, not
    folders linked in; files linked in are read, under their own name."""
    seeds = tmp_path / "seeds"
    (seeds / "2020" / "may").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for name in ("a.txt", "B.TXT", "c.md", "2020/may/d.txt", "README.md", "about.md",
                 "License.txt", "notes.html", ".txt", "e.txt.bak"):  # fmt: skip
        (seeds / name).write_text("x", encoding="utf-8")
    (elsewhere / "f.txt").write_text("x", encoding="utf-8")
    (seeds / "linked-folder").symlink_to(elsewhere)
    (seeds / "linked.txt").symlink_to(elsewhere / "f.txt")
    found = find_sources(seeds)
    assert [source for source, _ in found] == ["2020/may/d.txt", "B.TXT", "a.txt", "c.md",
                                               "linked.txt"]  # fmt: skip
    assert all(Path(path) == seeds / source for source, path in found)
    assert stamps_of(found)["linked.txt"][0] == 1
