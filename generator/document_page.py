"""A document's page: the transcript, its metadata, its notes and its citations.

The transcript page carries citation metadata (Highwire ``citation_*`` tags,
schema.org JSON-LD, canonical link, Open Graph) and, in place of paragraphs
that were split, merged or removed since links to them were published, a
note that says so and leads on. Each paragraph's citations, in five styles,
are in the page (in a closed ``<details>``), so they work without JavaScript;
the script only copies them.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import jinja2

from .citations import STYLES, Citable
from .config import Config
from .model import DocumentPage, Event, Paragraph, Row


def absolute(config: Config, path: str) -> str:
    """The URL of a site path: absolute under the base URL where one is configured."""
    return f"{config.base_url}{path}" if config.base_url else path


def text_fragment(paragraph: Paragraph) -> str:
    """``:~:text=`` for the paragraph's first words, so browsers highlight them."""
    words = paragraph.text.split()[:6]
    return ":~:text=" + quote(" ".join(words), safe="")


def citable(page: DocumentPage, paragraph: Paragraph, config: Config) -> Citable:
    document = page.document
    turn = document.turns[paragraph.turn] if paragraph.turn is not None else None
    speaker = turn.speaker if turn is not None and not turn.anonymous else None
    return Citable(
        speaker=speaker,
        title=document.title,
        publisher=config.publisher or config.title,
        date=document.date,
        paragraph=paragraph.n,
        url=absolute(config, f"{page.path}#p-{paragraph.id}"),
        key=f"podium-{paragraph.id}",
    )


def json_ld(page: DocumentPage, speakers: list[str], config: Config) -> str:
    """schema.org metadata, safe to put inside a ``<script>`` element."""
    document = page.document
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": document.title,
        "inLanguage": document.language or config.language,
        "genre": "Transcript",
        "url": absolute(config, page.path),
        "publisher": {"@type": "Organization", "name": config.publisher or config.title},
    }
    if document.date:
        data["datePublished"] = document.date.isoformat()
    if speakers:
        data["author"] = [{"@type": "Person", "name": name} for name in speakers]
    if document.source_url and document.source_url.startswith(("http://", "https://")):
        data["isBasedOn"] = document.source_url
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_document(
    env: jinja2.Environment,
    page: DocumentPage,
    events: list[Event],
    notes: dict[str, list[Row]],
    speaker_names: list[tuple[str, str | None]],
    config: Config,
    root: str,
) -> dict[str, str]:
    """The transcript page, keyed by its path."""
    names = [name for name, path in speaker_names if path]
    common = {"config": config, "site_title": config.title, "page": page, "doc": page.document}
    citations = {
        p.id: [(style, cite(citable(page, p, config))) for style, cite in STYLES]
        for p in page.document.paragraphs
    }
    fragments = {p.id: text_fragment(p) for p in page.document.paragraphs}
    transcript = env.get_template("document.html").render(
        root=root,
        mentions=dict(page.mentions),
        events=events,
        notes=notes,
        json_ld=json_ld(page, names, config),
        speaker_names=names,
        canonical=absolute(config, page.path) if config.base_url else None,
        citations=citations,
        fragments=fragments,
        **common,
    )
    return {f"{page.path}index.html": transcript}
