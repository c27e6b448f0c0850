from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_cd29b1cf06a80073.txt"
SHARED = ROOT.parent / "shared"
KREMLIN = SHARED / "corpus" / "kremlin"


@pytest.fixture(autouse=True, scope="session")
def _build_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds under test (and the podium processes they start) cache in a scratch folder."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


def write_seeds(root: Path, files: dict[str, str]) -> Path:
    """A seeds folder under ``root`` holding ``files`` (name to UTF-8 text)."""
    folder = root / "seeds"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


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


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright; skipped where absent, except in CI."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have Playwright and /usr/bin/chromium for the browser tests")
        pytest.skip("Playwright or Chromium is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def serve():  # type: ignore[no-untyped-def]
    """Serve a folder on localhost (optionally under a subpath); yields a function folder -> URL."""
    import functools
    import http.server
    import threading

    servers = []

    def start(folder: Path, subpath: str = "") -> str:
        root = folder
        if subpath:
            root = folder.parent / f"served-{folder.name}"
            (root / subpath).parent.mkdir(parents=True, exist_ok=True)
            if not (root / subpath).exists():
                (root / subpath).symlink_to(folder.resolve(), target_is_directory=True)
        handler = functools.partial(_QuietHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/{subpath + '/' if subpath else ''}"

    yield start
    for server in servers:
        server.shutdown()


class _QuietHandler(__import__("http.server").server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def kremlin_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """The Kremlin corpus built once for the session (without the search index)."""
    from generator.build import build

    corpus = require_kremlin()
    root = tmp_path_factory.mktemp("kremlin")
    result = build(corpus, root / "site", ledger_path=root / "anchors.json", search=False)
    return root / "site", result
