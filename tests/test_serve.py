"""``podium serve``: serves the site, rebuilds on change, and tells the open page to reload."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

from tests.conftest import SEED


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str:
    with urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def _wait(condition, seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_serve_rebuilds_on_change_and_reloads(seeds: Path, tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(seeds), "-o", str(tmp_path / "site"),
         "--port", str(port), "--no-search"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait(lambda: "Ilham Aliyev has received" in _get(base))
        assert "/__podium/version" in _get(base)  # the reload script, added by the server
        assert "__podium" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
        version = _get(base + "__podium/version")
        text = (seeds / SEED.name).read_text(encoding="utf-8")
        (seeds / SEED.name).write_text("A changed title\n" + text.split("\n", 1)[1], "utf-8")
        _wait(lambda: _get(base + "__podium/version") != version)
        assert "A changed title" in _get(base)
    finally:
        server.terminate()
        server.wait(timeout=10)
