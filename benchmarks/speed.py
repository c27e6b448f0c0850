"""Build speed and memory: Podium against Hugo, Pelican and MkDocs, in one run.

Run: ``.venv/bin/python -m benchmarks.speed [--sizes 3000,30000] [--runs 3]``
(the peers come with ``pip install -e '.[bench]'``).

For each size it builds the same transcripts with every tool: the 3,000
Kremlin transcripts, and 30,000 made from them (ten copies of each, titles and
dates made distinct). The peers build the transcripts converted to Markdown
with front matter, each with a minimal theme (see ``peers.py``). Tools take
turns run by run, and each figure is the median of ``--runs`` runs.

Podium is measured five ways: a clean build (no output, no cache, no ledger,
search index off), a rebuild with nothing changed, a rebuild after one
transcript changed, a rebuild after one more changed, and a clean build from
the ledger those left (no output, no cache), as a build in CI from a checkout of
the seeds does, and the first build after an upgrade of Podium. The first rebuild
after a clean build has no spare site to start from (see ``generator/write.py``);
the second has, as a maintainer's later rebuilds do. Search indexing is measured
on its own line, as the extra time of a clean build with the Pagefind index (at
the sizes in ``--search``), and so is a rebuild after one transcript changed with
the index on, as ``podium build`` does by default. Podium's modules are
compiled to bytecode first, as ``pip install`` does: the peers are installed
that way.

Memory is the peak, over the build, of the proportional set size (PSS) summed
over the build's process and its children: forked workers share pages, and
PSS counts a shared page once, where summing RSS would count it per process.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.peers import write_projects

ROOT = Path(__file__).resolve().parent.parent
KREMLIN = ROOT.parent / "shared" / "corpus" / "kremlin"
PODIUM = Path(sys.executable).parent / "podium"


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mb: float


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as stream:
                    queue.extend(int(child) for child in stream.read().split())
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            for line in stream:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> Sample:
    """Run ``command``; its wall time and the peak PSS of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=env)  # fmt: skip
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_pss_kb(pid) for pid in _tree(process.pid)))
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({process.returncode}): {stderr.decode()[-2000:]}")
    return Sample(seconds, peak / 1024)


