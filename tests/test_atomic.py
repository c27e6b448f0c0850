"""Atomic, safe, reproducible output."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jinja2
import pytest

from generator import write
from generator.build import build
from generator.cache import folder_for
from generator.render import TEMPLATES
from generator.write import Staging
from tests.conftest import SEED, require_kremlin


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _podium_build(seeds: Path, out: Path, *extra: str, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(seeds), "-o", str(out), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **env},
    )  # fmt: skip


def test_a_build_killed_at_any_moment_leaves_the_previous_site(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for n in range(150):  # enough work that a kill lands in every stage
        (seeds / f"d{n:03d}.txt").write_text(
            text.replace("21 november", f"{1 + n % 28} march"), "utf-8"
        )
    out = tmp_path / "site"
    assert _podium_build(seeds, out).wait() == 0
    before = _tree(out)
    ledger = (seeds / "anchors.json").read_bytes()
    (seeds / "d000.txt").write_text("A new title\n" + text.split("\n", 1)[1], encoding="utf-8")
    with tempfile.TemporaryDirectory() as elsewhere:  # the site the new seeds make, for reference
        shutil.copytree(seeds, Path(elsewhere) / "seeds")
        assert _podium_build(Path(elsewhere) / "seeds", Path(elsewhere) / "site").wait() == 0
        after = _tree(Path(elsewhere) / "site")
    assert "2020/11/21/a-new-title/index.html" in after
    for delay in (0.05, 0.3, 0.8, 1.5, 2.5, 4.0):
        build = _podium_build(seeds, out)
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait()
        current = _tree(out)
        if current != before:  # the kill came after the swap: the new site, whole
            assert current == after, delay
            assert any(path.startswith("pagefind/") for path in current)
            before = current
        assert {p.name for p in tmp_path.iterdir()} <= {"seeds", "site"} | {
            p.name for p in tmp_path.glob(".site.podium-*")
        }
    assert _podium_build(seeds, out).wait() == 0  # and the next build cleans up
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds", "site"]
    assert not list(seeds.glob(".anchors.json.*"))
    assert not list(folder_for(out).glob("site.*"))  # nor copies of the site, half made
    assert (seeds / "anchors.json").read_bytes() != ledger


def test_never_writes_outside_the_output_or_into_a_folder_it_did_not_make(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine", encoding="utf-8")
    assert _podium_build(seeds, mine, "--no-search").wait() == 2
    assert [p.name for p in mine.iterdir()] == ["keep.txt"]
    assert _podium_build(seeds, tmp_path / "site", "--no-search").wait() == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "seeds", "site"]


def test_two_clean_builds_of_the_kremlin_corpus_are_byte_identical(tmp_path: Path) -> None:
    corpus = require_kremlin()
    trees = []
    for n, seed in enumerate(("1", "4242")):
        work = tmp_path / f"work{n}"
        work.mkdir()
        run = subprocess.run(
            [sys.executable, "-m", "generator", "build", str(corpus), "-o", str(work / "site"),
             "--ledger", str(work / "anchors.json")],
            cwd=work, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr[-2000:]
        trees.append(_tree(work / "site"))
        trees.append(
            {"anchors.json": hashlib.sha256((work / "anchors.json").read_bytes()).hexdigest()}
        )
    first, second = trees[0], trees[2]
    assert first == second  # Pagefind's index too: its filter files are put in order
    assert trees[1] == trees[3]  # the ledger
    assert any(name.startswith("pagefind/2020/fragment/") for name in first)
    assert any(name.startswith("pagefind/2020/filter/") for name in first)
    assert len(first) > 60_000


def test_the_search_index_is_the_same_bytes_on_every_build(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    names = ["Anna Petrova", "Boris Orlov", "Chen Wei", "Dara Smith", "Emil Novak", "Fatima Aziz"]
    for n in range(36):  # many filter values: Pagefind writes them in a new order each run
        (seeds / f"d{n:02d}.txt").write_text(
            f"Meeting {n}\n\n{1 + n % 28} march {2010 + n % 9}\n\n"
            f"{names[n % 6]}: Opening words number {n}.\n\n{names[(n + 1) % 6]}: Thank you.\n",
            encoding="utf-8",
        )
    indexes = []
    for name in ("a", "b", "c"):
        assert _podium_build(seeds, tmp_path / name).wait() == 0
        tree = _tree(tmp_path / name)
        indexes.append({path: hashed for path, hashed in tree.items() if "pagefind/" in path})
    assert indexes[0] == indexes[1] == indexes[2]
    filters = [path.split("/")[1] for path in indexes[0] if path.split("/")[2] == "filter"]
    assert sorted(filters) == sorted(str(year) for year in range(2010, 2019) for _ in "ab")


@pytest.mark.parametrize("epoch", ["1700000000"])
def test_dates_come_from_the_transcripts_or_source_date_epoch(tmp_path: Path, epoch: str) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    assert _podium_build(seeds, tmp_path / "a", "--no-search").wait() == 0
    text = (seeds / SEED.name).read_text(encoding="utf-8")
    (seeds / SEED.name).write_text(text.replace("Dear members", "Dear esteemed members"), "utf-8")
    assert _podium_build(seeds, tmp_path / "b", "--no-search", SOURCE_DATE_EPOCH=epoch).wait() == 0
    ledger = (seeds / "anchors.json").read_text(encoding="utf-8")
    assert '"date": "2023-11-14"' in ledger  # the revision, dated by SOURCE_DATE_EPOCH
    today = time.strftime("%Y-%m-%d")
    for page in (tmp_path / "b").rglob("*"):
        if page.is_file() and page.suffix in (".html", ".xml", ".json", ".js"):
            assert today not in page.read_text(encoding="utf-8"), page


def test_a_file_written_in_pieces_is_the_file_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whole-site files (the timeline's JSON) are streamed; they must still carry over."""
    monkeypatch.setattr(write, "_BATCH", 7)  # several batches
    out = tmp_path / "site"
    text = "Переговоры, 1 May. " * 40
    first = Staging(out)
    whole = first.put("data/timeline.json", text)
    first.put("data/speakers.json", "[]")
    with first.commit() as manifest:
        pass
    inode = (out / "data/timeline.json").stat().st_ino
    second = Staging(out, manifest)
    assert second.put("data/timeline.json", iter(["Переговоры, 1 May. ".encode()] * 40)) == whole
    changed = second.put("data/speakers.json", (p.encode() for p in ["[", "«a»", "]"]))
    assert changed[0] != manifest["data/speakers.json"][0]
    with second.commit():
        pass
    assert (out / "data/timeline.json").stat().st_ino == inode  # the very file, mtime kept
    assert (out / "data/speakers.json").read_text(encoding="utf-8") == "[«a»]"
    assert sorted(p.name for p in (out / "data").iterdir()) == ["speakers.json", "timeline.json"]


