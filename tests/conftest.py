from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_cd29b1cf06a80073.txt"
SHARED = ROOT.parent / "shared"
KREMLIN = SHARED / "corpus" / "kremlin"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A seeds folder holding a copy of the reference transcript."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


def require_kremlin() -> Path:
    """The Kremlin corpus; skip where ../shared is absent (a user's clone), never in CI."""
    if not KREMLIN.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have ../shared/corpus/kremlin beside the clone")
        pytest.skip("../shared/corpus/kremlin is absent")
    return KREMLIN
