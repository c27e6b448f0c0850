"""XSS: the OWASP filter-evasion payloads in every input field; none may become markup or run."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build
from tests.htmlcheck import document_pages

PAYLOADS = [
    line for line in (Path(__file__).parent / "xss_payloads.txt").read_text("utf-8").splitlines()
    if line.strip()
]  # fmt: skip
OUR_SCRIPTS = {"static/podium.js", "static/search.js"}
FORBIDDEN = {"iframe", "object", "embed", "svg", "img", "math", "base", "style", "mglyph"}
ONCE = {"html", "head", "body", "title"}  # ours: one each, never one more from a payload


def _toml(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("xss")
    seeds = root / "seeds"
    seeds.mkdir()
    for n, payload in enumerate(PAYLOADS):
        (seeds / f"t{n:02d}.txt").write_text(
            f"{payload} title\n\n{1 + n % 28} March 2021\n\nLead {payload} text.\n\n"
            f"President {payload} said: {payload}\n\nVladimir Putin: {payload}\n\n"
            f"Mr. X{n} (Togo): yes {payload}\n",
            encoding="utf-8",
        )
        (seeds / f"m{n:02d}.md").write_text(
            f"---\ntitle: {json.dumps(payload)}\ndate: 2021-04-{1 + n % 28:02d}\n"
            f"source: {json.dumps(payload)}\ntags: [{json.dumps(payload)}]\n---\n\n"
            f"{payload}\n\n**{payload}:** {payload}\n\n[{payload}]({payload.split()[0]})\n",
            encoding="utf-8",
        )
    (seeds / "people.toml").write_text(
        "".join(
            f"[[person]]\nname = {_toml(p)}\n"
            f"aliases = [{_toml('Vladimir Putin') if n == 0 else _toml(p)}]\n"
            f"roles = [{{ title = {_toml(p)} }}]\n\n"
            for n, p in enumerate(PAYLOADS[:10])
        ),
        encoding="utf-8",
    )
    (seeds / "about.md").write_text("\n\n".join(PAYLOADS), encoding="utf-8")
    (root / "site.toml").write_text(
        f"title = {_toml(PAYLOADS[0])}\npublisher = {_toml(PAYLOADS[6])}\n"
        f"attribution = {_toml(PAYLOADS[-1])}\ndescription = {_toml(PAYLOADS[20])}\n",
        encoding="utf-8",
    )
    build(seeds, root / "site", base_url="http://127.0.0.1/")
    return root / "site"


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self.seen: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        values = dict(attrs)
        if tag in FORBIDDEN:
            self.bad.append(f"<{tag}>")
        if tag in ONCE:
            self.seen[tag] = self.seen.get(tag, 0) + 1
            if self.seen[tag] > 1:
                self.bad.append(f"a second <{tag}>")
        if tag == "input" and values.get("type") != "search":
            self.bad.append("<input> of a payload")
        if tag == "script" and values.get("type") != "application/ld+json":
            source = values.get("src") or ""
            if not any(source.endswith(ours) for ours in OUR_SCRIPTS) and source:
                self.bad.append(f"script src={source}")
        if (
            tag == "meta"
            and "http-equiv" in names
            and "javascript" in (values.get("content") or "")
        ):
            self.bad.append("meta refresh to javascript:")
        for name, value in attrs:
            if tag == "link" and value == "data:,":
                continue  # our empty favicon, so that browsers ask for none
            if name.startswith("on"):
                self.bad.append(f"{tag} {name}=")
            if name in (
                "href",
                "src",
                "action",
                "data",
                "background",
                "dynsrc",
                "style",
            ) and re.search(r"(javascript|data|vbscript):", value or "", re.IGNORECASE):
                self.bad.append(f"{tag} {name}={value}")


def test_no_payload_becomes_markup(xss_site: Path) -> None:
    bad = []
    pages = list(xss_site.rglob("*.html"))
    assert len(document_pages(xss_site)) == 2 * len(PAYLOADS)  # every transcript built
    for page in pages:
        html = page.read_text(encoding="utf-8")
        parser = _Markup()
        parser.feed(html)
        bad += [f"{page.relative_to(xss_site)}: {b}" for b in parser.bad]
        inline = re.findall(
            r"<script(?![^>]*\bsrc=)(?![^>]*ld\+json)[^>]*>(.*?)</script>", html, re.S
        )
        assert all(s.startswith("location.replace(") for s in inline), page
    assert bad == []
    for feed in [xss_site / "feed.xml", *xss_site.glob("speakers/*/feed.xml")]:
        ET.parse(feed)  # still well-formed XML
    for data in xss_site.rglob("*.json"):
        json.loads(data.read_text(encoding="utf-8"))


def test_no_payload_runs_in_chromium(browser, serve, xss_site: Path) -> None:  # type: ignore[no-untyped-def]
    base = serve(xss_site)
    tab = browser.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    pages = sorted(p.relative_to(xss_site).as_posix() for p in xss_site.rglob("index.html"))
    kinds: dict[str, str] = {}
    for page in pages:  # one page of each kind, and every document
        kind = re.sub(r"[^/]+", "x", page)
        if kind not in kinds or page.startswith(("2021/", "speakers/")):
            kinds.setdefault(kind, page)
            tab.goto(base + page)
            for summary in tab.locator("summary").all()[:3]:
                summary.click()
    tab.goto(base + "search/index.html?q=alert")
    tab.wait_for_selector("#status:has-text('found')")
    tab.goto(base + "404.html")
    assert dialogs == [] and errors == []
    tab.close()