def make_corpus(size: int, folder: Path) -> list[Path]:
    """``size`` transcripts in ``folder``: the Kremlin ones, then copies, retitled and redated."""
    sources = sorted(KREMLIN.glob("*.txt"))
    folder.mkdir(parents=True)
    made: list[Path] = []
    for copy in range(-(-size // len(sources))):
        for source in sources:
            if len(made) == size:
                return made
            target = folder / (source.name if copy == 0 else f"{source.stem}-{copy}.txt")
            text = source.read_text(encoding="utf-8")
            if copy:
                text = _distinct(text, copy)
            target.write_text(text, encoding="utf-8")
            made.append(target)
    return made


def _distinct(text: str, copy: int) -> str:
    """The transcript with "(copy N)" in its title and its date moved N weeks on."""
    lines = text.split("\n")
    lines[0] = f"{lines[0]} (copy {copy})"
    for index, line in enumerate(lines[1:4], start=1):
        try:
            day, _, rest = line.partition(",")
            date = dt.datetime.strptime(day.strip(), "%d %B %Y").date()
        except ValueError:
            continue
        moved = date + dt.timedelta(weeks=copy)
        lines[index] = f"{moved.day} {moved:%B} {moved.year}".lower() + (f",{rest}" if rest else "")
        break
    return "\n".join(lines)


def _edit(path: Path, run: int) -> None:
    """Change one word-level thing in a transcript, differently on every run."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f" Corrected in revision {run}.\n", encoding="utf-8")


CLEAN = "Podium, clean build"
NO_CHANGE = "Podium, no-change rebuild"
ONE_CHANGE = "Podium, one transcript changed"
ONE_MORE = "Podium, one more transcript changed"
FROM_LEDGER = "Podium, clean build from its ledger"
WITH_SEARCH = "Podium, clean build with search"
CHANGE_WITH_SEARCH = "Podium, one transcript changed, with search"
Tool = Callable[[int], dict[str, Sample]]  # run number -> measurements by name


Result = tuple[str, Sample, float, tuple[float, float]]
"""What was measured, its median sample, documents per second, and the fastest and slowest
run's seconds: this machine is noisy, and the spread says how much."""


def bench(size: int, runs: int, search: bool, work: Path) -> list[Result]:
    """Every measurement at one size (see :data:`Result`)."""
    corpus = work / f"corpus-{size}"
    sources = make_corpus(size, corpus)
    peers = write_projects(sources, work / f"peers-{size}")
    out, ledger = work / f"site-{size}", work / f"anchors-{size}.json"
    podium = [str(PODIUM), "build", str(corpus), "-o", str(out), "--ledger", str(ledger)]
    cache = work / f"cache-{size}"  # Podium's build cache, in place of the user's
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}

    def clean_podium(extra: list[str], keep_ledger: bool = False) -> Sample:
        for leftover in (out, cache):
            shutil.rmtree(leftover, ignore_errors=True)
        if not keep_ledger:
            ledger.unlink(missing_ok=True)
        return measure(podium + extra, env=env)

    def podium_series(run: int) -> dict[str, Sample]:
        clean = clean_podium(["--no-search"])
        unchanged = measure([*podium, "--no-search"], env=env)
        _edit(sources[len(sources) // 2], run)
        changed = measure([*podium, "--no-search"], env=env)
        _edit(sources[len(sources) // 3], run)
        again = measure([*podium, "--no-search"], env=env)
        from_ledger = clean_podium(["--no-search"], keep_ledger=True)
        return {CLEAN: clean, NO_CHANGE: unchanged, ONE_CHANGE: changed, ONE_MORE: again,
                FROM_LEDGER: from_ledger}  # fmt: skip

    def peer_build(key: str, name: str, command: list[str], output: Path) -> Tool:
        def run(_: int) -> dict[str, Sample]:
            shutil.rmtree(output, ignore_errors=True)
            return {f"{name}, clean build": measure(command)}

        return run

    tools: list[Tool] = [podium_series]
    for key, peer in peers.items():
        project = work / f"peers-{size}" / key
        tools.append(peer_build(key, peer.name, list(peer.command), project / peer.output))

    def search_series(run: int) -> dict[str, Sample]:
        clean = clean_podium([])
        _edit(sources[len(sources) // 4], run)
        return {WITH_SEARCH: clean, CHANGE_WITH_SEARCH: measure(podium, env=env)}

    if search:
        tools.append(search_series)
    samples: dict[str, list[Sample]] = {}
    for run in range(runs):
        for tool in tools[run % len(tools) :] + tools[: run % len(tools)]:
            for name, sample in tool(run).items():
                samples.setdefault(name, []).append(sample)
                print(f"  {size} run {run + 1}: {name}: {sample.seconds:.2f} s", file=sys.stderr)
    results = []
    for name, taken in samples.items():
        median = Sample(statistics.median(s.seconds for s in taken),
                        statistics.median(s.peak_mb for s in taken))  # fmt: skip
        spread = (min(s.seconds for s in taken), max(s.seconds for s in taken))
        results.append((name, median, size / median.seconds, spread))
    return results


def table(size: int, results: list[Result]) -> str:
    """The figures of one size as a Markdown table, with Podium's ratio to each peer."""
    clean = next(s for n, s, _, _ in results if n == CLEAN)
    lines = [
        f"\n{size:,} transcripts",
        "",
        "| Build | Wall s | Runs s | Docs/s | Peak MB | Podium clean ÷ this |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, sample, rate, (fastest, slowest) in results:
        ratio = f"{clean.seconds / sample.seconds:.2f}" if not name.startswith("Podium") else ""
        lines.append(f"| {name} | {sample.seconds:.2f} | {fastest:.2f}–{slowest:.2f} | {rate:,.0f} "
                     f"| {sample.peak_mb:,.0f} | {ratio} |")  # fmt: skip
    search = next((s for n, s, _, _ in results if n == WITH_SEARCH), None)
    lines.append("")  # else Markdown takes the next line for a row of the table
    if search is not None:
        lines.append(f"Search indexing (Pagefind) adds {search.seconds - clean.seconds:.2f} s "
                     f"to the clean build; peak {search.peak_mb:,.0f} MB with it.")  # fmt: skip
    no_change = next(s for n, s, _, _ in results if n.endswith("no-change rebuild"))
    lines.append(
        f"No-change rebuild: {100 * no_change.seconds / clean.seconds:.1f}% of a clean build."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="3000,30000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--search", default="3000", help="sizes to measure search indexing at")
    args = parser.parse_args()
    if not KREMLIN.is_dir():
        raise SystemExit(f"the Kremlin corpus is not at {KREMLIN}")
    print(f"{os.cpu_count()} cores; medians of {args.runs} runs", file=sys.stderr)
    # as ``pip install`` does for a regular install: else, with PYTHONDONTWRITEBYTECODE set,
    # every run of an editable install compiles Podium's modules again
    compileall.compile_dir(ROOT / "generator", quiet=1)
    with tempfile.TemporaryDirectory(prefix="podium-bench-") as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            results = bench(size, args.runs, str(size) in args.search.split(","), Path(folder))
            print(table(size, results), flush=True)


if __name__ == "__main__":
    main()
