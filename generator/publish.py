"""What a static host and a feed reader expect: sitemap, robots, 404, CNAME, Atom feeds.

Feeds and the sitemap need absolute URLs, so they use the configured base
URL; where none is set they fall back to site-relative URLs and say so in
the build summary. Dates come from the transcripts, never from the clock.
"""

from __future__ import annotations

import datetime as dt
import html

from .config import Config
from .model import DocumentPage, Site, Speaker

FEED_SIZE = 50


def escape(text: str) -> str:
    """``text`` as XML character data. (``xml.sax.saxutils`` does the same, but importing
    it imports ``urllib.request`` and ``ssl``: a thirtieth of a rebuild with nothing to do.)"""
    return html.escape(text, quote=False)


def quoteattr(value: str) -> str:
    """``value`` as a quoted XML attribute value, its quotes and whitespace escaped."""
    quoted = html.escape(value).replace("\n", "&#10;").replace("\r", "&#13;")
    return '"' + quoted.replace("\t", "&#9;") + '"'


def _url(config: Config, path: str) -> str:
    return f"{config.base_url}{path}"


def _stamp(page: DocumentPage) -> str:
    date = page.document.date or dt.date(1970, 1, 1)
    time = page.document.time or dt.time()
    return dt.datetime.combine(date, time).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(config: Config, pages: list[DocumentPage], title: str, path: str) -> str:
    """An Atom feed of ``pages`` (newest first) at ``path``."""
    updated = _stamp(pages[0]) if pages else "1970-01-01T00:00:00Z"
    entries = []
    for page in pages[:FEED_SIZE]:
        document = page.document
        summary = " ".join(p.text for p in document.paragraphs[:2])[:500]
        entries.append(
            "<entry>"
            f"<title>{escape(document.title)}</title>"
            f"<link href={quoteattr(_url(config, page.path))}/>"
            f"<id>{escape(_url(config, page.path) or 'urn:podium:' + page.path)}</id>"
            f"<updated>{_stamp(page)}</updated>"
            f"<summary>{escape(summary)}</summary>"
            "</entry>"
        )
    feed_id = _url(config, path) or f"urn:podium:{path}"
    author = escape(config.publisher or config.title)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title>"
        f'<link rel="self" href={quoteattr(_url(config, path))}/>'
        f"<link href={quoteattr(config.base_url or './')}/>"
        f"<id>{escape(feed_id)}</id><updated>{updated}</updated>"
        f"<author><name>{author}</name></author>" + "\n".join(entries) + "</feed>\n"
    )


def speaker_feed(config: Config, speaker: Speaker) -> str:
    """The feed of what ``speaker`` said, newest first, at ``<speaker path>feed.xml``."""
    pages = [u.page for u in speaker.said]
    return atom(config, pages, f"{speaker.name} · {config.title}", f"{speaker.path}feed.xml")


SITEMAP_SIZE = 50_000
"""The most URLs one sitemap may list (sitemaps.org): a larger site gets a sitemap index."""

_SITEMAP_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
_SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemaps(config: Config, paths: list[str]) -> dict[str, str]:
    """The sitemaps of the pages at ``paths``, under the base URL, by file name: as a rule,
    ``sitemap.xml`` alone.

    Past :data:`SITEMAP_SIZE` pages, search engines reject a sitemap, so
    ``sitemap.xml`` is an index of ``sitemap-1.xml``, ``sitemap-2.xml``…, each
    listing that many pages in order. They sit beside it at the site's root: a
    sitemap may list only pages at or below its own folder.
    """
    size = SITEMAP_SIZE
    ordered = sorted(paths)
    if len(ordered) <= size:
        return {"sitemap.xml": _sitemap("urlset", "url", config, ordered)}
    chunks = [ordered[start : start + size] for start in range(0, len(ordered), size)]
    parts = {f"sitemap-{number}.xml": _sitemap("urlset", "url", config, chunk)
             for number, chunk in enumerate(chunks, start=1)}  # fmt: skip
    return {"sitemap.xml": _sitemap("sitemapindex", "sitemap", config, list(parts)), **parts}


def _sitemap(root: str, entry: str, config: Config, paths: list[str]) -> str:
    urls = "".join(f"<{entry}><loc>{escape(_url(config, p))}</loc></{entry}>\n" for p in paths)
    return f'{_SITEMAP_HEAD}<{root} xmlns="{_SITEMAP_NAMESPACE}">\n{urls}</{root}>\n'


def robots(config: Config) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {_url(config, 'sitemap.xml')}\n"


def host_files(config: Config, site: Site, html_paths: list[str]) -> dict[str, str]:
    """The files a static host reads: ``.nojekyll``, ``CNAME``, sitemaps, robots, the site's feed.
    (Each speaker's feed is made with their pages: see :func:`generator.render.render_speakers`.)"""
    files = {
        ".nojekyll": "",
        **sitemaps(config, [_page_url(p) for p in html_paths]),
        "robots.txt": robots(config),
        "feed.xml": atom(config, list(site.pages), config.title, "feed.xml"),
    }
    if config.cname:
        files["CNAME"] = config.cname + "\n"
    return files


def _page_url(path: str) -> str:
    return path[: -len("index.html")] if path.endswith("index.html") else path
