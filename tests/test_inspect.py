"""``podium inspect``: the parsed seed as JSON."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import SEED


def inspect(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "inspect", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_seed_reads_as_specified() -> None:
    run = inspect(str(SEED))
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["title"] == (
        "Ilham Aliyev has received a delegation led by the Minister of "
        "Defense of the Russian Federation Sergei Shoigu"
    )
    assert (result["date"], result["time"]) == ("2020-11-21", "16:00")
    paragraphs = result["paragraphs"]
    assert [p["n"] for p in paragraphs] == list(range(1, 15))
    assert [p["turn"] for p in paragraphs] == [None] + [0] * 11 + [1] * 2
    assert [p["label"] for p in paragraphs] == (
        [None] + ["President Ilham Aliyev"] * 11 + ["Russian Defense Minister Sergei Shoigu"] * 2
    )
    assert paragraphs[1]["text"] == "Dear Mr. Minister."
    assert paragraphs[12]["text"].startswith("Thank you, dear Mr. President.")
    assert (paragraphs[1]["speaker"], paragraphs[1]["role"]) == ("Ilham Aliyev", "President")
    assert (paragraphs[12]["speaker"], paragraphs[12]["role"]) == (
        "Sergei Shoigu",
        "Russian Defense Minister",
    )
    assert paragraphs[0]["speaker"] is None  # the lead is narration
    assert len({p["id"] for p in paragraphs}) == 14
    assert set(paragraphs[0]) == {"n", "id", "text", "turn", "label", "speaker", "role", "events"}


def test_inspect_reports_an_unreadable_file_with_its_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Title\n\xfa")
    run = inspect(str(bad))
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.startswith(f"{bad}:2: error: not UTF-8")
    assert "Traceback" not in run.stderr
