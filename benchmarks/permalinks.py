"""Permalinks under revision, measured on real transcripts.

Run: ``.venv/bin/python -m benchmarks.permalinks [N]`` (default 200 Kremlin transcripts).

Builds N transcripts and records every paragraph link, then revises the
seeds as publishers do: a typo or punctuation fix in 5% of paragraphs,
paragraphs inserted into 5% of documents, deleted from 2%, two paragraphs
swapped in 1%, 1% retitled. Rebuilds with the ledger, and follows every old
link as a browser would (redirect pages included) to see where it lands.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
KREMLIN = ROOT.parent / "shared" / "corpus" / "kremlin"


class _Page(HTMLParser):
    """The paragraph ids, retired-note ids and redirect target of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.notes: dict[str, str] = {}  # retired id -> the paragraph it leads to
        self.redirect: str | None = None
        self._note: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and "para" in (a.get("class") or "").split() and a.get("id"):
            self.paragraphs.append((a["id"] or "")[2:])
        elif tag == "p" and a.get("class") == "retired":
            self._note = (a.get("id") or "")[2:]
        elif tag == "a" and self._note and (a.get("href") or "").startswith("#p-"):
            self.notes[self._note] = (a.get("href") or "")[3:]
            self._note = None
        elif tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.redirect = (a.get("content") or "").split("url=", 1)[1]


def read_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def paragraph_links(site: Path) -> dict[tuple[str, str], str]:
    """(page path, paragraph id) -> the page's own path, for every paragraph of the site."""
    links = {}
    for path in site.rglob("index.html"):
        relative = path.relative_to(site).as_posix()
        if re.match(r"\d{4}/\d\d/\d\d/[^/]+/index\.html$", relative):
            for identifier in read_page(path).paragraphs:
                links[(relative, identifier)] = relative
    return links


@dataclass
class Report:
    links: int = 0
    landed_same: int = 0
    landed_successor: int = 0
    broken: list[str] = field(default_factory=list)
    untouched: int = 0
    untouched_changed: int = 0
    edited: int = 0
    edited_kept: int = 0
    revisions: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        landed = self.landed_same + self.landed_successor
        return [
            f"revisions: {self.revisions}",
            f"old paragraph links: {self.links}; landed {landed} "
            f"({100 * landed / self.links:.2f}%):"
            f" {self.landed_same} on the same paragraph, {self.landed_successor} on a successor"
            f" with a note; broken {len(self.broken)}",
            f"untouched paragraphs whose id changed: {self.untouched_changed} of {self.untouched}",
            f"edited paragraphs that kept their id: {self.edited_kept} of {self.edited}",
        ]


def _follow(site: Path, page: str, identifier: str) -> tuple[str, bool] | None:
    """Where a link lands: 'same' or 'successor', following redirect pages; None if broken."""
    path = site / page
    for _ in range(5):
        if not path.is_file():
            return None
        parsed = read_page(path)
        if parsed.redirect is None:
            break
        path = (path.parent / parsed.redirect).resolve()
    if identifier in parsed.paragraphs:
        return "same", True
    if identifier in parsed.notes and parsed.notes[identifier] in parsed.paragraphs:
        return "successor", True
    return None


def _split(text: str) -> tuple[list[str], list[str]]:
    blocks = text.split("\n\n")
    return blocks[:2], blocks[2:]


def revise(seeds: Path, rng: random.Random) -> tuple[dict[str, int], dict[str, dict[str, str]]]:
    """Revise the seeds in place; return counts and, per file, each edit's new text -> old text."""
    files = sorted(seeds.glob("*.txt"))
    counts = {
        "edited paragraphs": 0,
        "inserted into": 0,
        "deleted from": 0,
        "swapped in": 0,
        "retitled": 0,
    }
    edited: dict[str, dict[str, str]] = {}
    plan = {
        name: rng.sample(files, max(1, round(len(files) * share)))
        for name, share in (("insert", 0.05), ("delete", 0.02), ("swap", 0.01), ("retitle", 0.01))
    }
    for path in files:
        head, body = _split(path.read_text(encoding="utf-8"))
        changed: dict[str, str] = {}
        for index, block in enumerate(body):
            if rng.random() < 0.05 and len(block) > 40 and ":" not in block[:60]:
                words = block.split(" ")
                at = rng.randrange(1, len(words))
                if rng.random() < 0.5:
                    words[at] = words[at] + ","  # punctuation
                else:
                    w = words[at]
                    words[at] = w[:-1] if len(w) > 3 else w + "s"  # a typo
                changed[" ".join(words)] = block
                body[index] = " ".join(words)
                counts["edited paragraphs"] += 1
        if path in plan["insert"]:
            body.insert(
                rng.randrange(len(body) + 1), f"An inserted paragraph number {rng.random()}."
            )
            counts["inserted into"] += 1
        if path in plan["delete"] and len(body) > 2:
            del body[rng.randrange(1, len(body))]
            counts["deleted from"] += 1
        if path in plan["swap"] and len(body) > 2:
            i = rng.randrange(len(body) - 1)
            body[i], body[i + 1] = body[i + 1], body[i]
            counts["swapped in"] += 1
        if path in plan["retitle"]:
            head[0] = head[0] + " (updated)"
            counts["retitled"] += 1
        edited[path.name] = changed
        path.write_text("\n\n".join(head + body), encoding="utf-8")
    return counts, edited


def run(work: Path, count: int = 200, seed: int = 7) -> Report:
    seeds = work / "seeds"
    seeds.mkdir(parents=True)
    names = sorted(p.name for p in KREMLIN.glob("kremlin_*.txt"))
    for name in random.Random(seed).sample(names, count):
        shutil.copy(KREMLIN / name, seeds / name)
    site = work / "site"
    first = build(seeds, site)
    before = {d.source: d for d in first.documents}
    old_links = paragraph_links(site)
    counts, edited = revise(seeds, random.Random(seed))
    second = build(seeds, site)
    report = Report(links=len(old_links), revisions=counts)
    for page, identifier in sorted(old_links):
        landed = _follow(site, page, identifier)
        if landed is None:
            report.broken.append(f"{page}#p-{identifier}")
        elif landed[0] == "same":
            report.landed_same += 1
        else:
            report.landed_successor += 1
    for document in second.documents:
        old_ids = _occurrences((p.text, p.id) for p in before[document.source].paragraphs)
        new_ids = _occurrences((p.text, p.id) for p in document.paragraphs)
        changes = edited.get(document.source, {})
        for key, identifier in new_ids.items():
            if key in old_ids:
                report.untouched += 1
                report.untouched_changed += old_ids[key] != identifier
            elif key[0] in changes:
                report.edited += 1
                was = {i for (text, _), i in old_ids.items() if text == changes[key[0]]}
                report.edited_kept += identifier in was
    return report


def _occurrences(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, int], str]:
    """(text, how many times it came before) -> id: repeated texts ("Thank you.") told apart."""
    seen: dict[str, int] = {}
    result = {}
    for text, identifier in pairs:
        seen[text] = seen.get(text, 0) + 1
        result[(text, seen[text])] = identifier
    return result


def main() -> int:
    if not KREMLIN.is_dir():
        print("../shared/corpus/kremlin is absent")
        return 1
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as work:
        print("\n".join(run(Path(work), count).lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
