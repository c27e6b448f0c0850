"""The speaker index, person pages and mentions, checked on built sites."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from generator import views
from generator.cli import main
from generator.link import LinkMemo, link
from generator.model import Document, DocumentPage, Paragraph, Utterances
from generator.sources import read_seeds
from generator.speakers import MentionFinder, Scan
from tests.conftest import require_kremlin, write_seeds
from tests.htmlcheck import parse, table_rows, text_of, texts_by_class
from tests.test_site import SEED_PAGE


def rows(site: Path) -> dict[str, list[str]]:
    """The speakers table: name -> the texts of its other cells."""
    return {row[0]: row[1:] for row in table_rows(site / "speakers" / "index.html")[1:]}


def test_seed_has_exactly_two_speakers(seeds: Path, tmp_path: Path) -> None:
    assert main(["build", str(seeds), "-o", str(tmp_path / "site")]) == 0
    table = rows(tmp_path / "site")
    assert set(table) == {"Ilham Aliyev", "Sergei Shoigu"}
    roles, documents, paragraphs, words, first, last = table["Ilham Aliyev"]
    assert roles == "President; President of the Republic of Azerbaijan"
    assert (documents, paragraphs, first, last) == (
        "1",
        "11",
        "21 November 2020",
        "21 November 2020",
    )
    assert int(words) > 700
    roles, documents, paragraphs, *_ = table["Sergei Shoigu"]
    assert roles.startswith("Russian Defense Minister") and paragraphs == "2"


def test_person_page_links_every_paragraph_to_its_permalink(seeds: Path, tmp_path: Path) -> None:
    main(["build", str(seeds), "-o", str(tmp_path / "site")])
    page = parse(tmp_path / "site" / "speakers" / "ilham-aliyev" / "index.html")
    permalinks = [link for link in page.links if "#p-" in link]
    assert len(permalinks) == 11
    document = parse(tmp_path / "site" / SEED_PAGE / "index.html")
    anchors = [link.split("#")[1] for link in permalinks]
    assert all(anchor in document.ids for anchor in anchors)
    assert "Dear Mr. Minister." in text_of(page)
    assert "Documents that mention Ilham Aliyev" in text_of(page)


def test_document_links_labels_speakers_and_mentions(seeds: Path, tmp_path: Path) -> None:
    main(["build", str(seeds), "-o", str(tmp_path / "site")])
    page = parse(tmp_path / "site" / SEED_PAGE / "index.html")
    to_aliyev = page.links.count("../../../../speakers/ilham-aliyev/index.html")
    to_shoigu = page.links.count("../../../../speakers/sergei-shoigu/index.html")
    # the speakers list, the turn label, and the lead's mention
    assert to_aliyev == 3 and to_shoigu == 3
    mentions = [a for tag, a in page.elements if tag == "a" and a.get("class") == "mention"]
    assert len(mentions) == 2
    marked = texts_by_class(tmp_path / "site" / SEED_PAGE / "index.html", "mention")
    assert marked == [("mention", "Ilham Aliyev"), ("mention", "Sergei Shoigu")]  # the names
    # "Mr. Minister", "Sergei Kuzhugetovich" and "Dear members of the delegation" speak nowhere
    assert not (tmp_path / "site" / "speakers" / "sergei-kuzhugetovich").exists()


def test_anonymous_labels_are_not_people(tmp_path: Path) -> None:
    seeds = write_seeds(
        tmp_path,
        {
            "a.txt": (
                "Press conference\n\n2 March 2021\n\nVladimir Putin: Good afternoon.\n\n"
                "Question: What about prices?\n\nQuestion (retranslated): And gas?\n\n"
                "Remark: Yes.\n"
            )
        },
    )
    main(["build", str(seeds), "-o", str(tmp_path / "site")])
    assert set(rows(tmp_path / "site")) == {"Vladimir Putin"}


def test_putin_is_one_speaker_across_the_kremlin_corpus() -> None:
    corpus = require_kremlin()
    documents, _ = read_seeds(corpus)
    site = link(documents)
    putins = [s for s in site.speakers if s.name.endswith("Putin") and "V" in s.name[:1]]
    main_putin = max(putins, key=lambda s: s.paragraphs)
    assert main_putin.name == "Vladimir Putin"
    assert main_putin.paragraphs > 20_000
    # only misspellings of his first name stay apart (the registry can join them)
    assert {s.name for s in putins} - {"Vladimir Putin"} <= {"Vladmir Putin", "Vlaidmir Putin"}
    assert {"Question", "Remark", "Q"}.isdisjoint(s.name for s in site.speakers)


def test_mentions_are_kept_under_what_each_document_was_read_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = write_seeds(
        tmp_path,
        {
            f"{name}.txt": f"Meeting {name}\n\n2 March 2021\n\nVladimir Putin: Hello.\n\n"
            f"Sergei Shoigu: Vladimir Putin spoke of {name}.\n"
            for name in ("a", "b", "c")
        },
    )
    documents, _ = read_seeds(seeds)
    scanned: list[list[str]] = []
    scan = MentionFinder.scan

    def counted(self: MentionFinder, texts: list[str]) -> Scan:
        scanned.append(texts)
        return scan(self, texts)

    monkeypatch.setattr(MentionFinder, "scan", counted)
    memo = LinkMemo()
    keys = {"a.txt": "1", "b.txt": "1", "c.txt": "1"}
    first = link(documents, None, memo, keys)
    assert len(scanned) == 3
    again = link(documents, None, memo, {**keys, "b.txt": "2"})
    assert len(scanned) == 4 and "Vladimir Putin spoke of b." in scanned[-1]
    assert again == first == link(documents)
    mentioned = next(s for s in first.speakers if s.name == "Vladimir Putin").mentioned_in
    assert len(mentioned) == 3


def test_keying_a_speakers_page_leaves_the_paragraphs_texts_as_they_were() -> None:
    """Pickling a string that is not ASCII makes CPython keep its UTF-8 form inside it; the
    views of a speaker's page are keyed by a pickle, and must not do that to paragraphs
    that live for the whole build."""
    text = "".join(["The minister’s report, ", "in full. " * 20])
    paragraph = Paragraph(n=1, text=text, line=3, turn=0, id="abc")
    document = Document("a.txt", "Title", None, None, (paragraph,))
    said = Utterances(DocumentPage(document, "a/"), (paragraph,))
    size = sys.getsizeof(text)
    view = views.utterances(said)
    views.key(view)
    assert view["paragraphs"][0]["text"] == text and sys.getsizeof(text) == size
