"""``podium serve``: build, serve on localhost, rebuild on change, reload the open page.

The built files are the same as ``podium build`` writes; the live-reload
script is added to HTML responses by the server, not written to the site.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable
from pathlib import Path

RELOAD = (
    b"<script>(function(){var v=null;setInterval(function(){fetch('/__podium/version')"
    b".then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v)location.reload();"
    b"v=t}).catch(function(){})},1000)})();</script>"
)


class _Handler(http.server.SimpleHTTPRequestHandler):
    version: Callable[[], int] = staticmethod(lambda: 0)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/__podium/version":
            self._send(str(self.version()).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = path.read_bytes().replace(b"</body>", RELOAD + b"</body>", 1)
            self._send(body, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _snapshot(paths: list[Path]) -> dict[Path, float]:
    seen = {}
    for root in paths:
        if root.is_file():
            seen[root] = root.stat().st_mtime
        elif root.is_dir():
            for path in root.rglob("*"):
                if path.is_file() and not path.name.startswith("."):
                    seen[path] = path.stat().st_mtime
    return seen


def serve(
    rebuild: Callable[[], None],
    out: Path,
    watched: list[Path],
    port: int = 8000,
    interval: float = 1.0,
) -> None:
    """Serve ``out`` on 127.0.0.1:``port`` and call ``rebuild`` when a watched file changes."""
    version = [1]
    handler = functools.partial(_Handler, directory=str(out))
    _Handler.version = staticmethod(lambda: version[0])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {out} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    before = _snapshot(watched)
    try:
        while True:
            time.sleep(interval)
            now = _snapshot(watched)
            if now != before:
                before = now
                rebuild()
                version[0] += 1
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
