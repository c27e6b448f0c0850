"""Incremental builds: the same bytes as a clean build, and nothing rewritten needlessly."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import FrozenInstanceError
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator import build as build_module
from generator import ledger as ledger_module
from generator import opendata, permalinks, render, search, views, write
from generator.build import build
from generator.cache import Memo, State, folder_for, load_state, save_state
from generator.link import link
from generator.model import (
    Event,
    Ledger,
    Mention,
    Paragraph,
    Problem,
    Record,
    RoleSpan,
    Row,
    Site,
    Speaker,
    Timex,
    Turn,
    Utterances,
    Version,
)
from generator.render import TEMPLATES, environment
from generator.write import LinkedCopy, SpareSurvey
from tests.conftest import SEED


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _corpus(seeds: Path, count: int) -> None:
    seeds.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for n in range(count):
        day = f"{1 + n % 28} {['march', 'june'][n % 2]} {2019 + n % 3}"
        (seeds / f"d{n:03d}.txt").write_text(text.replace("21 november 2020", day), "utf-8")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _swap(path: Path, first: str, second: str) -> None:
    """Swap the lines that start with ``first`` and ``second``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    a = next(i for i, line in enumerate(lines) if line.startswith(first))
    b = next(i for i, line in enumerate(lines) if line.startswith(second))
    lines[a], lines[b] = lines[b], lines[a]
    path.write_text("\n".join(lines), encoding="utf-8")


