"""The reader on 3,000 real transcripts (skipped where ../shared is absent)."""

from __future__ import annotations

import json

from tests.conftest import require_kremlin
from tests.htmlcheck import document_pages


def test_kremlin_corpus_builds_with_titles_and_dates_of_the_manifest(kremlin_site) -> None:  # type: ignore[no-untyped-def]
    corpus = require_kremlin()
    site, result = kremlin_site
    assert result.problems == []
    manifest = {
        row["file"]: row
        for row in map(
            json.loads, (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        )
    }
    documents = {d.source: d for d in result.documents}
    assert set(documents) == set(manifest)
    wrong = [
        name
        for name, row in manifest.items()
        if (
            documents[name].title,
            str(documents[name].date),
            documents[name].time.strftime("%H:%M") if documents[name].time else "",
        )
        != (row["title"], row["date"], row["time"])
    ]
    assert wrong == []
    assert all(d.paragraphs for d in documents.values())
    assert len(document_pages(site)) == 3000
