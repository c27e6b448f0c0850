"""Hostile input: every broken file builds correctly or is reported once, and the rest builds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.attribute import attribute
from generator.model import Document, Problem
from generator.readers import read_bytes
from generator.readers.markdown import read_markdown
from generator.readers.text import read_text
from tests.htmlcheck import document_pages, parse

HOSTILE = Path(__file__).parent / "hostile"

ERRORS = {  # file -> (line, words of the reason)
    "empty.txt": (None, "the file is empty"),
    "binary.txt": (1, "looks like a binary file"),
    "invalid-utf8.txt": (7, "not UTF-8"),
    "latin1.txt": (1, "not UTF-8"),
    "people.toml": (6, "needs a 'name'"),
}
WARNINGS = {
    "no-dateline.txt": (1, "no dateline"),
    "impossible-date.txt": (3, "impossible date"),
    "title-only.txt": (1, "no dateline"),
    "control-chars.txt": (1, "control characters replaced"),
}


def _podium(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True,
                          text=True, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def hostile_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = tmp_path_factory.mktemp("hostile")
    seeds = root / "seeds"
    shutil.copytree(HOSTILE, seeds)
    (seeds / "huge-paragraph.txt").write_text(
        "One huge paragraph\n\n2 March 2021\n\n" + "word " * 400_000 + "\n", encoding="utf-8"
    )
    (seeds / "fifty-thousand.txt").write_text(
        "Fifty thousand paragraphs\n\n2 March 2021\n\n"
        + "\n\n".join(f"Paragraph {i}, said in 2019." for i in range(50_000))
        + "\n",
        encoding="utf-8",
    )
    run = _podium("build", str(seeds), "-o", str(root / "site"), "--no-search")
    return root / "site", run


def test_each_bad_file_is_reported_once_with_its_line_and_reason(hostile_build) -> None:  # type: ignore[no-untyped-def]
    _, run = hostile_build
    assert "Traceback" not in run.stderr and run.returncode == 1  # errors, and the site built
    lines = [line for line in run.stderr.splitlines() if not line.startswith(("Summary", "  "))]
    for expected, severity in ((ERRORS, "error"), (WARNINGS, "warning")):
        for name, (line, reason) in expected.items():
            mine = [entry for entry in lines if entry.startswith(name + ":")]
            assert len(mine) == 1, (name, mine)
            where = name if line is None else f"{name}:{line}"
            assert mine[0].startswith(f"{where}: {severity}: ") and reason in mine[0], mine[0]
    reported = {entry.split(":")[0] for entry in lines}
    assert reported == set(ERRORS) | set(WARNINGS)


def test_the_rest_builds_correctly(hostile_build) -> None:  # type: ignore[no-untyped-def]
    site, run = hostile_build
    assert run.stdout.startswith("16 documents, 50")
    paths = {p.relative_to(site).as_posix() for p in document_pages(site)}
    assert "2021/03/02/same-meeting/index.html" in paths
    assert "2021/03/02/same-meeting-2/index.html" in paths
    assert "2021/03/02/etc-passwd/index.html" in paths  # the traversal title is just a slug
    assert "2020/11/21/ilham-eliyev-shoigunu-qebul-etdi/index.html" in paths
    assert "2020/11/21/vstrecha-s-shoygu/index.html" in paths
    assert not (site.parent / "etc").exists()
    crlf = parse(site / "2021/03/02/windows-meeting/index.html")
    assert "Good morning." in " ".join(crlf.texts)
    utf16 = site / "2021/03/02/utf-16-meeting/index.html"
    assert "Vladimir Putin" in utf16.read_text(encoding="utf-8")
    control = (site / "2021/03/02/control-title/index.html").read_text(encoding="utf-8")
    assert "\x07" not in control and "\x1b" not in control and "\ufffd" in control
    many = document_pages(site)
    assert any(p.stat().st_size > 2_000_000 for p in many)


def test_strict_makes_warnings_fail(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(HOSTILE / "no-dateline.txt", seeds)
    assert _podium("build", str(seeds), "-o", str(tmp_path / "a"), "--no-search").returncode == 0
    strict = _podium("build", str(seeds), "-o", str(tmp_path / "b"), "--no-search", "--strict")
    assert strict.returncode == 3 and "Traceback" not in strict.stderr


def _visible(text: str) -> list[str]:
    """The characters that are not white space, sorted: what must survive reading."""
    return sorted(c for c in text if not c.isspace())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=400))
def test_reading_never_raises_and_loses_or_duplicates_nothing(text: str) -> None:
    result = read_bytes(text.encode("utf-8"), "t.txt", read_text)
    if isinstance(result, Problem):
        assert result.message and not text.strip()
        return
    document = attribute(result)
    lines = [line for line in text.split("\n") if line.strip()]
    body = lines[2:] if document.date is not None else lines[1:]
    kept = [t.marker for t in document.turns] + [p.text for p in document.paragraphs]
    assert _visible(lines[0]) == _visible(document.title)
    assert _visible("".join(kept)) == _visible("".join(body))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_markdown_reading_never_raises(text: str) -> None:
    result = read_bytes(("---\ntitle: t\ndate: 2021-03-02\n---\n" + text).encode(), "t.md",
                        read_markdown)  # fmt: skip
    assert isinstance(result, (Document, Problem))
    if isinstance(result, Document):
        attribute(result)