def _drop(path: Path, first: str) -> None:
    """Remove the line that starts with ``first``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.remove(next(line for line in lines if line.startswith(first)))
    path.write_text("\n".join(lines), encoding="utf-8")


def _tamper(out: Path) -> None:
    """Change the built site by hand: files written through, a file added, one deleted."""
    for name in ("index.html", "static/podium.css"):
        with (out / name).open("r+b") as stream:  # and so through every hard link to it
            stream.write(b"/* tampered */")
    (out / "extra.html").write_text("not Podium's", encoding="utf-8")
    (out / "p" / "extra").mkdir()
    (out / "p" / "extra" / "index.html").write_text("not Podium's", encoding="utf-8")
    (out / "404.html").unlink()


def _clean_build_of(
    seeds: Path, templates: Path, scratch: Path, ledger: str | None
) -> dict[str, str]:
    """The site a clean build makes of the transcripts in ``seeds`` as they stand, starting
    from ``ledger`` (from none if None), and the ledger it leaves.

    The ledger is the one clean builds made, step after step, never the one the
    incremental build wrote: a wrong ledger would be taken as given.
    """
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(seeds, scratch / "seeds")
    (scratch / "seeds" / "anchors.json").unlink(missing_ok=True)
    if ledger is not None:
        (scratch / "seeds" / "anchors.json").write_text(ledger, encoding="utf-8")
    build(scratch / "seeds", scratch / "site", templates=templates, search=False,
          incremental=False, jobs=1)  # fmt: skip
    ledger = (scratch / "seeds" / "anchors.json").read_text(encoding="utf-8")
    return {**_tree(scratch / "site"), "ledger": ledger}


def _site_and_ledger(out: Path, seeds: Path) -> dict[str, str]:
    return {**_tree(out), "ledger": (seeds / "anchors.json").read_text(encoding="utf-8")}


@pytest.mark.parametrize("jobs", [1, 2])
def test_incremental_builds_match_clean_builds_through_edits(tmp_path: Path, jobs: int) -> None:
    seeds, out, templates = tmp_path / "seeds", tmp_path / "site", tmp_path / "templates"
    _corpus(seeds, 24)
    shutil.copytree(TEMPLATES, templates)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("first build", lambda: None),
        ("a title edited", lambda: _edit(seeds / "d003.txt", "Shoigu", "Shoygu")),
        ("a paragraph edited", lambda: _edit(seeds / "d004.txt", "Thank you, dear Mr. President",
                                             "Thank you, dear President")),
        ("the same paragraph edited once more", lambda: _edit(
            seeds / "d004.txt", "Thank you, dear President", "Thank you so much, dear President")),
        ("a document added", lambda: (seeds / "d100.txt").write_text(
            "A new meeting\n\n2 march 2019, 10:00\n\nJohn Smith: We met on 1 March 2019.\n",
            encoding="utf-8")),
        ("a document deleted", lambda: (seeds / "d005.txt").unlink()),
        ("a document retitled", lambda: _edit(seeds / "d007.txt", "Ilham Aliyev has received",
                                              "President Aliyev received")),
        ("paragraphs reordered", lambda: _swap(seeds / "d009.txt", "Dear members of",
                                               "I am glad to welcome")),
        ("a paragraph removed", lambda: _drop(seeds / "d010.txt", "Armenia has extensively")),
        ("the site changed by hand", lambda: _tamper(out)),
        ("the ledger deleted", lambda: (seeds / "anchors.json").unlink()),
        ("a paragraph edited again", lambda: _edit(seeds / "d004.txt", "dear President",
                                                   "dear Mr. President")),
        ("a template changed", lambda: _edit(templates / "base.html", "</body>",
                                             "<!-- changed --></body>")),
        ("a speaker now in two documents", lambda: (seeds / "d101.txt").write_text(
            "Another meeting\n\n3 june 2020\n\nJohn Smith: Thank you.\n", encoding="utf-8")),
        ("someone the transcripts name now speaks", lambda: (seeds / "d102.txt").write_text(
            "Talks in Ankara\n\n4 june 2020\n\nRecep Tayyip Erdogan: Welcome.\n",
            encoding="utf-8")),
    ]  # fmt: skip
    reference: str | None = None  # the ledger the clean builds left
    for step, change in steps:
        change()
        if not (seeds / "anchors.json").exists():
            reference = None  # deleted: the clean build starts without one too
        result = build(seeds, out, templates=templates, search=False, jobs=jobs)
        assert not result.unchanged, step
        clean = _clean_build_of(seeds, templates, tmp_path / "clean", reference)
        assert _site_and_ledger(out, seeds) == clean, step
        reference = clean["ledger"]
    again = build(seeds, out, templates=templates, search=False, jobs=jobs)
    assert again.unchanged
    assert again.document_count == 26
    clean = _clean_build_of(seeds, templates, tmp_path / "clean", reference)
    assert _site_and_ledger(out, seeds) == clean


def test_a_build_with_nothing_changed_says_so_and_does_nothing(seeds: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "generator", "build", str(seeds), "-o", str(tmp_path / "s")]
    first = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "nothing changed" not in first.stdout
    before = _tree(tmp_path / "s")
    again = subprocess.run(command, capture_output=True, text=True, check=True)
    assert again.stdout.startswith("1 documents, 14 paragraphs, 0 warnings, 0 errors")
    assert again.stdout.rstrip().endswith("(nothing changed since the last build)")
    assert _tree(tmp_path / "s") == before
    (tmp_path / "s" / "404.html").unlink()  # a file of the site gone: build again
    third = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "nothing changed" not in third.stdout
    assert _tree(tmp_path / "s") == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_unchanged_files_are_not_rewritten(seeds: Path, tmp_path: Path, jobs: int) -> None:
    _corpus(tmp_path / "many", 12)
    for path in (tmp_path / "many").iterdir():
        shutil.move(path, seeds / path.name)
    out = tmp_path / "site"
    build(seeds, out, search=False, jobs=jobs)
    for old, new in (("Shoigu", "Shoygu"), ("Shoygu", "Shoigu")):  # the second starts from a spare
        before = {p: os.stat(p) for p in out.rglob("*") if p.is_file()}
        _edit(seeds / "d004.txt", old, new)
        build(seeds, out, search=False, jobs=jobs)
        after = {p: os.stat(p) for p in out.rglob("*") if p.is_file()}
        changed = {p.relative_to(out).as_posix() for p in after
                   if p not in before or after[p].st_mtime_ns != before[p].st_mtime_ns}  # fmt: skip
        kept = [p for p in after if p in before and after[p].st_ino == before[p].st_ino]
        assert len(kept) > len(after) * 0.8  # most files are the very same files
        edited = {p for p in changed if new in (out / p).read_text(encoding="utf-8")}
        assert any(p.startswith("2020/") and p.endswith("/index.html") for p in edited)
        assert all(p not in changed for p in ("static/podium.css", "p/index.html", "404.html"))


def test_a_rebuild_indexes_again_only_the_search_parts_of_the_edited_transcript(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds, out = tmp_path / "seeds", tmp_path / "site"
    _corpus(seeds, 12)  # in 2019, 2020 and 2021
    indexed: list[str] = []
    index_part = search._index_part

    def counted(part: search.Part, *rest: Any) -> None:
        indexed.append(part.name)
        index_part(part, *rest)

    monkeypatch.setattr(search, "_index_part", counted)
    build(seeds, out)
    assert sorted(indexed) == ["2019", "2020", "2021"]
    before = {p: os.stat(p) for p in (out / "pagefind").rglob("*") if p.is_file()}
    indexed.clear()
    _edit(seeds / "d004.txt", "ballistic missile attacks", "ballistic rocket attacks")  # 2020
    build(seeds, out)
    assert indexed == ["2020"]
    after = {p: os.stat(p) for p in (out / "pagefind").rglob("*") if p.is_file()}
    kept = {p.relative_to(out).parts[1] for p in after
            if p in before and after[p].st_ino == before[p].st_ino}  # fmt: skip
    assert kept == {"2019", "2020", "2021"}  # the 2020 part's unchanged files are linked too
    assert all(after[p].st_ino == before[p].st_ino for p in after
               if p.relative_to(out).parts[1] != "2020")  # fmt: skip
    assert {p for p in before if p.relative_to(out).parts[1] != "2020"} <= after.keys()
    shutil.copytree(seeds, tmp_path / "clean" / "seeds")
    build(tmp_path / "clean" / "seeds", tmp_path / "clean" / "site", incremental=False)
    clean = _tree(tmp_path / "clean" / "site")
    assert _tree(out) == clean
    found = [path for path in clean if path.startswith("pagefind/2020/fragment/")]
    assert any(b"rocket" in gzip.decompress((out / path).read_bytes()) for path in found)


def test_a_rebuild_with_no_spare_site_starts_from_a_linked_copy_of_the_last(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, spare = tmp_path / "site", folder_for(tmp_path / "site") / "site"
    finished: list[bool] = []
    finish = LinkedCopy.finish
    monkeypatch.setattr(
        LinkedCopy, "finish", lambda self: finished.append(finish(self)) or finished[-1]
    )
    build(seeds, out, search=False, jobs=2)
    assert not spare.exists() and finished == []  # a clean build replaced no site
    site = {p: os.stat(p).st_ino for p in out.rglob("*") if p.is_file()}
    _edit(seeds / SEED.name, "Shoigu", "Shoygu")
    build(seeds, out, search=False, jobs=2)
    assert finished == [True]
    assert {p: os.stat(p).st_ino for p in spare.rglob("*") if p.is_file()} == {
        spare / p.relative_to(out): inode for p, inode in site.items()
    }  # the spare is the site the rebuild replaced
    shutil.rmtree(spare)
    _edit(seeds / SEED.name, "Shoygu", "Shoigu")
    build(seeds, out, search=False, jobs=1)  # no core to spare: the build links the files itself
    assert finished == [True] and spare.is_dir()


@pytest.mark.parametrize("find", ["gnu", "none", "failing", "other"])
def test_the_linked_copy_is_listed_by_find_and_trusted_only_where_the_manifest_says(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, find: str
) -> None:
    """The first rebuild lists its linked copy of the site with find, not by itself; without
    GNU find it surveys the copy itself. Files changed by hand are made again either way."""
    if find != "gnu":
        _no_gnu_find(find, tmp_path, monkeypatch)
    out = tmp_path / "site"
    build(seeds, out, search=False, jobs=2)
    ledger = (seeds / "anchors.json").read_text(encoding="utf-8")
    scanned: list[Path] = []
    scan = write._scan
    monkeypatch.setattr(write, "_scan", lambda folder: (scanned.append(folder), scan(folder))[1])
    _tamper(out)  # written through to the copy's links
    _edit(seeds / SEED.name, "Shoigu", "Shoygu")
    build(seeds, out, search=False, jobs=2)
    assert len(scanned) == (0 if find == "gnu" else 1)
    clean = _clean_build_of(seeds, TEMPLATES, tmp_path / "clean", ledger)
    assert _site_and_ledger(out, seeds) == clean


def test_a_build_whose_cache_is_of_no_use_makes_its_site_in_the_spares_folders(
    seeds: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "site", folder_for(tmp_path / "site")
    build(seeds, out, search=False)
    _edit(seeds / SEED.name, "Shoigu", "Shoygu")
    build(seeds, out, search=False)  # the first site is now the spare
    folders = {p.relative_to(cache / "site"): p.stat().st_ino
               for p in (cache / "site").rglob("*") if p.is_dir()}  # fmt: skip
    (cache / "state.pickle").write_bytes(b"left by another version of Podium")
    ledger = (seeds / "anchors.json").read_text(encoding="utf-8")
    _edit(seeds / SEED.name, "Shoygu", "Shoigu")
    assert not build(seeds, out, search=False).unchanged
    reused = [p for p, inode in folders.items() if (out / p).stat().st_ino == inode]
    assert len(folders) > 10 and len(reused) == len(folders)
    clean = _clean_build_of(seeds, TEMPLATES, tmp_path / "clean", ledger)
    assert _site_and_ledger(out, seeds) == clean


def test_the_spares_listing_by_find_is_the_one_the_build_would_make(tmp_path: Path) -> None:
    """Names with spaces, line breaks and bytes that are not UTF-8; links, not followed."""
    spare = tmp_path / "spare"
    (spare / "a b" / "c\nd").mkdir(parents=True)
    (spare / "empty").mkdir()
    (spare / "a b" / "c\nd" / "index.html").write_text("x" * 1234, encoding="utf-8")
    os.mkfifo(spare / "fifo")
    (spare / os.fsdecode(b"caf\xe9.html")).write_bytes(b"")
    (spare / "to-folder").symlink_to(spare / "a b")
    os.utime(spare / "a b" / "c\nd" / "index.html", ns=(0, 1_700_000_000_123_456_789))
    listed = SpareSurvey(spare).entries()
    assert listed is not None
    assert sorted(listed) == sorted(write._scan(spare))
    assert ("a b/c\nd/index.html", False, 1234, 1_700_000_000_123_456_789) in listed
    assert ("to-folder", False, os.lstat(spare / "to-folder").st_size,
            os.lstat(spare / "to-folder").st_mtime_ns) in listed  # fmt: skip
    assert {e[0] for e in listed if e[1]} == {"a b", "a b/c\nd", "empty"}


def _no_gnu_find(how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Take GNU find away: none on the path, or one that fails, or one that prints otherwise."""
    if how == "none":
        which = shutil.which
        monkeypatch.setattr(shutil, "which", lambda name: None if name == "find" else which(name))
        return
    fake = tmp_path / "bin"
    fake.mkdir()
    body = "exit 1" if how == "failing" else "printf 'not GNU find\\0'"
    (fake / "find").write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    (fake / "find").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")


