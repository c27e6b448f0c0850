"""Paragraph ids and the anchor ledger: each kind of revision, and what happens to the ids."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from generator import ledger
from generator.anchor import anchor
from generator.model import Document, Ledger, Paragraph, Severity
from generator.readers import read_file
from generator.sources import process
from tests.conftest import SEED


def doc(*texts: str, source: str = "a.txt") -> Document:
    paragraphs = tuple(Paragraph(n=i, text=t, line=i) for i, t in enumerate(texts, start=1))
    return Document(source=source, title="t", date=None, time=None, paragraphs=paragraphs)


def ids(document: Document, known: Ledger | None = None) -> dict[str, str]:
    done, _ = anchor([document], known or Ledger(), None)
    return {p.text: p.id for p in done[0].paragraphs}


def revise(before: list[str], after: list[str], date: str | None = "2021-01-02"):  # type: ignore[no-untyped-def]
    """Build ``before``, then ``after`` with the first build's ledger: ids and rows by id."""
    first, known = anchor([doc(*before)], Ledger(), None)
    second, updated = anchor([doc(*after)], known, date)
    return first[0], second[0], updated.by_id()


def test_ids_are_short_and_url_safe() -> None:
    for value in ids(doc("One.", "Two.", "Три.")).values():
        assert re.fullmatch(r"[a-z2-7]{10}", value)


def test_ids_are_those_every_earlier_build_gave() -> None:
    """An id is a published permalink: the first 50 bits, in base32, of the hash of the
    document's name and the text's words (case, punctuation and spacing folded away)."""
    texts = {
        "One.": "one",
        "Two  -- TWO!": "two two",
        "snake_case and ﬁne\u00a0print": "snake case and fine print",
        "Стамбул, İstanbul; Straße": "стамбул i stanbul strasse",
        "¹/₂ — ٣٤": "1 2 ٣٤",
        "  (Applause.)  ": "applause",
        "": "",
    }
    for text, words in texts.items():
        digest = hashlib.blake2b(f"a.txt\x00{words}".encode(), digest_size=8).digest()
        expected = base64.b32encode(digest).decode().lower()[:10]
        assert ids(doc(text))[text] == expected, text


def test_without_a_ledger_inserting_and_reordering_keep_ids() -> None:
    before = ids(doc("One.", "Two.", "Three."))
    after = ids(doc("Zero.", "Three.", "One.", "New.", "Two."))
    assert {t: after[t] for t in before} == before


def test_repeated_text_gets_deterministic_suffixes() -> None:
    done, _ = anchor([doc("Thank you.", "Yes.", "Thank you.", "Thank you.")], Ledger(), None)
    got = [p.id for p in done[0].paragraphs]
    assert got[2:] == [f"{got[0]}-2", f"{got[0]}-3"]


def test_same_text_in_two_documents_gets_two_ids() -> None:
    assert ids(doc("Thank you.", source="a.txt")) != ids(doc("Thank you.", source="b.txt"))


def test_same_text_keeps_its_id_and_nothing_changes() -> None:
    texts = ["Alpha beta gamma.", "Delta epsilon."]
    first, known = anchor([doc(*texts)], Ledger(), None)
    second, again = anchor([doc(*texts)], known, "2021-01-02")
    assert ledger.dumps(again) == ledger.dumps(known)
    assert [p.id for p in first[0].paragraphs] == [p.id for p in second[0].paragraphs]


def test_edited_paragraph_keeps_its_id_and_its_old_wording() -> None:
    old_text = "The minister visited Baku in Agust to discus the ceasefire."
    new_text = "The minister visited Baku in August to discuss the ceasefire."
    first, second, rows = revise(["Intro.", old_text], ["Intro.", new_text])
    assert second.paragraphs[1].id == first.paragraphs[1].id
    row = rows[first.paragraphs[1].id]
    assert (row.status, row.text, row.date) == ("current", new_text, "2021-01-02")
    assert [v.text for v in row.history] == [old_text]
    assert row.history[0].fingerprint == ledger.fingerprint(old_text) != row.fingerprint


def test_punctuation_fix_keeps_the_id() -> None:
    first, second, _ = revise(["Hello, world"], ["Hello world."])
    assert first.paragraphs[0].id == second.paragraphs[0].id


