"""The built site in a real browser (Chromium, driven by Playwright), served over HTTP."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin
from urllib.request import urlopen

import pytest

from generator.build import build
from tests.conftest import SEED
from tests.test_site import SEED_PAGE

PAGE_TYPES = [
    "index.html", "2020/index.html", f"{SEED_PAGE}index.html",
    "speakers/index.html", "speakers/ilham-aliyev/index.html", "timeline/index.html",
    "timeline/2020/index.html", "search/index.html", "p/index.html", "about/index.html",
    "404.html",
]  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / SEED.name).write_bytes(SEED.read_bytes())
    (seeds / "about.md").write_text("# About\n\nAn archive.\n\n```python\nx = 1\n```\n", "utf-8")
    out = root / "site"
    build(seeds, out, base_url="http://127.0.0.1/repo/")
    return out


def _errors(tab) -> list[str]:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_search_finds_a_phrase_and_opens_its_paragraph(browser, serve, site: Path) -> None:  # type: ignore[no-untyped-def]
    base = serve(site)
    tab = browser.new_page()
    errors = _errors(tab)
    tab.goto(f"{base}search/index.html")
    tab.fill("#q", "ballistic missile attacks")
    tab.click("button[type=submit]")
    tab.wait_for_selector("#results li a")
    assert tab.locator("#status").inner_text() == "1 paragraphs found"
    tab.locator("#results li a").first.click()
    tab.wait_for_url(re.compile(r"#p-"))
    anchor = tab.url.split("#")[1]
    assert "ballistic missile attacks" in tab.locator(f"#{anchor}").inner_text()
    tab.goto(f"{base}search/index.html?q=welcome&speaker=Sergei+Shoigu")
    tab.wait_for_selector("#status:has-text('found')")
    assert tab.locator("#status").inner_text() == "0 paragraphs found"
    assert errors == []
    tab.close()


def test_search_spans_every_part_of_the_index(browser, serve, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / SEED.name).write_bytes(SEED.read_bytes())  # 2020, the part the page loads first
    for year, speaker in ((2017, "Boris Orlov"), (2018, "Anna Petrova"), (2019, "Anna Petrova")):
        (seeds / f"y{year}.txt").write_text(
            f"Meeting of {year}\n\n3 march {year}\n\n{speaker}: The zephyr of {year} came.\n",
            encoding="utf-8",
        )
    site = tmp_path / "site"
    build(seeds, site)
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == ["2017", "2018", "2019", "2020"]
    base = serve(site)
    tab = browser.new_page()
    errors = _errors(tab)

    def found(query: str) -> tuple[str, list[str]]:
        tab.goto(f"{base}search/index.html?{query}")
        tab.wait_for_selector("#status:has-text('found')")
        links = tab.locator("#results li a")
        return tab.locator("#status").inner_text(), [
            links.nth(n).get_attribute("href") or "" for n in range(links.count())
        ]

    status, links = found("q=zephyr")
    assert status == "3 paragraphs found"
    assert sorted(link.split("/")[1] for link in links) == ["2017", "2018", "2019"]
    assert found("q=zephyr&year=2018")[0] == "1 paragraphs found"
    status, links = found("q=zephyr&speaker=Anna+Petrova")
    assert status == "2 paragraphs found"
    assert sorted(link.split("/")[1] for link in links) == ["2018", "2019"]
    assert found("q=ballistic+missile+attacks")[0] == "1 paragraphs found"
    assert errors == []
    tab.close()


def test_copy_link_puts_the_permalink_on_the_clipboard(browser, serve, site: Path) -> None:  # type: ignore[no-untyped-def]
    base = serve(site)
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto(f"{base}{SEED_PAGE}index.html")
    link = tab.locator("a.copy").nth(4)
    expected = link.get_attribute("data-copy")
    link.click()
    assert tab.evaluate("navigator.clipboard.readText()") == expected
    assert expected.startswith(f"http://127.0.0.1/repo/{SEED_PAGE}#p-")
    assert tab.locator("a.copy").nth(4).inner_text() == "link copied"
    paragraph = tab.locator(".para").nth(4)
    paragraph.locator("summary").click()
    paragraph.locator("button.copy-text").nth(2).click()  # MLA
    mla = paragraph.locator(".cite-text").nth(2).inner_text()
    assert tab.evaluate("navigator.clipboard.readText()") == mla
    assert "para. 5" in mla
    context.close()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def test_served_under_a_project_path_no_link_or_anchor_is_broken(
    browser, serve, site: Path
) -> None:  # type: ignore[no-untyped-def]
    base = serve(site, "repo")
    seen: dict[str, set[str]] = {}
    queue = [f"{base}index.html"]
    broken = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        with urlopen(url) as response:
            parser = _Links()
            parser.feed(response.read().decode("utf-8"))
        seen[url] = parser.ids
        for link in parser.links:
            target, _ = urldefrag(urljoin(url, link))
            if not target.startswith(base) or link.startswith("data:"):
                continue
            if target.endswith(".html") and target not in seen:
                queue.append(target)
            else:
                try:
                    urlopen(target).close()
                except OSError:
                    broken.append(f"{url} -> {link}")
    for url in list(seen):
        parser = _Links()
        with urlopen(url) as response:
            parser.feed(response.read().decode("utf-8"))
        for link in parser.links:
            target, fragment = urldefrag(urljoin(url, link))
            fragment = fragment.split(":~:")[0]
            if fragment and target in seen and fragment not in seen[target]:
                broken.append(f"{url} -> {link} (no anchor)")
    assert broken == []
    crawled = {url.removeprefix(base) for url in seen}
    assert set(PAGE_TYPES) - {"p/index.html", "404.html"} <= crawled
    tab = browser.new_page()
    errors = _errors(tab)
    for page in PAGE_TYPES[:-1]:
        tab.goto(base + page)
    assert errors == []
    tab.close()


def test_phone_layout_has_no_horizontal_scroll(browser, serve, site: Path) -> None:  # type: ignore[no-untyped-def]
    base = serve(site)
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    tab = context.new_page()
    for page in PAGE_TYPES:
        tab.goto(base + page)
        wide = tab.evaluate("document.documentElement.scrollWidth")
        assert wide <= 360, page
    context.close()


def test_every_page_works_without_javascript(browser, serve, site: Path) -> None:  # type: ignore[no-untyped-def]
    base = serve(site)
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{base}{SEED_PAGE}index.html")
    assert tab.locator(".para").count() == 14
    tab.goto(f"{base}search/index.html")
    assert "needs JavaScript" in tab.locator("main").inner_text()
    tab.goto(f"{base}speakers/index.html")
    assert tab.locator("tbody tr").count() == 2
    assert tab.locator(".cite-text").count() == 0  # not on the speakers page
    tab.goto(f"{base}{SEED_PAGE}index.html")
    tab.locator("summary").nth(1).click()  # a <details> opens without script
    assert tab.locator(".para").nth(1).locator(".cite-text").first.is_visible()
    assert tab.locator("button.copy-text").first.is_hidden()
    context.close()


def test_404_works_at_any_depth(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import functools
    import http.server
    import threading

    served = tmp_path / "served"
    site = served / "repo"

    class GitHubPages(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            if code != 404:
                super().send_error(code, message, explain)
                return
            body = (site / "404.html").read_bytes()  # as GitHub Pages does for any missing path
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(GitHubPages, directory=str(served))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/repo/"
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / SEED.name).write_bytes(SEED.read_bytes())
    build(seeds, site, base_url=base, search=False)
    tab = browser.new_page()
    try:
        for missing in ("nothing-here", "a/b/c/d/e/missing.html"):
            tab.goto(base + missing)
            assert tab.locator("h1").inner_text() == "Not found"
            font = tab.evaluate("getComputedStyle(document.body).fontFamily")
            assert "Georgia" in font  # the stylesheet loaded at this depth
            tab.click("text=list of transcripts")
            tab.wait_for_load_state()
            assert tab.locator("h1").inner_text() == "Transcripts"
    finally:
        tab.close()
        server.shutdown()
