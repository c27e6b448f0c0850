"""The same transcripts as projects for Hugo, Pelican and MkDocs, each with a minimal theme.

Each transcript becomes one Markdown file with front matter (title, date), its
paragraphs as Markdown paragraphs. The themes render a page per document and
a list of all documents: the least a transcript site needs, so the peers are
measured at their fastest.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.model import Problem
from generator.readers import read_file

BIN = Path(sys.executable).parent

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


@dataclass(frozen=True)
class Peer:
    """A peer generator: how to build its project, and where it writes."""

    name: str
    command: tuple[str, ...]
    output: str  # folder under the project


def _markdown(path: Path) -> tuple[str, str, str] | None:
    """(title, ISO date, Markdown body) of one transcript, or None if unreadable."""
    document = read_file(path, path.name)
    if isinstance(document, Problem):
        return None
    body = "\n\n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", p.text) for p in document.paragraphs)
    date = document.date.isoformat() if document.date else "2000-01-01"
    return document.title, date, body


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_projects(sources: list[Path], root: Path) -> dict[str, Peer]:
    """Write a Hugo, a Pelican and an MkDocs project of ``sources`` under ``root``."""
    if root.exists():
        shutil.rmtree(root)
    hugo, pelican, mkdocs = root / "hugo", root / "pelican", root / "mkdocs"
    for folder in (hugo / "content" / "t", hugo / "layouts" / "_default", pelican / "content",
                   pelican / "theme" / "templates", mkdocs / "docs"):  # fmt: skip
        folder.mkdir(parents=True)
    titles = []
    for path in sources:
        converted = _markdown(path)
        if converted is None:
            continue
        title, date, body = converted
        front = f"---\ntitle: {_quote(title)}\ndate: {date}\n---\n\n{body}\n"
        name = path.stem + ".md"
        (hugo / "content" / "t" / name).write_text(front, encoding="utf-8")
        (pelican / "content" / name).write_text(
            f"Title: {title}\nDate: {date}\nSlug: {path.stem}\n\n{body}\n", encoding="utf-8"
        )
        (mkdocs / "docs" / name).write_text(front, encoding="utf-8")
        titles.append(name)
    _hugo_theme(hugo)
    _pelican_theme(pelican)
    _mkdocs_theme(mkdocs, titles)
    hugo_command = (str(BIN / "hugo"), "--quiet", "-s", str(hugo), "-d", "public")
    pelican_command = (str(BIN / "pelican"), "-q", "-s", str(pelican / "conf.py"),
                       str(pelican / "content"), "-o", str(pelican / "output"))  # fmt: skip
    mkdocs_command = (str(BIN / "mkdocs"), "build", "-q", "-f", str(mkdocs / "mkdocs.yml"))
    return {
        "hugo": Peer("Hugo", hugo_command, "public"),
        "pelican": Peer("Pelican", pelican_command, "output"),
        "mkdocs": Peer("MkDocs", mkdocs_command, "site"),
    }


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1><p>{date}</p>{content}</main></body></html>
"""


def _hugo_theme(project: Path) -> None:
    (project / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Transcripts"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
        "[markup.goldmark.renderer]\nunsafe = false\n",
        encoding="utf-8",
    )
    layouts = project / "layouts" / "_default"
    (layouts / "single.html").write_text(
        PAGE.format(title="{{ .Title }}", date="{{ .Date.Format \"2006-01-02\" }}",
                    content="{{ .Content }}"), encoding="utf-8")  # fmt: skip
    (layouts / "list.html").write_text(
        PAGE.format(title="{{ .Title }}", date="",
                    content="<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">"
                            "{{ .Title }}</a></li>{{ end }}</ul>"), encoding="utf-8")  # fmt: skip


def _pelican_theme(project: Path) -> None:
    (project / "conf.py").write_text(
        f"""AUTHOR = "Podium benchmark"
SITENAME = "Transcripts"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = {str(project / "theme")!r}
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DIRECT_TEMPLATES = ["index"]
DEFAULT_PAGINATION = False
ARTICLE_URL = "{{slug}}/"
ARTICLE_SAVE_AS = "{{slug}}/index.html"
AUTHOR_SAVE_AS = CATEGORY_SAVE_AS = TAG_SAVE_AS = ""
CACHE_CONTENT = False
""",
        encoding="utf-8",
    )
    templates = project / "theme" / "templates"
    (templates / "article.html").write_text(
        PAGE.format(title="{{ article.title }}", date="{{ article.date.date() }}",
                    content="{{ article.content }}"), encoding="utf-8")  # fmt: skip
    listing = '<ul>{% for a in articles %}<li><a href="{{ a.url }}">{{ a.title }}</a></li>'
    (templates / "index.html").write_text(
        PAGE.format(title="{{ SITENAME }}", date="", content=listing + "{% endfor %}</ul>"),
        encoding="utf-8",
    )
    for name in ("page.html", "archives.html", "tags.html", "categories.html", "authors.html",
                 "period_archives.html", "tag.html", "category.html", "author.html"):  # fmt: skip
        (templates / name).write_text("", encoding="utf-8")


def _mkdocs_theme(project: Path, pages: list[str]) -> None:
    theme = project / "theme"
    theme.mkdir()
    (theme / "main.html").write_text(
        PAGE.format(title="{{ page.title }}", date="{{ page.meta.date }}",
                    content="{{ page.content }}"), encoding="utf-8")  # fmt: skip
    (theme / "404.html").write_text("", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Transcripts\nuse_directory_urls: true\n"
        f"theme:\n  name: null\n  custom_dir: {theme}\n",
        encoding="utf-8",
    )