def test_inserted_removed_and_swapped_paragraphs_change_no_other_id() -> None:
    before = ["Para one is here.", "Para two is here.", "Para three is here.", "Para four."]
    after = ["Para two is here.", "Brand new words entirely.", "Para one is here.", "Para four."]
    first, second, rows = revise(before, after)
    old = {p.text: p.id for p in first.paragraphs}
    new = {p.text: p.id for p in second.paragraphs}
    assert all(new[t] == old[t] for t in new if t in old)
    removed = rows[old["Para three is here."]]
    assert removed.status == "removed" and removed.successors == (old["Para four."],)


def test_split_and_merge_point_to_their_successors() -> None:
    long = "The first half of a long answer about gas prices. The second half about oil exports."
    first, second, rows = revise(
        ["Opening words here.", long, "Short one.", "Short two."],
        ["Opening words here.", "The first half of a long answer about gas prices.",
         "The second half about oil exports.", "Short one. Short two."],
    )  # fmt: skip
    old = [p.id for p in first.paragraphs]
    new = [p.id for p in second.paragraphs]
    assert rows[old[1]].status == "split" and rows[old[1]].successors == (new[1], new[2])
    assert new[3] == old[2]  # the merged paragraph keeps the first id
    assert rows[old[3]].status == "merged" and rows[old[3]].successors == (new[3],)


def test_the_ledger_never_drops_a_row() -> None:
    _, known = anchor([doc("A first text.", "A second text.")], Ledger(), None)
    _, later = anchor([doc("Totally different.")], known, None)
    _, latest = anchor([], later, None)
    assert {r.id for r in known.rows} <= {r.id for r in latest.rows}
    assert all(r.status == "removed" for r in latest.rows)


def test_a_renamed_file_keeps_its_ids() -> None:
    first, known = anchor([doc("One text.", "Two text.", source="old.txt")], Ledger(), None)
    second, updated = anchor([doc("One text.", "Two text.", source="new.txt")], known, None)
    assert [p.id for p in first[0].paragraphs] == [p.id for p in second[0].paragraphs]
    assert {r.document for r in updated.rows} == {"new.txt"}


def test_new_ids_never_reuse_a_retired_one() -> None:
    _, known = anchor([doc("Same words.")], Ledger(), None)
    retired = replace(known.rows[0], status="removed")
    done, _ = anchor([doc("Same words.")], Ledger((retired,), {}), None)
    assert done[0].paragraphs[0].id == f"{retired.id}-2"


def test_ledger_round_trips_through_its_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, known = anchor([doc("One text.", "Two text.")], Ledger(), None)
    path = tmp_path / "anchors.json"
    ledger.save(path, known)
    loaded, problems = ledger.load(path)
    assert problems == [] and ledger.dumps(loaded) == ledger.dumps(known)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert sum(1 for line in lines if line.startswith('{"document"')) == 2  # one row a line


def test_a_ledger_changes_only_when_what_it_says_changes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, known = anchor([doc("One text.", "Two text.")], Ledger(), None)
    _, grown = anchor([doc("One text.", "Two text.", "Three.")], known, None)
    path = tmp_path / "anchors.json"
    ledger.save(path, known)
    on_disk = ledger.read(path)[0]
    assert not ledger.changes(on_disk, ledger.encode(known))
    assert ledger.changes(on_disk, ledger.encode(grown))
    path.write_text(ledger.dumps(known).replace("\n", "\n  "), encoding="utf-8")  # by hand
    by_hand = ledger.read(path)[0]
    assert ledger.changes(by_hand, ledger.encode(known))  # rewritten in Podium's form
    assert not ledger.changes(by_hand, ledger.encode(known), exact=True)  # as --frozen asks
    assert ledger.changes(by_hand, ledger.encode(grown), exact=True)
    missing = ledger.read(tmp_path / "none.json")[0]
    assert not ledger.changes(missing, ledger.encode(Ledger()))
    assert ledger.changes(missing, ledger.encode(known))


