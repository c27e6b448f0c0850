"""``podium check``: unresolved speakers and broken links are found and reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import broken_links
from generator.cli import main
from tests.conftest import write_seeds


def test_checker_finds_broken_links_and_anchors(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<!DOCTYPE html><p id="here"><a href="a/index.html#there">ok</a>\n'
        '<a href="a/index.html#nowhere">bad anchor</a>\n<a href="missing/">bad</a>\n'
        '<a href="#here">self</a> <a href="https://example.org/x">external</a>'
        '<a href="../../etc/passwd">outside</a>',
        encoding="utf-8",
    )
    (site / "a" / "index.html").write_text('<p id="there">x</p>', encoding="utf-8")
    found = [(p.path, p.line, p.message) for p in broken_links(site)]
    assert found == [
        ("index.html", 2, "no anchor for 'a/index.html#nowhere'"),
        ("index.html", 3, "broken link 'missing/'"),
        ("index.html", 4, "broken link '../../etc/passwd'"),
    ]


def test_check_lists_unresolved_speakers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = write_seeds(
        tmp_path,
        {
            "un.txt": (
                "General Assembly\n\n2 March 2021\n\nThe PRESIDENT: The meeting is open.\n\n"
                "Question: When?\n\nMr. ADODO (Togo): Thank you.\n"
            )
        },
    )
    assert main(["build", str(seeds), "-o", str(tmp_path / "site")]) == 0
    assert main(["check", str(seeds), "--site", str(tmp_path / "site")]) == 1
    out = capsys.readouterr().out
    assert "un.txt:5: warning: speaker not resolved: 'The PRESIDENT'" in out
    assert "Question" not in out and "ADODO" not in out
    (seeds / "people.toml").write_text(
        '[[person]]\nname = "Volkan Bozkir"\nroles = [{ title = "President" }]\n', encoding="utf-8"
    )
    assert main(["check", str(seeds), "--site", str(tmp_path / "site")]) == 0
