"""``podium check``: what is wrong with the seeds and with a built site.

It reports files that cannot be read, speaker labels that name nobody Podium
could resolve (fix them in ``people.toml``), and every internal link or
anchor of the built site that leads nowhere. Pages are parsed with a real
HTML parser, not searched with patterns.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .model import Document, Problem, Severity
from .sources import read_seeds


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value is not None:
                self.links.append((self.getpos()[0], value))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def broken_links(site: Path) -> list[Problem]:
    """Every internal link or anchor in ``site`` that leads nowhere."""
    site = site.resolve()
    parsed: dict[Path, _Links] = {}

    def page(path: Path) -> _Links:
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path]

    problems = []
    for path in sorted(site.rglob("*.html")):
        where = path.relative_to(site).as_posix()
        for line, link in page(path).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            if parts.path.startswith("/"):  # root-relative: the site is served at a domain root
                target = (site / unquote(parts.path).lstrip("/")).resolve()
            else:
                target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(site) or not target.is_file():
                problems.append(Problem(where, line, Severity.ERROR, f"broken link {link!r}"))
            elif (  # a text fragment (#p-x:~:text=…) is checked for its anchor
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment).split(":~:")[0] not in page(target).ids
            ):
                problems.append(Problem(where, line, Severity.ERROR, f"no anchor for {link!r}"))
    return problems


def unresolved_speakers(documents: list[Document]) -> list[Problem]:
    """Labels that name no person (role-only or unreadable), excluding questioners."""
    return [
        Problem(
            d.source,
            t.line or None,
            Severity.WARNING,
            f"speaker not resolved: {t.label!r} (add it to people.toml)",
        )
        for d in documents
        for t in d.turns
        if t.speaker is None and not t.anonymous
    ]


def check(seeds: Path, site: Path | None) -> list[Problem]:
    """All problems of the seeds, and of the site where one is given."""
    documents, problems = read_seeds(seeds)
    problems = problems + unresolved_speakers(documents)
    if site is not None:
        problems += broken_links(site)
    return problems