@pytest.mark.parametrize("find", ["gnu", "none", "failing", "other"])
def test_a_spare_file_touched_or_left_by_someone_else_is_not_trusted(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, find: str
) -> None:
    """The spare is surveyed before a rebuild starts from it, with find or without."""
    if find != "gnu":
        _no_gnu_find(find, tmp_path, monkeypatch)
    out, spare = tmp_path / "site", folder_for(tmp_path / "site") / "site"
    build(seeds, out, search=False)
    _edit(seeds / SEED.name, "Shoigu", "Shoygu")
    build(seeds, out, search=False)  # the first site is now the spare
    (spare / "404.html").unlink()  # a file of its own now, not the site's: mtime and size differ
    (spare / "404.html").write_text("<p>written by someone else</p>", encoding="utf-8")
    (spare / "stray folder").mkdir()
    (spare / "stray folder" / "odd\nname.html").write_text("stray", encoding="utf-8")
    ledger = (seeds / "anchors.json").read_text(encoding="utf-8")
    _edit(seeds / SEED.name, "Shoygu", "Shoigu")
    build(seeds, out, search=False)
    assert _site_and_ledger(out, seeds) == _clean_build_of(seeds, TEMPLATES, tmp_path / "c", ledger)


Step = tuple[str, Callable[[], object], set[Any]]
"""A change to the seeds, and what a rebuild after it must make again (see
:func:`_made_again_through`)."""


def _made_again_through(steps: list[Step], made: set[Any], seeds: Path, out: Path,
                        templates: Path = TEMPLATES) -> None:  # fmt: skip
    """Rebuild after each step: ``made`` (filled by the caller's probe) must hold just what the
    step says, and the site and ledger must be a clean build's."""
    ledger = (seeds / "anchors.json").read_text(encoding="utf-8")
    for step, change, made_again in steps:
        change()
        made.clear()
        build(seeds, out, templates=templates, search=False, jobs=1)
        assert made == made_again, step
        clean = _clean_build_of(seeds, templates, out.parent / "clean", ledger)
        assert _site_and_ledger(out, seeds) == clean, step
        ledger = clean["ledger"]