def test_a_build_that_fails_leaves_the_ledger_as_it_was(seeds: Path, tmp_path: Path) -> None:
    """The new ledger is written beside the old before the pages; a failure must remove it."""
    build(seeds, tmp_path / "site", search=False)
    ledger = (seeds / "anchors.json").read_bytes()
    source = seeds / SEED.name
    source.write_text(source.read_text(encoding="utf-8") + "\nA paragraph added.\n", "utf-8")
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "speaker.html").write_text("{% for %}", encoding="utf-8")
    with pytest.raises(jinja2.TemplateSyntaxError):
        build(seeds, tmp_path / "site", templates=templates, search=False)
    assert (seeds / "anchors.json").read_bytes() == ledger
    assert sorted(p.name for p in seeds.iterdir()) == [SEED.name, "anchors.json"]
    build(seeds, tmp_path / "site", search=False)
    assert b"A paragraph added." in (seeds / "anchors.json").read_bytes()


def test_a_ledger_that_cannot_be_written_is_an_error_and_the_site_is_built(
    seeds: Path, tmp_path: Path
) -> None:
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    result = build(seeds, tmp_path / "site", search=False,
                   ledger_path=tmp_path / "not-a-folder" / "anchors.json")  # fmt: skip
    messages = [p.message for p in result.problems]
    assert messages == ["cannot write the anchor ledger: Not a directory"]
    assert (tmp_path / "site" / "index.html").is_file()


def test_a_folder_where_the_ledger_goes_is_an_error_and_is_left_as_it_is(
    seeds: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ledger" / "anchors.json"
    folder.mkdir(parents=True)
    (folder / "mine.txt").write_text("keep", encoding="utf-8")
    result = build(seeds, tmp_path / "site", search=False, ledger_path=folder)
    messages = [p.message for p in result.problems]
    assert messages == ["cannot write the anchor ledger: Is a directory"]
    assert (folder / "mine.txt").read_text(encoding="utf-8") == "keep"
    assert [p.name for p in folder.parent.iterdir()] == ["anchors.json"]


def test_a_build_removes_the_ledgers_that_killed_builds_left(seeds: Path, tmp_path: Path) -> None:
    finished = subprocess.Popen(["true"])
    finished.wait()  # its pid is nobody's now
    with subprocess.Popen(["sleep", "60"]) as running:
        for pid in (finished.pid, running.pid):
            (seeds / f".anchors.json.podium-{pid}").write_bytes(b"{")
        build(seeds, tmp_path / "site", search=False)
        running.kill()
    left = sorted(p.name for p in seeds.iterdir())
    assert left == [f".anchors.json.podium-{running.pid}", SEED.name, "anchors.json"]


def _files(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` and its inode."""
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def test_a_linked_copy_of_the_site_becomes_the_spare_or_leaves_nothing(tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    (out / "2020" / "page").mkdir(parents=True)
    (out / write.MARK).write_text("mark", encoding="utf-8")
    (out / "2020" / "page" / "index.html").write_text("<p>page</p>", encoding="utf-8")
    (out / "404.html").write_text("<p>gone</p>", encoding="utf-8")
    done = subprocess.Popen(["true"])
    done.wait()
    (cache / f"site.podium-{done.pid}" / "2020").mkdir(parents=True)  # a killed build's
    (cache / f"site.podium-{os.getppid()}").mkdir()  # a build still running
    copy = write.LinkedCopy(out, cache / "site")
    assert copy.finish()
    assert _files(cache / "site") == _files(out)  # the very files, linked
    assert len(_files(out)) == 3
    assert sorted(p.name for p in cache.iterdir()) == ["site", f"site.podium-{os.getppid()}"]
    assert not write.LinkedCopy(out, cache / "site").finish()  # the place is taken
    assert _files(cache / "site") == _files(out)
    stopped = write.LinkedCopy(out, cache / "other")
    stopped.cancel()
    assert not stopped.finish()
    assert sorted(p.name for p in cache.iterdir()) == ["site", f"site.podium-{os.getppid()}"]
