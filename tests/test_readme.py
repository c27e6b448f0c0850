"""The README's two commands are what CI and users run."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_readme_opens_with_the_build_and_test_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    build, test = re.findall(r"```sh\n(.*?)\n```", readme, re.S)[:2]
    assert "pip install" in build and "podium build seeds -o site" in build
    assert "pip install" in test and "pytest" in test and "ruff" in test and "mypy" in test
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").count("blocks[1]") == 1
