"""Whole builds of small sites, checked by parsing the HTML they produce."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.check import broken_links
from generator.cli import main
from tests.conftest import SEED, write_seeds
from tests.htmlcheck import document_pages, parse, text_of

SEED_PAGE = (
    "2020/11/21/ilham-aliyev-has-received-a-delegation-led-by-the-minister-of-defense-of-the/"
)


def build(seeds: Path, out: Path, *extra: str) -> int:
    return main(["build", str(seeds), "-o", str(out), *extra])


def paragraphs_of(page_path: Path) -> list[str]:
    page = parse(page_path)
    return [
        attrs["id"] or ""
        for tag, attrs in page.elements
        if tag == "div" and attrs.get("class") == "para"
    ]


def test_seed_page_has_every_paragraph_once_with_a_unique_anchor(
    seeds: Path, tmp_path: Path
) -> None:
    assert build(seeds, tmp_path / "site") == 0
    page_file = tmp_path / "site" / SEED_PAGE / "index.html"
    anchors = paragraphs_of(page_file)
    assert len(anchors) == 14 and len(set(anchors)) == 14
    assert all(a.startswith("p-") for a in anchors)
    page = parse(page_file)
    for anchor in anchors:  # each paragraph links to itself
        assert f"#{anchor}" in page.links
    text = text_of(page)
    source = SEED.read_text(encoding="utf-8")
    blocks = [" ".join(b.split()) for b in source.split("\n\n") if b.strip()]
    for block in blocks[2:]:
        body = block.removeprefix("- ").replace("Russian Defense Minister Sergei Shoigu said: ", "")
        if body == "President Ilham Aliyev said:":
            continue
        assert text.count(body) == 1, body[:60]
    assert "¶ 14" in text and "¶ 15" not in text
    assert "President Ilham Aliyev" in text and "Russian Defense Minister Sergei Shoigu" in text
    assert "21 November 2020, 16:00" in text


def test_home_lists_documents_newest_first(seeds: Path, tmp_path: Path) -> None:
    (seeds / "older.txt").write_text(
        "An older meeting\n\n2 January 2019\n\nText.\n", encoding="utf-8"
    )
    assert build(seeds, tmp_path / "site") == 0
    links = [link for link in parse(tmp_path / "site" / "index.html").links if link[:2].isdigit()]
    assert links == [
        SEED_PAGE + "index.html",
        "2019/01/02/an-older-meeting/index.html",
        "2020/index.html",  # the year archives
        "2019/index.html",
    ]


def test_no_broken_internal_link_or_anchor(seeds: Path, tmp_path: Path) -> None:
    (seeds / "older.txt").write_text(
        "An older meeting\n\n2 January 2019\n\nText.\n", encoding="utf-8"
    )
    (seeds / "undated.md").write_text(
        "---\ntitle: Undated\n---\n\n[a link](https://example.org/) text\n", encoding="utf-8"
    )
    build(seeds, tmp_path / "site")
    assert broken_links(tmp_path / "site") == []
    assert len(document_pages(tmp_path / "site")) == 3


def test_markup_in_a_transcript_is_escaped(tmp_path: Path) -> None:
    seeds = write_seeds(
        tmp_path,
        {
            "x.txt": (
                '<b>Title</b> & "quotes"\n\n2 January 2019\n\n'
                "<script>alert(1)</script> said: a < b & c \"d\" 'e' <img src=x onerror=alert(1)>\n"
            )
        },
    )
    assert build(seeds, tmp_path / "site") == 0
    html = document_pages(tmp_path / "site")[0].read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Title" not in html
    assert "&lt;b&gt;Title&lt;/b&gt; &amp; &#34;quotes&#34;" in html
    assert "a &lt; b &amp; c &#34;d&#34; &#39;e&#39; &lt;img src=x onerror=alert(1)&gt;" in html


def test_unreadable_file_is_reported_and_the_rest_builds(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (seeds / "bad.txt").write_bytes(b"Title\n\n2020-01-01\n\nfine\n\ncaf\xe9\n")
    assert build(seeds, tmp_path / "site") == 1
    captured = capsys.readouterr()
    assert "bad.txt:7: error: not UTF-8" in captured.err
    assert captured.out.startswith("1 documents, 14 paragraphs, 0 warnings, 1 errors")
    assert (tmp_path / "site" / SEED_PAGE / "index.html").is_file()


def test_strict_fails_on_warnings(seeds: Path, tmp_path: Path) -> None:
    (seeds / "nodate.txt").write_text("No date here\n\nText.\n", encoding="utf-8")
    assert build(seeds, tmp_path / "site") == 0
    assert build(seeds, tmp_path / "site", "--strict") == 3


def test_refuses_a_folder_podium_did_not_write(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious", encoding="utf-8")
    assert build(seeds, out) == 2
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]


def test_rebuild_replaces_its_own_site_and_leaves_no_temporary_folder(
    seeds: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    assert build(seeds, out) == 0
    (seeds / SEED.name).rename(seeds / "renamed.txt")
    shutil.copy(seeds / "renamed.txt", seeds / "copy.txt")
    assert build(seeds, out) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds", "site"]
    assert len(document_pages(out)) == 2


def test_python_dash_m_and_console_script(seeds: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(seeds), "-o", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("1 documents, 14 paragraphs, 0 warnings, 0 errors")


def test_a_build_of_plain_text_loads_no_markdown_and_no_web_server(
    seeds: Path, tmp_path: Path
) -> None:
    """Python-Markdown, PyYAML, the HTTP server and TLS are a third of what a build takes to
    start; a build of ``.txt`` transcripts with no about page needs none of them, and a
    rebuild does not make the highlighting styles again."""
    unneeded = ["markdown", "yaml", "http.server", "ssl", "urllib.request", "ctypes.util",
                "pygments.formatters"]  # fmt: skip
    script = (
        "import sys; from generator.cli import main; "
        f"code = main(['build', {str(seeds)!r}, '-o', {str(tmp_path / 'site')!r}, '--no-search']); "
        f"print(code, sorted(set({unneeded!r}) & set(sys.modules)))"
    )

    def loaded() -> str:
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True)  # fmt: skip
        return run.stdout.split("\n")[-2]

    assert loaded() == "0 ['pygments.formatters']"
    css = (tmp_path / "site" / "static" / "pygments.css").read_text(encoding="utf-8")
    source = seeds / SEED.name
    source.write_text(
        source.read_text(encoding="utf-8").replace("Dear Mr. Minister.", "Dear Minister."), "utf-8"
    )
    assert loaded() == "0 []"
    assert (tmp_path / "site" / "static" / "pygments.css").read_text(encoding="utf-8") == css
    assert ".codehilite" in css
    (seeds / "about.md").write_text("# About\n\n```python\nprint(1)\n```\n", encoding="utf-8")
    (seeds / "b.md").write_text("---\ntitle: B\ndate: 2021-03-02\n---\n\nHello.\n", "utf-8")
    assert loaded() == "0 ['markdown', 'pygments.formatters', 'yaml']"  # once they are needed