def test_a_rebuild_makes_the_views_of_only_the_timeline_years_an_edit_touches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copies of the seed dated 2019, 2020, 2021 and 2022, each with events around its date."""
    seeds, out = tmp_path / "seeds", tmp_path / "site"
    _corpus(seeds, 6)
    text = SEED.read_text(encoding="utf-8").replace("21 november 2020", "1 march 2022")
    (seeds / "later.txt").write_text(text, encoding="utf-8")
    build(seeds, out, search=False, jobs=1)
    viewed: set[int] = set()
    event_view = views.event
    monkeypatch.setattr(views, "event", lambda e, page=None: (viewed.add(e.year),
                                                             event_view(e, page))[1])  # fmt: skip
    source = seeds / "d000.txt"  # dated 2019: its events are in 2018 and 2019
    original = source.read_text(encoding="utf-8")

    def write(text: str) -> Callable[[], object]:
        return lambda: source.write_text(text, encoding="utf-8")

    steps: list[Step] = [
        ("names 2021 too", write(original + "\nWe met again in May 2021.\n"), {2018, 2019, 2021}),
        ("no longer names 2021", write(original), {2018, 2019, 2021}),
        # a year's pages link to the next year: of the others, only 2022's change
        ("names a new year", write(original + "\nWe meet again in May 2023.\n"),
         {2018, 2019, 2022, 2023}),
    ]  # fmt: skip
    _made_again_through(steps, viewed, seeds, out)


def test_a_timeline_page_follows_a_document_whose_path_alone_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document takes another's title and date, and so its path: the other moves to
    ``-2`` with its text unchanged, and so do the links to it on every timeline page."""
    seeds, out = tmp_path / "seeds", tmp_path / "site"
    seeds.mkdir()
    text = SEED.read_text(encoding="utf-8")
    title = text.split("\n", 1)[0]
    text += "\nWe first met in May 2015.\n"  # a year only this document names
    (seeds / "b.txt").write_text(text, encoding="utf-8")
    other = seeds / "a.txt"  # first by source, so it takes the path when it takes the title
    other.write_text("Another meeting\n\n21 november 2020, 10:00\n\nNothing is said.\n",
                     encoding="utf-8")  # fmt: skip
    build(seeds, out, search=False, jobs=1)
    assert (out / "2020/11/21/another-meeting/index.html").is_file()
    viewed: set[int] = set()
    event_view = views.event
    monkeypatch.setattr(views, "event", lambda e, page=None: (viewed.add(e.year),
                                                             event_view(e, page))[1])  # fmt: skip
    steps: list[Step] = [
        ("takes the title", lambda: _edit(other, "Another meeting", title), {2015, 2020}),
    ]
    _made_again_through(steps, viewed, seeds, out)
    page = (out / "timeline/2015/index.html").read_text(encoding="utf-8")
    assert "-2/index.html#" in page


def test_a_rebuild_makes_the_listings_views_again_only_when_an_entry_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds, out = tmp_path / "seeds", tmp_path / "site"
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    _corpus(seeds, 6)
    build(seeds, out, templates=templates, search=False, jobs=1)
    viewed: set[str] = set()
    listed = views.listed
    monkeypatch.setattr(views, "listed", lambda page: (viewed.add(page.document.source),
                                                       listed(page))[1])  # fmt: skip
    everyone = {f"d{n:03d}.txt" for n in range(6)}
    steps: list[Step] = [
        ("a paragraph edited", lambda: _edit(seeds / "d002.txt", "Dear members of",
                                             "Dear friends of"), {"d002.txt"}),
        ("a title edited", lambda: _edit(seeds / "d002.txt", "has received", "received"),
         everyone),
        ("a template edited", lambda: _edit(templates / "doc_list.html", "</li>", " </li>"),
         everyone),
        ("a transcript added", lambda: shutil.copy(seeds / "d000.txt", seeds / "d100.txt"),
         everyone | {"d100.txt"}),
        ("nothing listed changed", lambda: _edit(seeds / "d100.txt", "Dear members of",
                                                 "Dear friends of"), {"d100.txt"}),
        ("a transcript removed", lambda: (seeds / "d100.txt").unlink(), everyone),
    ]  # fmt: skip
    _made_again_through(steps, viewed, seeds, out, templates)


