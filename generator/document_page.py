"""A document's page: the transcript, its metadata, its notes and its citations.

The transcript page carries citation metadata (Highwire ``citation_*`` tags,
schema.org JSON-LD, canonical link, Open Graph) and, in place of paragraphs
that were split, merged or removed since links to them were published, a
note that says so and leads on. Each paragraph's citations, in five styles,
are in the page (in a closed ``<details>``), so they work without JavaScript;
the script only copies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from .citations import STYLES, Citable
from .config import Config
from .inline import paragraph_html
from .jsontext import SORTED, TEXT
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


_N, _KEY = 918273645, "\ue000"  # stand-ins for a paragraph's number and id in a citation


class _Citations:
    """Each paragraph's citations: written once per speaker, then filled in per paragraph.

    The five styles are made with stand-ins for the paragraph's number and
    id, which are then replaced; where a title or name holds a stand-in
    itself, the citation is made in full instead, so the text is always
    exactly what the style functions write.
    """

    def __init__(self, page: DocumentPage, config: Config) -> None:
        self.page, self.config = page, config
        self.forms: dict[str | None, list[tuple[str, str, bool]] | None] = {}
        self.stand_in = citable(page, Paragraph(n=_N, text="", line=0, id=_KEY), config)
        self.json_stand_in = TEXT.encode(self.stand_in.url)[1:-1]

    def _forms(self, speaker: str | None) -> list[tuple[str, str, bool]] | None:
        if speaker not in self.forms:
            model = replace(self.stand_in, speaker=speaker)
            fields = f"{model.speaker}\0{model.title}\0{model.publisher}\0{self.config.base_url}"
            if str(_N) in fields or _KEY in fields:
                self.forms[speaker] = None
            else:
                self.forms[speaker] = [
                    (style, cite(model), style == "CSL-JSON") for style, cite in STYLES
                ]
        return self.forms[speaker]

    def get(self, paragraph: Paragraph) -> list[tuple[str, str]]:
        """(style, citation text) of ``paragraph`` in each style."""
        model = citable(self.page, paragraph, self.config)
        forms = self._forms(model.speaker)
        if forms is None:
            return [(style, cite(model)) for style, cite in STYLES]
        number = str(paragraph.n)
        url = model.url
        json_url = TEXT.encode(url)[1:-1]
        out = []
        for style, form, is_json in forms:
            text = form.replace(
                self.json_stand_in if is_json else self.stand_in.url, json_url if is_json else url
            )
            out.append((style, text.replace(str(_N), number).replace(_KEY, paragraph.id)))
        return out


_RETIRED = {"split": "split", "merged": "merged into another paragraph"}


class _ParagraphBlock:
    """The HTML of one paragraph with its notes, permalink, tools and citations.

    Written in Python rather than in the template because a transcript page
    repeats it for every paragraph: this is most of the page, and most of the
    time a build spends rendering. Every value from the transcript is escaped.
    """

    def __init__(self, page: DocumentPage, notes: dict[str, list[Row]], root: str,
                 config: Config, places: Mapping[str, str]) -> None:  # fmt: skip
        self.page, self.notes, self.root, self.places = page, notes, root, places
        self.mentions = dict(page.mentions)
        self.citations = _Citations(page, config)
        self.prefix = escape(f"{config.base_url}{page.path}")

    def __call__(self, p: Paragraph) -> Markup:
        pid = escape(p.id)
        parts = []
        for row in self.notes.get(p.id, []):
            status = _RETIRED.get(row.status, "removed")
            when = f" in the revision of {escape(row.date)}" if row.date else " in a later revision"
            parts.append(
                f'<p class="retired" id="p-{escape(row.id)}">¶ {row.n} of an earlier version was '
                f'{status}{when}. <a href="#p-{pid}">Continue at ¶ {p.n}</a>.</p>\n'
            )
        url = f"{self.prefix}#p-{pid}"
        body = paragraph_html(p, self.mentions, self.root, self.places)
        parts.append(
            f'<div class="para{" stage" if p.stage else ""}" id="p-{pid}">\n'
            f'<a class="pn" href="#p-{pid}" title="Link to this paragraph" data-url="{url}">'
            f"¶&nbsp;{p.n}</a>\n"
            + (f"<p>{body}</p>\n" if p.html is None else f"{body}\n")
            + f'<div class="tools"><a class="copy" href="#p-{pid}" data-copy="{url}">'
            "copy link</a>\n"
            '<details class="cite"><summary>cite</summary>\n'
            f'<p class="meta">Link: <code>{url}</code> · <a href="#p-{pid}'
            f'{escape(text_fragment(p))}">link that highlights the words</a></p>\n'
        )
        for style, text in self.citations.get(p):
            parts.append(
                f'<p class="style">{style} <button type="button" class="copy-text" hidden>'
                f'copy</button></p>\n<pre class="cite-text">{escape(text)}</pre>\n'
            )
        parts.append("</details>\n</div>\n</div>")
        return Markup("".join(parts))


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
    text = SORTED.encode(data)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_document(
    env: jinja2.Environment,
    page: DocumentPage,
    events: list[Event],
    notes: dict[str, list[Row]],
    speaker_names: list[tuple[str, str | None]],
    config: Config,
    root: str,
    places: Mapping[str, str],
) -> dict[str, str]:
    """The transcript page, keyed by its path.

    ``places`` maps each event's anchor to the timeline page that shows it.
    """
    names = [name for name, path in speaker_names if path]
    common = {"config": config, "site_title": config.title, "page": page, "doc": page.document}
    block = _ParagraphBlock(page, notes, root, config, places)
    transcript = env.get_template("document.html").render(
        root=root,
        events=events,
        json_ld=json_ld(page, names, config),
        speaker_names=names,
        canonical=absolute(config, page.path) if config.base_url else None,
        paragraph_block=block,
        places=places,
        **common,
    )
    return {f"{page.path}index.html": transcript}
