"""The timeline on built sites, ``podium events`` and the TimelineJS data."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator import timeline
from generator.check import broken_links
from generator.cli import main
from generator.link import LinkMemo, link
from generator.model import Document, DocumentPage, Paragraph, Timex
from generator.sources import read_seeds
from generator.timeline import collect_events
from tests.conftest import SEED, write_seeds
from tests.htmlcheck import parse, text_of, texts_by_class
from tests.test_site import SEED_PAGE


def built(seeds: Path, tmp_path: Path) -> Path:
    assert main(["build", str(seeds), "-o", str(tmp_path / "site")]) == 0
    return tmp_path / "site"


def test_timeline_lists_events_in_order_at_their_precision(seeds: Path, tmp_path: Path) -> None:
    site = built(seeds, tmp_path)
    year_page = site / "timeline" / "2020" / "index.html"
    found = texts_by_class(year_page, "h2", "when")
    headings = [text for name, text in found if name == "h2"]
    labels = [text for name, text in found if name == "when"]
    assert headings == ["July 2020", "August 2020", "September 2020", "November 2020"]
    assert labels[0] == "July 2020"
    assert "late August 2020" in labels and "late September 2020" in labels
    assert labels.index("late September 2020") < labels.index("20 November 2020")
    assert "21 November 2020, 16:00" in labels  # the document's own date
    text = text_of(parse(year_page))
    assert "44 days" not in text and "many years" not in text  # durations are not plotted
    years = texts_by_class(site / "timeline" / "index.html", "li")
    assert years == [("li", "2020 (12 events)")]
    assert broken_links(site) == []


def test_document_marks_up_expressions_and_links_them(seeds: Path, tmp_path: Path) -> None:
    site = built(seeds, tmp_path)
    page = parse(site / SEED_PAGE / "index.html")
    times = [a for tag, a in page.elements if tag == "time"]
    datetimes = [a.get("datetime") for a in times]
    assert "2020-11-20" in datetimes and "2020-08" in datetimes and "P44D" in datetimes
    assert "2020-11-21T16:00" in datetimes  # the dateline
    to_timeline = [link for link in page.links if "timeline/2020/index.html#t-" in link]
    assert len(to_timeline) >= 10
    assert "Events this document refers to" in text_of(page)


def test_timeline_json_is_timelinejs(seeds: Path, tmp_path: Path) -> None:
    site = built(seeds, tmp_path)
    data = json.loads((site / "data" / "timeline.json").read_text(encoding="utf-8"))
    events = data["events"]
    september = next(e for e in events if e["display_date"] == "late September 2020")
    assert september["start_date"]["year"] == "2020" and september["start_date"]["month"] == "9"
    assert september["end_date"] == {
        "year": "2020",
        "month": "9",
        "display_date": "late September 2020",
    }
    assert "<mark>late September</mark>" in september["text"]["text"]
    yesterday = next(e for e in events if e["display_date"] == "20 November 2020")
    assert yesterday["start_date"] | {"display_date": ""} == {
        "year": "2020",
        "month": "11",
        "day": "20",
        "display_date": "",
    }
    assert all("headline" in e["text"] for e in events)


def test_events_command_offsets_are_into_the_file_as_decoded(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    text = "Any shape at all.\r\nWe met three months ago — «yesterday» too.\r\nIn 2019, again.\r\n"
    path.write_bytes(text.encode("utf-8"))
    run = subprocess.run(
        [sys.executable, "-m", "generator", "events", "--dct", "2020-11-21T16:00", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(r["text"], r["type"], r["value"], r["mod"]) for r in rows] == [
        ("three months ago", "DATE", "2020-08", None),
        ("yesterday", "DATE", "2020-11-20", None),
        ("2019", "DATE", "2019", None),
    ]
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]
        assert set(row) == {"start", "end", "text", "type", "value", "mod"}


def test_inspect_lists_each_paragraphs_events() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "generator", "inspect", str(SEED)],
        capture_output=True,
        text=True,
        check=True,
    )
    paragraphs = json.loads(run.stdout)["paragraphs"]
    values = [(e["text"], e["value"], e["mod"]) for p in paragraphs for e in p["events"]]
    assert ("Yesterday", "2020-11-20", None) in values
    assert ("late September", "2020-09", "END") in values
    assert ("44 days", "P44D", None) in values


def test_events_of_one_day_in_one_paragraph_keep_the_order_of_the_text(
    seeds: Path, tmp_path: Path
) -> None:
    """Eleven mentions of one day: the eleventh comes last, not between the first and second."""
    places = ["Moscow", "Minsk", "Kazan", "Sochi", "Omsk", "Tula", "Perm", "Ufa", "Orel", "Tver",
              "Pskov"]  # fmt: skip
    said = " ".join(f"On 12 May 2021 we met in {place}." for place in places)
    source = seeds / SEED.name
    source.write_text(source.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{said}\n", "utf-8")
    site = built(seeds, tmp_path)
    page = parse(site / "timeline" / "2021" / "index.html")
    ids = [str(a["id"]) for _, a in page.elements if str(a.get("id", "")).startswith("t-")]
    assert len(ids) == 11 and len({i.rsplit("-", 1)[0] for i in ids}) == 1  # one paragraph
    assert [int(i.rsplit("-", 1)[1]) for i in ids] == list(range(11))
    text = text_of(page)
    shown = [text.index(f"met in {place}") for place in places]  # each event shows its sentence
    assert shown == sorted(shown)


def _page(source: str, path: str, date: dt.date | None, *paragraphs: list[str]) -> DocumentPage:
    """A page whose paragraphs each hold the given TIMEX3 values, one word each."""
    made = []
    for n, values in enumerate(paragraphs, start=1):
        text = " ".join(values)
        starts = [sum(len(v) + 1 for v in values[:i]) for i in range(len(values))]
        timexes = tuple(Timex(start, start + len(value), value, "DATE", value)
                        for start, value in zip(starts, values, strict=True))  # fmt: skip
        made.append(Paragraph(n, text, n, id=f"{source}-{n}", timexes=timexes))
    return DocumentPage(Document(source, "A meeting", date, None, tuple(made)), path)


def test_events_of_one_stretch_go_in_site_order_then_text_order() -> None:
    """Time first (from the first day, then to the last); then the page's path, its own date
    before its expressions; then the paragraph and the place in it."""
    later = _page("b.txt", "2021/03/02/b/", dt.date(2021, 3, 2), ["2021", "2020", "2021"],
                  ["2021-03-02", "2021"])  # fmt: skip
    earlier = _page("a.txt", "2021/03/01/a/", None, ["2021"], ["2021-03-02"])
    events = collect_events((later, earlier))
    placed = [(e.value, e.page.document.source, e.paragraph and e.paragraph.n, e.index)
              for e in events]  # fmt: skip
    assert placed == [
        ("2020", "b.txt", 1, 1),
        ("2021", "a.txt", 1, 0),  # from 1 January
        ("2021", "b.txt", 1, 0),
        ("2021", "b.txt", 1, 2),
        ("2021", "b.txt", 2, 1),
        ("2021-03-02", "a.txt", 2, 0),
        ("2021-03-02", "b.txt", None, 0),  # the document's own date
        ("2021-03-02", "b.txt", 2, 0),
    ]


@pytest.mark.parametrize(
    ("time", "value", "said"),
    [
        (None, "2021-03-02", "2 March 2021"),
        (dt.time(9, 5), "2021-03-02T09:05", "2 March 2021, 09:05"),
    ],
)
def test_a_documents_own_date_is_said_as_its_value_would_be(
    time: dt.time | None, value: str, said: str
) -> None:
    document = Document("a.txt", "A meeting", dt.date(2021, 3, 2), time, ())
    (event,) = collect_events((DocumentPage(document, "2021/03/02/a/"),))
    assert (event.value, event.label) == (value, said)
    assert timeline.label(value, None) == said


def _sentence_of(text: str, expression: str) -> str:
    """The sentence the timeline shows for the first ``expression`` in a paragraph ``text``."""
    start = text.index(expression)
    timex = Timex(start, start + len(expression), expression, "DATE", "2021")
    paragraph = Paragraph(1, text, 5, id="p-1", timexes=(timex,))
    page = DocumentPage(Document("a.txt", "A meeting", None, None, (paragraph,)), "undated/a/")
    (event,) = collect_events((page,))
    assert event.sentence[event.expression_start : event.expression_end] == expression
    return event.sentence


@pytest.mark.parametrize(
    ("text", "expression", "sentence"),
    [
        ("He came. In 2021 we met. Then he left.", "2021", "In 2021 we met."),
        ("In 2021 it grew. It fell.", "2021", "In 2021 it grew."),
        ("It fell. It grew in 2021", "2021", "It grew in 2021"),
        ("We met in 2021", "2021", "We met in 2021"),
        ("It fell.   “In 2021 it grew,” he said. Yes.", "2021", "“In 2021 it grew,” he said."),
        ("It fell approx. by half in 2021. Then it rose.", "2021",
         "It fell approx. by half in 2021."),
        ("Really? In 2021! Yes.", "2021", "In 2021!"),
        ("We met (in 2021.) Yes.", "2021", "We met (in 2021.) Yes."),
        ("It was 2021. 2022 came.", "2021", "It was 2021."),
    ],
)  # fmt: skip
def test_an_event_shows_the_sentence_that_holds_its_expression(
    text: str, expression: str, sentence: str
) -> None:
    """A sentence ends at a stop followed by spaces and what can begin one (a capital, a digit,
    a quote or a bracket); the timeline shows the one its expression is in."""
    assert _sentence_of(text, expression) == sentence


def test_a_rebuild_finds_again_only_the_sentences_of_documents_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The link stage keeps where each document's dated sentences are, under a digest of its
    source; a document under a new digest is looked at again, and the timeline is the same as
    if nothing had been kept."""

    def seeds(folder: str, places: dict[str, str]) -> list[Document]:
        texts = {f"{name}.txt": f"Meeting {name}\n\n2 March 2021\n\nVladimir Putin: Good day. "
                 f"{said} Then we left.\n" for name, said in places.items()}  # fmt: skip
        (tmp_path / folder).mkdir()
        return read_seeds(write_seeds(tmp_path / folder, texts))[0]

    scanned: list[str] = []
    find = timeline.find_sentences

    def counted(paragraphs: tuple[Paragraph, ...]) -> tuple[int, ...]:
        scanned.append(" ".join(p.text for p in paragraphs))
        return find(paragraphs)

    monkeypatch.setattr(timeline, "find_sentences", counted)
    said = {name: f"In May 2020 we met in {name.upper()}." for name in "abc"}
    memo, keys = LinkMemo(), {"a.txt": "a1", "b.txt": "b1", "c.txt": "c1"}
    link(seeds("one", said), None, memo, keys)
    assert len(scanned) == 3
    documents = seeds("two", {**said, "b": "Next, in the summer of 2023, we will meet in B."})
    again = link(documents, None, memo, {**keys, "b.txt": "b2"})
    assert len(scanned) == 4 and "summer of 2023" in scanned[-1]
    assert again.events == link(documents).events
    summer = next(e for e in again.events if e.value == "2023-SU")
    assert summer.sentence == "Next, in the summer of 2023, we will meet in B."
    assert summer.sentence[summer.expression_start : summer.expression_end] == "summer of 2023"
    link(documents[:2], None, memo, keys | {"b.txt": "b2"})
    assert sorted(memo.sentences) == ["a1", "b2"]  # only what this build has