def test_a_ledger_written_before_is_not_parsed_and_its_lines_are_reused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    two = [doc("Один текст.", "Two text."), doc("Другое.", source="b.txt")]  # offsets in bytes
    _, known = anchor(two, Ledger(), None)
    written = ledger.encode(known)
    path = tmp_path / "anchors.json"
    ledger.save(path, written)
    kept = replace(written, chunks=())  # as the build cache keeps it
    again = ledger.read(path, kept)[0]
    assert again.ledger is written.ledger and not again.chunks  # neither parsed nor held
    parsed = ledger.read(path, ledger.encode(Ledger()))[0]
    assert parsed is not written and parsed.ledger == known
    _, grown = anchor([doc("Один текст.", "Two words."), doc("Другое.", source="b.txt")],
                      again.ledger, None)  # fmt: skip
    grown_text = ledger.encode(grown, again)
    assert grown_text.text == ledger.dumps(grown)
    after, before = grown_text.spans["b.txt"], again.spans["b.txt"]
    assert all(a is b for a, b in zip(after[0], before[0], strict=True))  # so its line is copied
    line = path.read_bytes()[before[1] : before[2]]
    assert b"\xd0\x94\xd1\x80" in line  # "Др", the line of b.txt

    streamed = io.BytesIO()
    sunk = ledger.encode(grown, again, streamed)  # as a build writes it: straight to the file
    assert streamed.getvalue() == grown_text.data and not sunk.chunks
    assert (sunk.digest, sunk.spans) == (grown_text.digest, grown_text.spans)

    stat = path.stat()  # the line is taken from the file, not encoded again:
    path.write_bytes(path.read_bytes().replace(line, line.replace("Др".encode(), "Ду".encode())))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "Ду".encode() in ledger.encode(grown, again).data
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # changed since it was read:
    assert ledger.encode(grown, again).data == grown_text.data  # not used


def _two_documents() -> Ledger:
    _, known = anchor([doc("One text.", "Two text."), doc("Другое.", source="b.txt")], Ledger(),
                      None)  # fmt: skip
    return ledger.with_paths(known, {"a.txt": "2020/01/02/t/", "b.txt": "undated/t/"})


def test_a_ledger_is_as_written_only_with_its_very_rows_and_paths_and_file(
    tmp_path: Path,
) -> None:
    """What lets a build leave the ledger unwritten: the new ledger must be the one the file
    holds, down to the row objects, and the file as the last build left it."""
    path = tmp_path / "anchors.json"
    text = ledger.encode(_two_documents())
    path.write_bytes(text.data)
    stat = path.stat()
    known = replace(text, chunks=(), file=path, stamp=(stat.st_size, stat.st_mtime_ns))
    rows, paths = text.ledger.rows, text.ledger.paths
    same = ledger.as_written(Ledger(rows[::-1], dict(paths)), known)
    assert same is not None and same.digest == known.digest and same.spans == known.spans
    assert ledger.as_written(Ledger(rows, {**paths, "a.txt": ("2021/t/",)}), known) is None
    assert ledger.as_written(Ledger(tuple(replace(r) for r in rows), paths), known) is None
    assert ledger.as_written(Ledger(rows[1:], paths), known) is None
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert ledger.as_written(Ledger(rows, paths), known) is None


def _five_documents(changed: str = "Old words.") -> list[Document]:
    """Five documents; the middle one's second paragraph is ``changed``."""
    return [doc(f"Text of {name}.", changed if name == "c" else f"More of {name}.",
                source=f"{name}.txt") for name in "abcde"]  # fmt: skip