def test_a_rebuild_keys_again_only_the_pages_of_speakers_whose_documents_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which speakers' pages are keyed again, and whose feeds are made again: a feed is carried
    over, mtime and all, unless a document of theirs changed."""
    seeds, out = tmp_path / "seeds", tmp_path / "site"
    _corpus(seeds, 4)
    build(seeds, out, search=False, jobs=1)
    everyone = {path.name for path in (out / "speakers").iterdir() if path.is_dir()}
    made: set[tuple[str, str]] = set()
    key, feed = views.key, render.speaker_feed
    monkeypatch.setattr(views, "key", lambda *parts: (
        made.add(("page", str(parts[1]).split("/")[1])) if parts[0] == "speaker.html" else None,
        key(*parts))[1])  # fmt: skip
    monkeypatch.setattr(render, "speaker_feed", lambda config, speaker: (
        made.add(("feed", speaker.path.split("/")[1])), feed(config, speaker))[1])  # fmt: skip

    def pages(*slugs: str) -> set[tuple[str, str]]:
        return {("page", slug) for slug in slugs}

    def feeds(*slugs: str) -> set[tuple[str, str]]:
        return {("feed", slug) for slug in slugs}

    smith = "Another meeting\n\n3 june 2020\n\nJohn Smith: Thank you.\n"
    steps: list[Step] = [
        ("a new speaker", lambda: (seeds / "d101.txt").write_text(smith, encoding="utf-8"),
         pages(*everyone, "john-smith") | feeds("john-smith")),
        ("their words edited", lambda: _edit(seeds / "d101.txt", "Thank you.", "Thanks."),
         pages("john-smith") | feeds("john-smith")),
        ("another's words edited", lambda: _edit(seeds / "d002.txt", "Dear members of",
                                                 "Dear friends of"),
         pages(*everyone) | feeds(*everyone)),
        ("a label now leads elsewhere", lambda: _edit(seeds / "d101.txt", "John Smith:",
                                                      "Ilham Aliyev:"),
         pages(*everyone) | feeds("ilham-aliyev")),
    ]  # fmt: skip
    aliyev = out / "speakers" / "ilham-aliyev" / "feed.xml"
    before = aliyev.stat().st_mtime_ns
    _made_again_through(steps[:2], made, seeds, out)
    assert aliyev.stat().st_mtime_ns == before  # carried over: a deploy leaves it be
    _made_again_through(steps[2:], made, seeds, out)
    assert "Another meeting" in aliyev.read_text(encoding="utf-8")


def test_the_documents_that_changed_are_those_whose_text_rows_or_path_differ() -> None:
    last = Memo({"a": "1", "b": "1", "c": "1", "d": "1"}, {"a": "v", "b": "v", "c": "v", "d": "v"},
                {"a": "p/", "b": "p/", "c": "p/", "d": "p/"})  # fmt: skip
    now = ({"a": "1", "b": "2", "c": "1", "e": "1"}, {"a": "v", "b": "v", "c": "w", "e": "v"},
           {"a": "p/", "b": "p/", "c": "p/", "e": "p/"})  # fmt: skip
    assert last.changed(*now) == {"b", "c", "d", "e"}  # text, rows; gone, new
    assert last.changed(now[0], now[1], {**now[2], "a": "q/"}) == {"a", "b", "c", "d", "e"}
    assert last.changed(last.digests, last.versions, last.paths) == set()


def test_pages_workers_render_again_to_the_same_bytes_keep_their_files(tmp_path: Path) -> None:
    """A template change that changes no page: every transcript is rendered again, by worker
    processes, and each keeps its file (so its mtime), through a spare site or not."""
    seeds, out, templates = tmp_path / "seeds", tmp_path / "site", tmp_path / "templates"
    _corpus(seeds, 24)
    shutil.copytree(TEMPLATES, templates)
    build(seeds, out, templates=templates, search=False, jobs=2)
    for comment in ("{# a note #}", "{# another #}"):  # the second build starts from a spare
        pages = {p: p.stat().st_ino for p in out.glob("20*/*/*/*/index.html")}
        with (templates / "document.html").open("a", encoding="utf-8") as template:
            template.write(comment)
        build(seeds, out, templates=templates, search=False, jobs=2)
        assert len(pages) == 24
        assert {p: p.stat().st_ino for p in pages} == pages


def test_one_process_and_two_make_the_same_site(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    _corpus(seeds, 20)
    one = build(seeds, tmp_path / "one", search=False, jobs=1, incremental=False)
    shutil.copy(seeds / "anchors.json", tmp_path / "anchors.json")
    (seeds / "anchors.json").unlink()
    build(seeds, tmp_path / "two", search=False, jobs=2, incremental=False)
    assert (seeds / "anchors.json").read_bytes() == (tmp_path / "anchors.json").read_bytes()
    assert one.document_count == 20
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(seeds: Path, tmp_path: Path, jobs: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(seeds), "-o", str(tmp_path / "s"),
         "-j", jobs],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    assert "processes" in run.stderr
    assert not (tmp_path / "s").exists()


def _meetings(seeds: Path, first_opens_with: str = "") -> None:
    """130 meetings of one speaker, over three pages of theirs, newest documents first; the
    oldest (on page 3) opens with ``first_opens_with``."""
    seeds.mkdir()
    for n in range(130):
        opening = first_opens_with if n == 0 else ""
        (seeds / f"m{n:03d}.txt").write_text(
            f"Meeting number {n}\n\n2019-{1 + n // 28:02d}-{1 + n % 28:02d}\n\n{opening}"
            f"Vladimir Putin: Good afternoon, meeting {n}.\n",
            encoding="utf-8",
        )


def test_an_edit_leaves_a_prolific_speakers_other_pages_alone(tmp_path: Path) -> None:
    seeds, out = tmp_path / "seeds", tmp_path / "site"
    _meetings(seeds)
    build(seeds, out, search=False, jobs=1)
    first = (seeds / "anchors.json").read_text(encoding="utf-8")
    speaker = out / "speakers" / "vladimir-putin"
    pages = [speaker / "index.html", speaker / "page/2/index.html", speaker / "page/3/index.html"]
    assert "130 documents" in pages[0].read_text(encoding="utf-8")
    assert all("documents, from" not in p.read_text(encoding="utf-8") for p in pages[1:])
    before = [p.stat().st_ino for p in pages]
    _edit(seeds / "m000.txt", "meeting 0.", "meeting zero, with more words.")  # on page 3
    build(seeds, out, search=False, jobs=1)
    after = [p.stat().st_ino for p in pages]
    assert after[1] == before[1]  # untouched
    assert after[0] != before[0] and after[2] != before[2]  # the word count, the paragraph
    assert "meeting zero" in pages[2].read_text(encoding="utf-8")
    clean = _clean_build_of(seeds, TEMPLATES, tmp_path / "clean", first)
    assert _site_and_ledger(out, seeds) == clean


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_first_rebuild_after_a_clean_build_renders_no_listing_that_stays_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """A page is keyed by what it shows, whether its documents were read a moment ago or
    loaded from the build cache."""
    seeds, out = tmp_path / "seeds", tmp_path / "site"
    _corpus(seeds, 8)
    build(seeds, out, search=False, jobs=jobs)
    ledger = (seeds / "anchors.json").read_text(encoding="utf-8")
    rendered: list[str | None] = []
    render = jinja2.Template.render

    def counted(template: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        rendered.append(template.name)
        return render(template, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", counted)
    _edit(seeds / "d003.txt", "Dear members of", "Dear friends of")
    build(seeds, out, search=False, jobs=jobs)
    assert "home.html" not in rendered and "year.html" not in rendered
    assert "speaker.html" in rendered  # the edited words are quoted there
    assert _site_and_ledger(out, seeds) == _clean_build_of(seeds, TEMPLATES, tmp_path / "clean",
                                                           ledger)  # fmt: skip


def test_a_rebuild_drops_the_cache_files_of_earlier_versions(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(seeds, out, search=False, jobs=1)
    folder = folder_for(out)
    for name in ("documents", "ledger"):
        (folder / name).mkdir()
        (folder / name / "00.pickle").write_bytes(b"an earlier layout")
    (folder / "documents.pickle").write_bytes(b"an earlier layout")
    (folder / "shortlinks.pickle").write_bytes(b"an earlier layout")
    _edit(seeds / "000_cd29b1cf06a80073.txt", "Shoigu", "Shoygu")
    build(seeds, out, search=False, jobs=1)
    assert not (folder / "documents").exists() and not (folder / "ledger").exists()
    assert not (folder / "documents.pickle").exists()
    assert not (folder / "shortlinks.pickle").exists() and (folder / "memo.pickle").is_file()
    assert (folder / "shards").is_dir() and (folder / "ledger.pickle").is_file()


def test_a_rebuild_compiles_only_the_templates_that_changed(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Templates stay compiled in the cache from one build to the next; an edited one is
    compiled again, and the compiled templates of other versions of Podium are removed."""
    out, templates = tmp_path / "site", tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    build(seeds, out, templates=templates, search=False, jobs=1)
    stale = folder_for(out) / "templates" / "an-earlier-version"
    stale.mkdir()
    compiled: list[str] = []
    compile_source = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None,
                *args: Any, **kwargs: Any) -> Any:  # fmt: skip
        compiled.append(str(name))
        return compile_source(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    _edit(seeds / "000_cd29b1cf06a80073.txt", "Shoigu", "Shoygu")
    build(seeds, out, templates=templates, search=False, jobs=1)
    assert compiled == [] and not stale.exists()
    _edit(templates / "speaker.html", "</h1>", "</h1><!-- changed -->")
    build(seeds, out, templates=templates, search=False, jobs=1)
    assert compiled == ["speaker.html"]
    assert "<!-- changed -->" in next((out / "speakers").glob("*/index.html")).read_text()


def test_templates_render_when_the_folder_they_are_kept_compiled_in_is_gone(
    tmp_path: Path,
) -> None:
    """Keeping a compiled template is a saving, not a duty: with its folder removed (by the
    user, or by a build of another version), the template is compiled and used all the same."""
    templates, folder = tmp_path / "templates", tmp_path / "compiled"
    templates.mkdir()
    folder.mkdir()
    (templates / "page.html").write_text("Hello, {{ name }}!", encoding="utf-8")
    env = environment(templates, folder)
    shutil.rmtree(folder)
    assert env.get_template("page.html").render(name="<Ann>") == "Hello, &lt;Ann&gt;!"
    assert not folder.exists()


def test_a_rebuild_knows_the_ledger_it_left_by_its_size_and_mtime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger it wrote is not hashed again (220 MB at 30,000 transcripts) while its size
    and mtime are as the build left them; touched, it is hashed, and still not parsed."""
    seeds, out = tmp_path / "seeds", tmp_path / "site"
    _corpus(seeds, 4)
    build(seeds, out, search=False, jobs=1)
    hashed, parsed = [], []
    digest_of, parse = ledger_module._digest_of, ledger_module._parse
    monkeypatch.setattr(ledger_module, "_digest_of", lambda *a: hashed.append(1) or digest_of(*a))
    monkeypatch.setattr(ledger_module, "_parse", lambda *a: parsed.append(1) or parse(*a))
    _edit(seeds / "d001.txt", "Dear members", "Dear esteemed members")
    build(seeds, out, search=False, jobs=1)
    assert (hashed, parsed) == ([], [])
    stat = (seeds / "anchors.json").stat()
    os.utime(seeds / "anchors.json", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    build(seeds, out, search=False, jobs=1)
    assert (hashed, parsed) == ([1], [])
    _edit(seeds / "d002.txt", "Dear members", "Dear honoured members")
    build(seeds, out, search=False, jobs=1)
    assert (hashed, parsed) == ([1], [])
    assert _site_and_ledger(out, seeds) == _clean_build_of(
        seeds, TEMPLATES, tmp_path / "clean", (seeds / "anchors.json").read_text(encoding="utf-8")
    )


def test_a_rebuild_that_changes_no_row_leaves_the_ledger_unwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a change to a template, the ledger is neither encoded nor written (220 MB at
    30,000 transcripts); after a retitling, whose rows are the same but whose paths are not,
    and after an edit, it is, and says what a clean build's does."""
    seeds, out, templates = tmp_path / "seeds", tmp_path / "site", tmp_path / "templates"
    _corpus(seeds, 4)
    shutil.copytree(TEMPLATES, templates)
    build(seeds, out, templates=templates, search=False, jobs=1)
    encoded: list[int] = []
    encode = ledger_module.encode
    monkeypatch.setattr(ledger_module, "encode", lambda *a: encoded.append(1) or encode(*a))
    before = (seeds / "anchors.json").stat()
    _edit(templates / "base.html", "</main>", "</main><!-- changed -->")
    build(seeds, out, templates=templates, search=False, jobs=1)
    after = (seeds / "anchors.json").stat()
    assert encoded == []
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert [p.name for p in seeds.iterdir() if p.name.startswith(".")] == []
    clean = _clean_build_of(seeds, templates, tmp_path / "clean", None)
    assert _site_and_ledger(out, seeds) == clean
    for old, new in (("has received", "received"), ("Dear members", "Dear all members")):
        _edit(seeds / "d001.txt", old, new)
        encoded.clear()
        build(seeds, out, templates=templates, search=False, jobs=1)
        assert len(encoded) == 1
        ledger = (seeds / "anchors.json").read_text(encoding="utf-8")
        assert _site_and_ledger(out, seeds) == _clean_build_of(
            seeds, templates, tmp_path / "clean", ledger
        )


def test_a_ledger_formatted_by_hand_and_left_by_frozen_is_not_taken_as_podiums(
    tmp_path: Path,
) -> None:
    """``--frozen`` leaves a ledger formatted by hand as it is, when it says what the build
    would: its bytes are not the build's, and the next build must not read them as if they
    were, by its size and mtime."""
    seeds, out = tmp_path / "seeds", tmp_path / "site"
    _corpus(seeds, 4)
    build(seeds, out, search=False, jobs=1)
    by_hand = json.dumps(json.loads((seeds / "anchors.json").read_text(encoding="utf-8")),
                         indent=4, ensure_ascii=False)  # fmt: skip
    (seeds / "anchors.json").write_text(by_hand, encoding="utf-8")
    build(seeds, out, search=False, jobs=1, frozen=True)
    assert (seeds / "anchors.json").read_text(encoding="utf-8") == by_hand
    _edit(seeds / "d001.txt", "Dear members", "Dear esteemed members")
    build(seeds, out, search=False, jobs=1)
    assert _site_and_ledger(out, seeds) == _clean_build_of(
        seeds, TEMPLATES, tmp_path / "clean", by_hand
    )


def test_a_rebuild_copies_the_timeline_events_of_unchanged_transcripts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the edited transcript's events are encoded again; the rest come from the last
    file, and the file is what a clean build writes."""
    seeds = tmp_path / "seeds"
    _corpus(seeds, 6)
    out = tmp_path / "site"
    build(seeds, out, search=False, jobs=1)
    _edit(seeds / "d004.txt", "Shoigu", "Shoygu")
    encoded: list[str] = []
    encode = opendata._event_json

    def counted(event: Event) -> dict[str, object]:
        encoded.append(event.page.document.source)
        return encode(event)

    monkeypatch.setattr(opendata, "_event_json", counted)
    build(seeds, out, search=False, jobs=1)
    events = json.loads((out / "data/timeline.json").read_text(encoding="utf-8"))["events"]
    assert set(encoded) == {"d004.txt"}  # the edited transcript's events, no other
    assert 0 < len(encoded) < len(events) / 4
    monkeypatch.setattr(opendata, "_event_json", encode)
    build(seeds, tmp_path / "clean", search=False, jobs=1, incremental=False,
          ledger_path=tmp_path / "clean.json")  # fmt: skip
    assert (out / "data/timeline.json").read_bytes() == (
        tmp_path / "clean/data/timeline.json"
    ).read_bytes()


def test_a_rebuild_makes_only_the_short_link_shards_of_the_edited_transcript(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    _corpus(seeds, 6)
    out = tmp_path / "site"
    build(seeds, out, search=False, jobs=1)
    first = (seeds / "anchors.json").read_text(encoding="utf-8")
    _edit(seeds / "d004.txt", "Dear members", "Dear esteemed members")  # one paragraph's wording
    made: list[str] = []
    make = permalinks._shard

    def counted(rows: dict[str, Row], identifiers: list[str], paths: dict[str, str]) -> str:
        made.append(identifiers[0][: permalinks.SHARD])
        return make(rows, identifiers, paths)

    monkeypatch.setattr(permalinks, "_shard", counted)
    build(seeds, out, search=False, jobs=1)
    rows = json.loads((seeds / "anchors.json").read_text(encoding="utf-8"))["paragraphs"]
    edited = {row["id"][: permalinks.SHARD] for row in rows if row["document"] == "d004.txt"}
    assert sorted(made) == sorted(edited)
    assert len(made) < len(list((out / "p/map").iterdir())) / 4
    monkeypatch.setattr(permalinks, "_shard", make)
    _clean_build_of(seeds, TEMPLATES, tmp_path / "clean", first)
    assert _tree(out / "p") == _tree(tmp_path / "clean/site/p")


def test_a_pickle_of_many_expressions_and_turns_holds_each_recurring_string_once() -> None:
    """Strings such as "today" or a speaker's label recur in every document; a shard of the
    build cache keeps each once."""
    first = Timex(0, 5, "today", "DATE", "".join(["2020-", "11-21"]))
    second = Timex(9, 14, "".join(["to", "day"]), "DATE", "".join(["2020-1", "1-21"]))
    turns = [Turn("".join(["Vladimir ", "Putin"]), "Vladimir Putin") for _ in range(2)]
    assert first.text is not second.text and turns[0].label is not turns[1].label
    loaded = pickle.loads(pickle.dumps([first, second, *turns]))
    assert loaded == [first, second, *turns]
    assert loaded[0].text is loaded[1].text and loaded[0].value is loaded[1].value
    assert loaded[2].label is loaded[3].label


def _records(value: object) -> Iterator[Record]:
    """Every model record inside ``value``, depth first."""
    if isinstance(value, Record):
        yield value
        for name in value.__slots__:  # type: ignore[attr-defined]  # every record is a dataclass
            yield from _records(getattr(value, name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _records(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _records(item)


def test_every_record_of_a_built_site_pickles_back_whole_and_frozen(tmp_path: Path) -> None:
    """The build cache and the workers carry the model in pickles, made by each record's own
    maker (see ``model._quicken``): what comes back must be the same values, still frozen."""
    seeds = tmp_path / "seeds"
    _corpus(seeds, 3)
    (seeds / "d001.txt").write_text("Broken\n", encoding="utf-8")  # a document with a problem
    result = build(seeds, tmp_path / "site", search=False, jobs=1)
    row = Row("p-1", "d000.txt", 1, 7, "Now.", "replaced", "2021-01-01", ("p-2",),
              (Version(5, "Then.", "2020-12-31"),))  # fmt: skip
    site = link(result.documents, Ledger((row,), {"d000.txt": ("2020/01/01/old/",)}))
    loaded = pickle.loads(pickle.dumps(site, protocol=pickle.HIGHEST_PROTOCOL))
    assert loaded == site
    pairs = list(zip(_records(site), _records(loaded), strict=True))
    kinds = {type(record) for record, _ in pairs}
    assert {
        Speaker,
        Utterances,
        RoleSpan,
        Event,
        Mention,
        Row,
        Version,
        Problem,
        Timex,
        Turn,
    } <= kinds
    for record, back in pairs:
        assert type(back) is type(record) and back == record
        if not isinstance(record, Ledger | Site):  # which hold dictionaries
            assert hash(back) == hash(record)
        for name in record.__slots__:  # type: ignore[attr-defined]
            assert getattr(back, name) == getattr(record, name), (type(record), name)
        with pytest.raises(FrozenInstanceError):
            setattr(back, record.__slots__[0], None)  # type: ignore[attr-defined]


def test_a_paragraph_sent_to_a_worker_arrives_whole_and_leaves_its_text_as_it_was() -> None:
    text = "".join(["The minister’s report, ", "in full. " * 20])
    timex = Timex(0, 3, "The", "DATE", "2020")
    paragraph = Paragraph(4, text, 9, turn=1, html="<p>x</p>", id="p-1", stage=True,
                          timexes=(timex,))  # fmt: skip
    size = sys.getsizeof(text)
    assert ForkingPickler.loads(ForkingPickler.dumps(paragraph)) == paragraph
    assert sys.getsizeof(text) == size  # no UTF-8 form kept inside it (see model.copy_of)


def test_the_saved_state_holds_what_the_site_and_its_spare_share_once(tmp_path: Path) -> None:
    """The spare's manifest is mostly the site's: loaded, an entry they share is one object, and
    one they do not is the spare's own."""

    def entry(hashed: str) -> tuple[str, int, int]:
        return "".join([hashed, "0" * 31]), 10, int("".join(["17", "0" * 17]))

    pages = ["".join(["2020/", name, "/index.html"]) for name in ("a", "b")]
    manifest = {pages[0]: entry("a"), pages[1]: entry("b"), "index.html": entry("c")}
    spare = {
        "".join(["2020/", name, "/index.html"]): entry(hashed)
        for name, hashed in (("a", "a"), ("b", "y"), ("x", "x"))
    }  # b: rewritten since
    rendered = {"".join(["2020/", name, "/"]): ("k", ("".join(["2020/", name, "/index.html"]),))
                for name in ("a", "b")}  # fmt: skip
    out = tmp_path / "site"
    save_state(out, State("inputs", manifest, spare=spare, rendered=rendered))
    state = load_state(out)
    assert (state.manifest, state.spare, state.rendered) == (manifest, spare, rendered)
    paths = {id(path) for path in state.manifest}
    assert state.spare[pages[0]] is state.manifest[pages[0]]
    assert [id(path) in paths for path in state.spare] == [True, True, False]  # x: the spare's
    assert all(id(files[0]) in paths for _, files in state.rendered.values())


def test_the_command_ends_cleanly_after_a_build_with_workers(tmp_path: Path) -> None:
    """``podium`` ends its process without freeing the build (see ``cli.run``): the summary
    still comes out, through a pipe, and nothing is reported at exit."""
    seeds = tmp_path / "seeds"
    _corpus(seeds, 12)
    command = [sys.executable, "-m", "generator", "build", str(seeds), "-o", str(tmp_path / "s"),
               "--no-search", "-j", "2"]  # fmt: skip
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    run = subprocess.run(command, capture_output=True, text=True, check=False, env=buffered)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("12 documents, ")
    assert run.stderr == ""


def test_an_edit_that_moves_other_transcripts_events_to_another_timeline_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A transcript's page links each of its expressions to the timeline page it is on; an
    edit elsewhere that moves them to the next page changes that page, though its own
    transcript did not change."""
    monkeypatch.setattr(build_module, "TIMELINE_PAGE_SIZE", 4)
    seeds, out = tmp_path / "seeds", tmp_path / "site"
    _corpus(seeds, 6)
    build(seeds, out, search=False, jobs=1)
    ledger = (seeds / "anchors.json").read_text(encoding="utf-8")
    before = _tree(out)
    with (seeds / "d000.txt").open("a", encoding="utf-8") as source:
        source.write("\nWe first met on 1 January 2019.\n")
    build(seeds, out, search=False, jobs=1)
    clean = _clean_build_of(seeds, TEMPLATES, tmp_path / "clean", ledger)
    assert _site_and_ledger(out, seeds) == clean
    others = [path for path, hashed in clean.items() if before.get(path) not in (None, hashed)
              and re.fullmatch(r"20\d\d/\d\d/\d\d/[^/]+/index\.html", path)
              and not path.startswith("2019/03/01/")]  # fmt: skip
    assert others  # pages of transcripts that were not edited


def test_a_speaker_page_changes_when_a_label_elsewhere_takes_paragraphs_from_it(
    tmp_path: Path,
) -> None:
    """A bare "Putin:" stands for the one Putin of the archive who has nine in ten of the
    turns. Once another document gives a second Putin more, the paragraph it labels leaves
    Vladimir Putin's page, though its transcript is as it was."""
    seeds, out = tmp_path / "seeds", tmp_path / "site"
    _meetings(seeds, "Putin: One more thing, said briefly.\n\n")
    build(seeds, out, search=False, jobs=1)
    first = (seeds / "anchors.json").read_text(encoding="utf-8")
    page = out / "speakers" / "vladimir-putin" / "page/3/index.html"
    assert "One more thing" in page.read_text(encoding="utf-8")
    turns = "".join(f"Ivan Putin: Point {n}.\n\nModerator: Next.\n\n" for n in range(20))
    (seeds / "other.txt").write_text(f"Another meeting\n\n2018-05-05\n\n{turns}", "utf-8")
    build(seeds, out, search=False, jobs=1)
    assert "One more thing" not in page.read_text(encoding="utf-8")
    clean = _clean_build_of(seeds, TEMPLATES, tmp_path / "clean", first)
    assert _site_and_ledger(out, seeds) == clean


def test_the_cache_the_site_and_the_ledger_never_rename_a_file_over_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ext4 writes a file out before renaming it over another (``auto_da_alloc``), about 1 ms
    per MB of it, and frees the old one meanwhile: the cache and the staged site remove the
    old file first, and the ledger, the user's own file and never missing, is swapped with
    its old self, which a thread deletes."""
    seeds, out = tmp_path / "seeds", tmp_path / "site"
    _corpus(seeds, 4)
    build(seeds, out, search=False, jobs=1)
    renamed_over: list[str] = []
    real_replace = os.replace

    def replace(source: Any, target: Any) -> None:
        if os.path.exists(target):
            renamed_over.append(Path(target).name)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    threads = threading.active_count()
    for year in (2015, 2016, 2017):
        with (seeds / "d001.txt").open("a", encoding="utf-8") as transcript:
            transcript.write(f"\nWe met again on 3 March {year}.\n")
        build(seeds, out, search=False, jobs=1)
        assert f"3 March {year}" in (out / "data/timeline.json").read_text(encoding="utf-8")
        assert f"3 March {year}." in (seeds / "anchors.json").read_text(encoding="utf-8")
        assert sorted(p.name for p in seeds.iterdir() if p.name.startswith(".")) == []
        assert list(folder_for(out).joinpath("site").rglob("*.podium-new")) == []
        assert threading.active_count() == threads
    assert renamed_over == []
