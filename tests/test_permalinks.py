"""Permalinks that never break: the ledger on a built site, redirects, short links, citations."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.permalinks import run
from generator.build import LedgerChanged, build
from generator.cache import Memo
from generator.check import broken_links
from generator.cli import main
from generator.ledger import fingerprint, spelled
from generator.model import Ledger, Row
from generator.permalinks import shortlink_shards
from tests.conftest import SEED, require_kremlin
from tests.htmlcheck import parse, texts_by_class
from tests.test_site import SEED_PAGE


def test_two_hundred_revised_kremlin_transcripts_keep_every_link(tmp_path: Path) -> None:
    require_kremlin()
    report = run(tmp_path, 200)
    assert report.revisions["edited paragraphs"] > 50 and report.revisions["retitled"] >= 1
    assert report.broken == []
    assert report.landed_same + report.landed_successor == report.links > 3000
    assert report.landed_successor >= 1  # deleted paragraphs land on their successor
    assert report.untouched_changed == 0 and report.untouched > 3000
    assert report.edited_kept == report.edited > 50


def test_same_seeds_and_ledger_give_the_same_ledger_and_ids_anywhere(
    seeds: Path, tmp_path: Path
) -> None:
    build(seeds, tmp_path / "first")
    text = (seeds / SEED.name).read_text(encoding="utf-8")
    (seeds / SEED.name).write_text(
        text.replace("Dear members", "Dear esteemed members"), encoding="utf-8"
    )
    copies = []
    for name in ("one", "two"):
        copy = tmp_path / name / "seeds"
        shutil.copytree(seeds, copy)
        build(copy, tmp_path / name / "site")
        copies.append(copy)
    one, two = ((c / "anchors.json").read_bytes() for c in copies)
    assert one == two
    pages = [(c.parent / "site" / SEED_PAGE / "index.html").read_bytes() for c in copies]
    assert pages[0] == pages[1]


def test_frozen_fails_when_the_ledger_would_change(seeds: Path, tmp_path: Path) -> None:
    assert (
        main(["build", str(seeds), "-o", str(tmp_path / "site"), "--frozen"]) == 1
    )  # no ledger yet
    assert main(["build", str(seeds), "-o", str(tmp_path / "site")]) == 0
    assert main(["build", str(seeds), "-o", str(tmp_path / "site"), "--frozen"]) == 0
    ledger = (seeds / "anchors.json").read_bytes()
    text = (seeds / SEED.name).read_text(encoding="utf-8")
    (seeds / SEED.name).write_text(
        text.replace("Dear Mr. Minister.", "Dear Minister."), encoding="utf-8"
    )
    with pytest.raises(LedgerChanged):
        build(seeds, tmp_path / "site", frozen=True)
    assert (seeds / "anchors.json").read_bytes() == ledger


def test_removed_paragraph_leaves_a_note_linked_to_its_successor(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    build(seeds, site)
    removed = "Dear members of the delegation."
    page_before = (site / SEED_PAGE / "index.html").read_text(encoding="utf-8")
    old_id = re.search(r'id="(p-[a-z2-7]+)">\s*<a class="pn"[^>]*>¶&nbsp;3<', page_before).group(1)
    text = (seeds / SEED.name).read_text(encoding="utf-8")
    (seeds / SEED.name).write_text(text.replace(removed + "\n\n", ""), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(seeds, site)
    page = parse(site / SEED_PAGE / "index.html")
    assert old_id in page.ids
    notes = texts_by_class(site / SEED_PAGE / "index.html", "retired")
    assert notes == [
        (
            "retired",
            "¶ 3 of an earlier version was removed in the revision of 2023-11-14. Continue at ¶ 3.",
        )
    ]
    assert broken_links(site) == []


def test_the_ledger_keeps_a_retired_row_where_its_paragraph_was(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows stay in paragraph order, retired ones among them, through rebuilds that keep the
    document's rows as they were: a reviewer's diff of the ledger shows only what changed."""
    site = tmp_path / "site"
    build(seeds, site)
    text = (seeds / SEED.name).read_text(encoding="utf-8")
    (seeds / SEED.name).write_text(text.replace("Dear members of the delegation.\n\n", ""), "utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(seeds, site)
    ledger = (seeds / "anchors.json").read_bytes()
    seed = [r for r in json.loads(ledger)["paragraphs"] if r["document"] == SEED.name]
    rows = [(r["n"], r["id"], r["status"]) for r in seed]
    assert [n for n, _, status in rows if status == "removed"] == [3]
    assert rows == sorted(rows)
    (seeds / "another.txt").write_text("Another meeting\n\n2 March 2021\n\nHello.\n", "utf-8")
    build(seeds, site)
    after = json.loads((seeds / "anchors.json").read_bytes())["paragraphs"]
    assert [r for r in after if r["document"] == SEED.name] == seed


def test_retitled_document_leaves_a_redirect(seeds: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(seeds, site, base_url="https://example.org/repo")
    text = (seeds / SEED.name).read_text(encoding="utf-8")
    (seeds / SEED.name).write_text("A new title\n" + text.split("\n", 1)[1], encoding="utf-8")
    build(seeds, site, base_url="https://example.org/repo")
    old = (site / SEED_PAGE / "index.html").read_text(encoding="utf-8")
    assert (
        '<meta http-equiv="refresh" content="0; url=../../../../2020/11/21/a-new-title/index.html">'
        in old
    )
    assert '<link rel="canonical" href="https://example.org/repo/2020/11/21/a-new-title/">' in old
    assert (
        'location.replace("../../../../2020/11/21/a-new-title/index.html" + location.hash)' in old
    )
    assert '<a href="../../../../2020/11/21/a-new-title/index.html">' in old
    assert broken_links(site) == []
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/repo/2020/11/21/a-new-title/</loc>" in sitemap
    assert SEED_PAGE not in sitemap  # a redirect is not a page to index


def test_short_link_map_knows_every_id(seeds: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(seeds, site)
    ids = [
        a["id"][2:]
        for t, a in parse(site / SEED_PAGE / "index.html").elements
        if t == "div" and a.get("class", "").startswith("para")
    ]
    for identifier in ids:
        shard = (site / "p" / "map" / f"{identifier[:2]}.js").read_text(encoding="utf-8")
        data = json.loads(shard.removeprefix("podiumShard(").removesuffix(");\n"))
        assert data[identifier]["u"] == f"{SEED_PAGE}index.html#p-{identifier}"


def test_citations_in_five_styles_without_javascript(seeds: Path, tmp_path: Path) -> None:
    config = (
        'publisher = "President of the Republic of Azerbaijan"\nbase_url = "https://example.org/"\n'
    )
    (tmp_path / "site.toml").write_text(config, encoding="utf-8")
    site = tmp_path / "site"
    build(seeds, site)
    cite = site / SEED_PAGE / "index.html"
    blocks = [text for _, text in texts_by_class(cite, "cite-text")]
    assert len(blocks) == 14 * 5
    apa, chicago, mla, bibtex, csl = blocks[5:10]  # ¶ 2, Aliyev's first
    url = f"https://example.org/{SEED_PAGE}#p-"
    assert apa.startswith("Aliyev, Ilham. (2020, November 21). Ilham Aliyev has received")
    assert "[Transcript, para. 2]. President of the Republic of Azerbaijan. " + url in apa
    assert (
        chicago.startswith("Aliyev, Ilham. “Ilham Aliyev has received")
        and "November 21, 2020, para. 2" in chicago
    )
    assert "21 Nov. 2020, para. 2, " + url in mla
    assert bibtex.startswith("@misc{podium-") and "note = {Transcript, paragraph 2}" in bibtex
    item = json.loads(csl)
    assert item["type"] == "speech" and item["locator"] == "2" and item["URL"].startswith(url)
    assert item["issued"] == {"date-parts": [[2020, 11, 21]]}
    assert broken_links(site) == []


def test_document_metadata(seeds: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(seeds, site, base_url="https://example.org/repo/")
    page = parse(site / SEED_PAGE / "index.html")
    meta = {
        (a.get("name") or a.get("property")): a.get("content")
        for t, a in page.elements
        if t == "meta"
    }
    assert meta["citation_title"].startswith("Ilham Aliyev has received")
    assert meta["citation_publication_date"] == "2020/11/21"
    assert meta["og:url"] == f"https://example.org/repo/{SEED_PAGE}"
    assert meta["og:type"] == "article"
    authors = [
        a["content"] for t, a in page.elements if t == "meta" and a.get("name") == "citation_author"
    ]
    assert authors == ["Ilham Aliyev", "Sergei Shoigu"]
    canonical = [a["href"] for t, a in page.elements if t == "link" and a.get("rel") == "canonical"]
    assert canonical == [f"https://example.org/repo/{SEED_PAGE}"]
    html = (site / SEED_PAGE / "index.html").read_text(encoding="utf-8")
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data["@type"] == "Article" and data["datePublished"] == "2020-11-21"


def test_short_link_opens_the_paragraph_even_after_a_rename(
    browser, serve, seeds: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    build(seeds, site)
    page_html = (site / SEED_PAGE / "index.html").read_text(encoding="utf-8")
    identifier = re.search(r'id="p-([a-z2-7]+)">\s*<a class="pn"[^>]*>¶&nbsp;5<', page_html).group(
        1
    )
    text = (seeds / SEED.name).read_text(encoding="utf-8")
    renamed = "A renamed meeting\n" + text.split("\n", 1)[1].replace(
        "Last time I told", "Last time, I told"
    )
    (seeds / SEED.name).write_text(renamed, encoding="utf-8")
    build(seeds, site)
    base = serve(site)
    tab = browser.new_page()
    tab.goto(f"{base}p/#{identifier}")
    tab.wait_for_url(re.compile(r"a-renamed-meeting/index\.html#p-"))
    assert tab.url.endswith(f"2020/11/21/a-renamed-meeting/index.html#p-{identifier}")
    assert "Last time, I told" in tab.locator(f"#p-{identifier}").inner_text()
    old_page = f"{base}{SEED_PAGE}index.html#p-{identifier}"
    tab.goto(old_page)
    tab.wait_for_url(re.compile(r"a-renamed-meeting"))
    assert tab.url.endswith(f"#p-{identifier}")
    old_fingerprint = spelled(
        fingerprint(
            next(block for block in text.split("\n\n") if block.startswith("Last time I told"))
        )
    )
    tab.goto(f"{base}p/#{identifier}.{old_fingerprint}")
    tab.wait_for_selector("#shortlink blockquote")
    notice = tab.locator("#shortlink").inner_text()
    assert "has changed since this link was made" in notice and "Last time I told" in notice
    tab.close()


def test_a_short_link_shard_is_keyed_by_every_document_its_ids_lead_through() -> None:
    rows = (
        Row("aa1", "a.txt", 1, 0xF1, "A."),
        Row("bb1", "b.txt", 1, 0xF2, "B.", status="merged", successors=("cc1",)),
        Row("cc1", "c.txt", 1, 0xF3, "C."),
        Row("dd1", "d.txt", 1, 0xF4, "D.", status="removed", successors=("zz9",)),
    )
    ledger = Ledger(rows)

    def keys(versions: dict[str, str], paths: dict[str, str]) -> dict[str, str | None]:
        return {path: key for path, key, _ in shortlink_shards(ledger, paths, versions)[0]}

    versions = {"a.txt": "1", "b.txt": "1", "c.txt": "1", "d.txt": "1"}
    paths = {"a.txt": "a/", "b.txt": "b/", "c.txt": "c/"}
    before = keys(versions, paths)
    assert before["p/map/dd.js"] is None  # its trail leads to no row: always made

    def remade(after: dict[str, str | None]) -> set[str]:
        return {path for path, key in after.items() if key is None or key != before[path]}

    assert remade(keys({**versions, "c.txt": "2"}, paths)) == {
        "p/map/bb.js",  # bb1 lands on cc1
        "p/map/cc.js",
        "p/map/dd.js",
    }
    assert remade(keys(versions, {**paths, "a.txt": "elsewhere/"})) == {
        "p/map/aa.js",
        "p/map/dd.js",
    }
    made = {path: make() for path, _, make in shortlink_shards(ledger, paths, versions)[0]}
    assert '"u": "c/index.html#p-cc1"' in made["p/map/bb.js"]
    assert '"f": "000000f1"' in made["p/map/aa.js"]  # as the ledger spells it


def test_a_short_link_shard_is_looked_at_again_only_if_a_document_of_its_changed() -> None:
    """With the last build's memo, the keys are those made from scratch, step after step."""
    rows = [
        Row("aa1", "a.txt", 1, 0xF1, "A."),
        Row("ab1", "b.txt", 1, 0xF2, "B.", status="merged", successors=("cc1",)),
        Row("cc1", "c.txt", 1, 0xF3, "C."),
        Row("dd1", "d.txt", 1, 0xF4, "D."),
        Row("ee1", "e.txt", 1, 0xF5, "E.", status="removed", successors=("zz9",)),
    ]
    versions = {"a.txt": "1", "b.txt": "1", "c.txt": "1", "d.txt": "1", "e.txt": "1"}
    paths = {"a.txt": "a/", "b.txt": "b/", "c.txt": "c/", "d.txt": "d/"}

    def add_an_id() -> None:
        rows.append(Row("aa2", "d.txt", 2, 0xF6, "F."))  # beside a.txt's aa1
        versions["d.txt"] = "3"

    def remove_a_document() -> None:
        rows[:] = [row for row in rows if row.document != "d.txt"]
        del versions["d.txt"], paths["d.txt"]

    steps: list[tuple[str, Callable[[], object], set[str]]] = [  # and the shards made again
        ("nothing", lambda: None, {"ee"}),  # ee1's trail leads to no row: no key, always made
        ("c's version", lambda: versions.update({"c.txt": "2"}), {"ab", "cc", "ee"}),
        ("d's path", lambda: paths.update({"d.txt": "moved/"}), {"dd", "ee"}),
        ("an id added", add_an_id, {"aa", "dd", "ee"}),
        ("a document gone", remove_a_document, {"aa", "ee"}),
    ]

    def shards_after(last: Memo) -> tuple[dict[str, tuple[str | None, str]], Memo]:
        """The files of the map as made knowing ``last``, and what they were made from."""
        changed = last.changed({}, versions, paths)
        shards, made = shortlink_shards(ledger(), dict(paths), dict(versions), last.shortlinks,
                                        changed)  # fmt: skip
        files = {path: (key, make()) for path, key, make in shards}
        return files, Memo({}, dict(versions), dict(paths), made)

    def ledger() -> Ledger:
        return Ledger(tuple(rows))

    _, memo = shards_after(Memo())
    assert len(memo.shortlinks) == 5
    for step, change, made_again in steps:
        change()
        fresh, _ = shortlink_shards(ledger(), dict(paths), dict(versions))
        expected = {path: (key, make()) for path, key, make in fresh}
        files, made = shards_after(memo)
        assert files == expected, step
        again = {name for name, shard in made.shortlinks.items()
                 if shard is not memo.shortlinks.get(name)}  # fmt: skip
        assert again == made_again, step
        memo = made
    assert set(memo.shortlinks) == {"aa", "ab", "cc", "ee"}