def test_a_ledger_takes_the_lines_of_unchanged_documents_from_its_file_in_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild's ledger copies the head and the lines of the documents around the one that
    changed from the last file, a run at a time, and the bytes are those of encoding it anew."""
    paths = {f"{name}.txt": f"2020/01/0{n}/t/" for n, name in enumerate("abcde", start=1)}
    _, first = anchor(_five_documents(), Ledger(), None)
    first = ledger.with_paths(first, paths)
    path = tmp_path / "anchors.json"
    written = ledger.encode(first)
    ledger.save(path, written)
    _, second = anchor(
        _five_documents("New words."), first, None, {"a.txt", "b.txt", "d.txt", "e.txt"}
    )  # as a build's cache knows them: their very rows are kept
    second = ledger.with_paths(second, paths)
    fresh = ledger.encode(second)
    stat = path.stat()
    known = replace(written, chunks=(), file=path, stamp=(stat.st_size, stat.st_mtime_ns))
    reads: list[int] = []
    pread = os.pread
    monkeypatch.setattr(os, "pread", lambda *args: reads.append(args[1]) or pread(*args))
    taken = ledger.encode(second, known)
    assert taken.data == fresh.data and taken.spans == fresh.spans
    assert taken.versions == fresh.versions
    assert taken.digest == hashlib.blake2b(fresh.data, digest_size=16).hexdigest()
    assert len(reads) == 3  # the head, a and b, d and e: c is encoded

    marked = path.read_bytes()  # each word read from the file shows: only those of a, b, d, e
    for word in (b"01/t/", b"of a", b"of b", b"Old words", b"of c", b"of d", b"of e"):
        marked = marked.replace(word, word.upper())
    path.write_bytes(marked)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    data = ledger.encode(second, known).data
    for word in (b"01/t/", b"of a", b"of b", b"of d", b"of e"):
        assert word.upper() in data and word not in data
    assert b"of c" in data and b"New words" in data
    moved = ledger.with_paths(second, {"a.txt": "2021/t/"})  # a new head, encoded
    assert ledger.encode(moved, known).data == ledger.encode(moved).data.replace(
        b"of a", b"OF A").replace(b"of b", b"OF B").replace(b"of d", b"OF D").replace(
        b"of e", b"OF E")  # fmt: skip

    cut = replace(written, chunks=(written.data[: len(written.data) // 2],))  # cut mid-run
    assert ledger.encode(second, cut).data == fresh.data


def test_a_settled_documents_rows_pass_the_anchor_stage_as_the_ledger_file_has_them() -> None:
    """A document the build's cache knows keeps its very rows, in the file's order (by number),
    which is what lets the ledger copy its lines instead of sorting and encoding them."""
    _, first = anchor([doc("One.", "Two.", "Three.")], Ledger(), None)
    revised, second = anchor([doc("One.", "Three.")], first, "2021-01-02")  # "Two." retired
    text = ledger.encode(second)
    in_file = text.spans["a.txt"][0]
    assert list(in_file) != sorted(in_file, key=lambda r: (r.status == "current", r.n))
    as_cached = Ledger(in_file, second.paths)
    again, kept = anchor(revised, as_cached, None, {"a.txt"})
    assert again[0] is revised[0] and list(map(id, kept.rows)) == list(map(id, in_file))
    assert ledger.encode(kept, text).spans["a.txt"][0] is in_file
    _, checked = anchor(revised, as_cached, None)  # not settled: the same rows, checked
    assert sorted(checked.rows, key=lambda r: r.id) == sorted(in_file, key=lambda r: r.id)


def test_a_ledger_that_cannot_be_written_leaves_no_thread_behind(tmp_path: Path) -> None:
    class Full(io.BytesIO):
        def write(self, data: object) -> int:
            raise OSError(28, "No space left on device")

    before = threading.active_count()
    with pytest.raises(OSError, match="No space"):
        ledger.encode(_two_documents(), None, Full())
    assert threading.active_count() == before


def test_a_ledger_reads_the_same_as_podium_or_a_person_lays_it_out(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "anchors.json"
    for written in (_two_documents(), Ledger()):
        ledger.save(path, written)
        by_podium = ledger.read(path)[0]
        path.write_text(json.dumps(json.loads(path.read_bytes()), indent=1), encoding="utf-8")
        by_hand = ledger.read(path)[0]
        for text in (by_podium, by_hand):
            assert text.ledger == written
            assert not text.chunks  # the file's bytes are not held
        assert by_hand.digest == hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        assert by_podium.digest == ledger.encode(written).digest != by_hand.digest


def test_rows_read_from_the_ledger_hold_their_documents_names_and_texts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "anchors.json"
    ledger.save(path, _two_documents())
    now = [doc("One text.", "Two words."), doc("Другое.", source="b.txt")]
    rows = ledger.read(path, None, {d.source: d for d in now})[0].ledger.rows
    texts = {(d.source, p.n): p.text for d in now for p in d.paragraphs}
    assert [(r.document, r.n, r.text) for r in rows] == [
        ("a.txt", 1, "One text."), ("a.txt", 2, "Two text."), ("b.txt", 1, "Другое.")
    ]  # fmt: skip
    shared = [r.text is texts[r.document, r.n] for r in rows]
    assert shared == [True, False, True]  # the text now differs from the row's
    sources = {d.source: d.source for d in now}
    assert all(r.document is sources[r.document] for r in rows)
    assert ledger.read(path)[0].ledger.rows == rows  # what they say is the same


def test_a_broken_ledger_is_an_error_that_names_the_file_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "anchors.json"
    ledger.save(path, _two_documents())
    lines = path.read_text(encoding="utf-8").split("\n")
    row = next(n for n, line in enumerate(lines) if line.startswith('{"document"'))
    broken = {
        "a row cut short": (row, lines[row][:30], 1 + row),
        "a comma missing": (row, lines[row].rstrip(","), 2 + row),
        "the last brace replaced": (len(lines) - 2, "{}", len(lines) - 1),
    }
    for case, (n, line, number) in broken.items():
        path.write_text("\n".join([*lines[:n], line, *lines[n + 1 :]]), encoding="utf-8")
        text, problems = ledger.read(path)
        assert [(p.path, p.line, p.severity) for p in problems] == [
            ("anchors.json", number, Severity.ERROR)
        ], case
        assert problems[0].message.startswith("the anchor ledger is not valid JSON"), case
        assert text.ledger == Ledger(), case
    second = "\n".join([*lines[: row + 1], lines[row + 1].replace('"id": ', '"name": ')])
    path.write_text("\n".join([second, *lines[row + 2 :]]), encoding="utf-8")
    problems = ledger.read(path)[1]
    message = "the anchor ledger is damaged: entry 2 of \"paragraphs\": it has no 'id'"
    assert [(p.line, p.message) for p in problems] == [(row + 2, message)]
    path.write_text(json.dumps(json.loads(second + "\n".join(["", *lines[row + 2 :]])), indent=1))
    problems = ledger.read(path)[1]  # formatted by hand: no line to give, but the entry
    assert [(p.line, p.message) for p in problems] == [(None, message)]
    for spelling in ("0x", "+", " "):  # what int() would take, and the file would not keep
        damaged = "\n".join(lines).replace('"fingerprint": "', f'"fingerprint": "{spelling}', 1)
        path.write_text(damaged, encoding="utf-8")
        text, problems = ledger.read(path)
        assert [(p.line, p.severity) for p in problems] == [(row + 1, Severity.ERROR)], spelling
        assert problems[0].message.startswith('the anchor ledger is damaged: entry 1 of "para')
        assert "a fingerprint must be 8 lowercase hex digits" in problems[0].message, spelling
        assert text.ledger == Ledger(), spelling
    path.write_text(json.dumps({"format": ledger.FORMAT, "documents": [], "paragraphs": [7]}))
    problems = ledger.read(path)[1]  # not an object: an error, not a crash
    assert [(p.line, p.message[:59]) for p in problems] == [
        (None, 'the anchor ledger is damaged: entry 1 of "paragraphs": \'int')
    ]
    path.write_text("\n".join(lines).replace('"paths": [', '"paths": 7, "x": [', 1), "utf-8")
    problems = ledger.read(path)[1]  # an entry of "documents", on the fourth line
    assert [(p.line, p.message) for p in problems] == [
        (4, "the anchor ledger is damaged: entry 1 of \"documents\": 'int' object is not iterable")
    ]


def test_inserting_a_paragraph_into_the_seed_keeps_every_other_id() -> None:
    seed = read_file(SEED, SEED.name)
    assert isinstance(seed, Document)
    original, known = anchor([process(seed)], Ledger(), None)
    inserted = Paragraph(n=0, text="An inserted paragraph about nothing.", line=0)
    edited = replace(seed, paragraphs=(seed.paragraphs[0], inserted, *seed.paragraphs[1:]))
    for previous in (Ledger(), known):  # with and without the ledger
        revised, _ = anchor([process(edited)], previous, None)
        old = {p.text: p.id for p in original[0].paragraphs}
        new = {p.text: p.id for p in revised[0].paragraphs}
        assert len(new) == len(old) + 1 and {t: new[t] for t in old} == old
