"""Publishing: configuration, host files, feeds, open data, listings, about page, search index."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator import publish, search
from generator.build import build
from generator.check import broken_links
from generator.cli import main
from generator.config import load_config
from generator.progress import TerminalProgress
from tests.conftest import ROOT
from tests.htmlcheck import parse
from tests.test_site import SEED_PAGE

ATOM = "{http://www.w3.org/2005/Atom}"


def many(seeds: Path, count: int) -> None:
    """Add ``count`` small transcripts in 2019, from 1 January on."""
    for n in range(count):
        date = f"2019-{1 + (n // 28) % 12:02d}-{1 + n % 28:02d}"
        (seeds / f"m{n:03d}.txt").write_text(
            f"Meeting number {n}\n\n{date}\n\nVladimir Putin: Good afternoon, meeting {n}.\n",
            encoding="utf-8",
        )


def test_config_errors_name_their_key(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text('title = ""\nbase_url = "ftp://x"\nlanguage = "english!"\ncolour = "red"\n',
                    encoding="utf-8")  # fmt: skip
    config, problems = load_config(path)
    messages = sorted(p.message.split(":")[0] for p in problems)
    assert messages == ["'base_url'", "'language'", "'title'", "unknown key 'colour' (known"]
    assert (config.title, config.base_url, config.language) == ("Podium", "", "en")
    config, problems = load_config(tmp_path / "absent.toml", "https://example.org/repo")
    assert problems == [] and config.base_url == "https://example.org/repo/"


def test_host_files_use_the_base_url(seeds: Path, tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text('cname = "transcripts.example.org"\n', encoding="utf-8")
    site = tmp_path / "site"
    build(seeds, site, base_url="https://user.github.io/repo", search=False)
    assert (site / ".nojekyll").is_file()
    assert (site / "CNAME").read_text(encoding="utf-8") == "transcripts.example.org\n"
    assert "Sitemap: https://user.github.io/repo/sitemap.xml" in (site / "robots.txt").read_text(
        encoding="utf-8"
    )
    urls = [e.text for e in ET.parse(site / "sitemap.xml").getroot().iter()
            if e.tag.endswith("loc")]  # fmt: skip
    assert f"https://user.github.io/repo/{SEED_PAGE}" in urls
    assert all(u.startswith("https://user.github.io/repo/") for u in urls)
    assert not any("/p/" in u or "/search/" in u for u in urls)
    page404 = parse(site / "404.html")
    assert "https://user.github.io/repo/index.html" in page404.links  # works at any depth


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _locs(path: Path, root: str, entry: str) -> list[str]:
    tree = ET.parse(path).getroot()
    assert tree.tag == f"{SITEMAP}{root}"
    assert all(child.tag == f"{SITEMAP}{entry}" for child in tree)
    return [child.findtext(f"{SITEMAP}loc") or "" for child in tree]


def test_a_site_past_the_sitemap_limit_gets_a_sitemap_index(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many(seeds, 12)
    base = "https://user.github.io/repo/"
    build(seeds, tmp_path / "one", base_url=base, search=False)
    pages = _locs(tmp_path / "one" / "sitemap.xml", "urlset", "url")
    assert not list((tmp_path / "one").glob("sitemap-*.xml"))
    monkeypatch.setattr(publish, "SITEMAP_SIZE", 10)  # the protocol's 50,000, made small
    site = tmp_path / "split"
    build(seeds, site, base_url=base, search=False)
    parts = _locs(site / "sitemap.xml", "sitemapindex", "sitemap")
    assert parts == [f"{base}sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    assert len(parts) == -(-len(pages) // 10) >= 3
    listed = [_locs(site / part.removeprefix(base), "urlset", "url") for part in parts]
    assert [len(urls) for urls in listed[:-1]] == [10] * (len(parts) - 1)
    assert [url for urls in listed for url in urls] == pages  # each once, in order
    assert f"Sitemap: {base}sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    monkeypatch.undo()
    build(seeds, site, base_url=base, search=False, incremental=False)  # no parts left over
    assert _locs(site / "sitemap.xml", "urlset", "url") == pages
    assert not list(site.glob("sitemap-*.xml"))


def test_atom_feeds(seeds: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(seeds, site, base_url="https://example.org/", search=False)
    for feed in (site / "feed.xml", site / "speakers" / "ilham-aliyev" / "feed.xml"):
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed"
        for element in ("id", "title", "updated", "author"):
            assert root.find(f"{ATOM}{element}") is not None, element
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) == 1
        for element in ("id", "title", "updated", "link"):
            assert entries[0].find(f"{ATOM}{element}") is not None, element
        assert entries[0].find(f"{ATOM}link").get("href") == f"https://example.org/{SEED_PAGE}"
        assert entries[0].find(f"{ATOM}updated").text == "2020-11-21T16:00:00Z"


def test_open_data(seeds: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(seeds, site, search=False)
    document = json.loads((site / "data" / f"{SEED_PAGE.rstrip('/')}.json").read_text("utf-8"))
    assert document["date"] == "2020-11-21" and len(document["paragraphs"]) == 14
    assert document["turns"][0]["speaker"] == "Ilham Aliyev"
    assert any(e["value"] == "2020-11-20" for p in document["paragraphs"] for e in p["events"])
    speakers = json.loads((site / "data" / "speakers.json").read_text("utf-8"))
    assert [p["name"] for p in speakers["persons"]] == ["Ilham Aliyev", "Sergei Shoigu"]
    roles = {(m["person_id"], m["role"]) for m in speakers["memberships"]}
    assert ("ilham-aliyev", "President") in roles
    assert ("sergei-shoigu", "Russian Defense Minister") in roles


def test_home_is_paginated_with_year_archives(seeds: Path, tmp_path: Path) -> None:
    many(seeds, 120)
    site = tmp_path / "site"
    build(seeds, site, search=False)
    links = parse(site / "index.html").links
    first = [link for link in links if link[:2].isdigit() and link.count("/") > 3]
    assert len(first) == 50 and first[0] == f"{SEED_PAGE}index.html"
    assert (site / "page" / "3" / "index.html").is_file()
    assert not (site / "page" / "4").exists()
    links = parse(site / "page" / "3" / "index.html").links
    third = [link for link in links if "2019/" in link and link.count("/") > 5]
    assert len(third) == 21
    year: list[str] = []  # the year's archive is paginated too, and lists every document once
    for here in ("2019/", "2019/page/2/", "2019/page/3/"):
        links = parse(site / here / "index.html").links
        up = "../" * here.count("/")
        year += [link for link in links if link.startswith(f"{up}2019/0")]
    assert len(year) == len(set(year)) == 120
    assert not (site / "2019" / "page" / "4").exists()
    assert broken_links(site) == []


def test_no_listing_grows_past_its_page_size(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n in range(130):  # 130 documents by one speaker, 520 events in 2019
        (seeds / f"m{n:03d}.txt").write_text(
            f"Meeting number {n}\n\n2019-06-{1 + n % 28:02d}\n\nVladimir Putin: We met on "
            f"{1 + n % 28} March 2019, on {1 + n % 27} April 2019 and on 5 May 2019.\n",
            encoding="utf-8",
        )
    site = tmp_path / "site"
    build(seeds, site, search=False)
    speaker = site / "speakers" / "vladimir-putin"
    pages = sorted(speaker.rglob("index.html"))
    assert len(pages) == 3  # 50 documents a page
    said = [link.lstrip("./") for p in pages for link in parse(p).links
            if "/meeting-number-" in link and link.endswith("/index.html")]  # fmt: skip
    assert len(said) == len(set(said)) == 130
    timeline = sorted((site / "timeline" / "2019").rglob("index.html"))
    assert len(timeline) == 2  # 300 events a page
    events = [i for p in timeline for i in parse(p).ids if i.startswith(("t-", "d-"))]
    assert len(events) == len(set(events)) == 520
    assert broken_links(site) == []  # every expression links to the page that shows it


def test_about_page_with_highlighted_code(seeds: Path, tmp_path: Path) -> None:
    (seeds / "about.md").write_text(
        "# About\n\nThis archive.\n\n```python\nprint('hi')\n```\n\n<script>alert(1)</script>\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    assert main(["build", str(seeds), "-o", str(site), "--no-search"]) == 0
    html = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'class="codehilite"' in html and "<script>alert" not in html
    assert ".codehilite" in (site / "static" / "pygments.css").read_text(encoding="utf-8")
    assert not (site / "pagefind").exists()  # --no-search


def test_the_search_index_comes_in_parts_a_year_and_a_large_year_in_runs(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many(seeds, 6)  # 2019, six of one paragraph; the seed is 2020, of 14
    (seeds / "undated.txt").write_text("No date\n\nJohn Smith: Hello.\n", encoding="utf-8")
    monkeypatch.setattr(search, "PART_SIZE", 4)  # paragraphs; one document of 14 is a part alone
    site = tmp_path / "site"
    build(seeds, site)
    names = ["2020", "2019", "2019-2", "undated"]
    boxes = [attrs for tag, attrs in parse(site / "search" / "index.html").elements
             if tag == "div" and attrs.get("id") == "search"]  # fmt: skip
    assert [box.get("data-parts") for box in boxes] == [" ".join(names)]
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == sorted(names)
    for name in names:
        entry = json.loads((site / "pagefind" / name / "pagefind-entry.json").read_bytes())
        pages = sum(language["page_count"] for language in entry["languages"].values())
        assert pages == {"2020": 14, "2019": 4, "2019-2": 2, "undated": 1}[name], name


def test_css_and_js_stay_small(seeds: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(seeds, site, search=False)
    total = sum(p.stat().st_size for p in (site / "static").iterdir())
    assert total < 30 * 1024


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    class Tty:
        def __init__(self, tty: bool) -> None:
            self.tty, self.text = tty, ""

        def isatty(self) -> bool:
            return self.tty

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    for tty in (True, False):
        stream = Tty(tty)
        progress = TerminalProgress(stream)  # type: ignore[arg-type]
        for n in range(1, 4):
            progress("reading", n, 3)
        assert ("reading: 3/3" in stream.text) is tty and (stream.text == "") is not tty


def test_grouped_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in "abcd":
        (seeds / f"{name}.txt").write_text("No date\n\nText.\n", encoding="utf-8")
    main(["build", str(seeds), "-o", str(tmp_path / "site"), "--no-search"])
    err = capsys.readouterr().err
    assert (
        "4 warnings: no dateline after the title" in err
        and "(a.txt, b.txt, c.txt and 1 more)" in err
    )


def test_workflow_builds_with_the_readme_command() -> None:
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    build_command = readme.split("```sh\n")[1].split("\n```")[0]
    assert build_command in workflow
    for action in ("configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert f"actions/{action}@" in workflow
    assert "## Publish on GitHub Pages" in readme
