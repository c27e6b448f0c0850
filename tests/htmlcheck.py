"""A crawler for built sites: parses every page with a real HTML parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Page:
    ids: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    elements: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.page.elements.append((tag, attributes))
        if attributes.get("id"):
            self.page.ids.append(attributes["id"] or "")
        for name in ("href", "src"):
            if attributes.get(name):
                self.page.links.append(attributes[name] or "")

    def handle_data(self, data: str) -> None:
        self.page.texts.append(data)


def parse(path: Path) -> Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector.page


def text_of(page: Page) -> str:
    return " ".join("".join(page.texts).split())


class _Table(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(path: Path) -> list[list[str]]:
    """The text of each cell of each row of the tables on a page."""
    parser = _Table()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.rows


def document_pages(site: Path) -> list[Path]:
    """The transcript pages: ``YYYY/MM/DD/<slug>/index.html`` or ``undated/<slug>/index.html``."""
    pages = []
    for path in site.rglob("index.html"):
        parts = path.relative_to(site).parts
        if (parts[0].isdigit() and len(parts) == 5) or (parts[0] == "undated" and len(parts) == 3):
            pages.append(path)
    return pages


class _ByClass(HTMLParser):
    def __init__(self, names: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.names = names
        self.found: list[tuple[str, str]] = []
        self.open: list[tuple[str, str, list[str]]] = []  # (tag, name, text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        name = tag if tag in self.names else next(iter(classes & self.names), "")
        if name:
            self.open.append((tag, name, []))

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1][0] == tag:
            _, name, text = self.open.pop()
            self.found.append((name, " ".join("".join(text).split())))

    def handle_data(self, data: str) -> None:
        for _, _, text in self.open:
            text.append(data)


def texts_by_class(path: Path, *names: str) -> list[tuple[str, str]]:
    """(class or tag, text) of each element with one of ``names`` as tag or class, in order."""
    parser = _ByClass(set(names))
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found
