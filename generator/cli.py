"""The command line: ``podium build``, ``check``, ``events`` and ``inspect``.

Exit codes: 0 when the build succeeded (warnings are printed), 1 when some
input could not be published, 2 when the command itself could not run, 3
when ``--strict`` was given and there were warnings.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import ledger
from .anchor import anchor
from .build import LEDGER, BuildResult, LedgerChanged, build
from .inspect import document_json, timex_json
from .model import Problem, Severity
from .progress import TerminalProgress
from .readers import READERS, read_file
from .readers.decode import ReadError, decode
from .render import TEMPLATES
from .report import report, summary_line
from .search import SearchIndexError
from .sources import process
from .timex import find_timexes
from .write import OutputError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_WARNINGS = 0, 1, 2, 3


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes, 1 or more: {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="podium", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build the site from the seeds folder")
    build_cmd.add_argument(
        "seeds",
        nargs="?",
        default="seeds",
        type=Path,
        help="folder of transcripts (default: seeds)",
    )
    build_cmd.add_argument(
        "-o", "--output", default="site", type=Path, help="output folder (default: site)"
    )
    build_cmd.add_argument("--strict", action="store_true", help="fail on warnings too")
    build_cmd.add_argument(
        "--frozen",
        action="store_true",
        help="fail if the anchor ledger would change (for CI of a published site)",
    )
    build_cmd.add_argument(
        "--ledger", type=Path, default=None, help="the anchor ledger (default: SEEDS/anchors.json)"
    )
    build_cmd.add_argument(
        "--no-search", action="store_true", help="skip the search index (previews, benchmarks)"
    )
    build_cmd.add_argument(
        "--base-url", default=None, help="the site's public URL, overriding site.toml's base_url"
    )
    build_cmd.add_argument(
        "-j", "--jobs", type=_positive, default=None,
        help="processes to build with (default: one per core)",
    )  # fmt: skip
    build_cmd.add_argument(
        "--clean", action="store_true",
        help="ignore what earlier builds cached and build everything again (same output)",
    )  # fmt: skip
    serve_cmd = commands.add_parser("serve", help="build, serve on localhost and rebuild on change")
    serve_cmd.add_argument("seeds", nargs="?", default="seeds", type=Path)
    serve_cmd.add_argument("-o", "--output", default="site", type=Path)
    serve_cmd.add_argument("--port", type=int, default=8000)
    serve_cmd.add_argument("--no-search", action="store_true")
    check_cmd = commands.add_parser(
        "check", help="report unreadable files, unresolved speakers and broken links"
    )
    check_cmd.add_argument("seeds", nargs="?", default="seeds", type=Path)
    check_cmd.add_argument(
        "--site",
        type=Path,
        default=None,
        help="the built site to check for broken links (default: site, if it exists)",
    )
    events_cmd = commands.add_parser(
        "events", help="print the temporal expressions of a text file, one JSON object a line"
    )
    events_cmd.add_argument(
        "--dct",
        required=True,
        type=_dct,
        help="the text's own date and time: YYYY-MM-DD or YYYY-MM-DDTHH:MM",
    )
    events_cmd.add_argument("file", type=Path)
    inspect_cmd = commands.add_parser("inspect", help="print how one transcript is read, as JSON")
    inspect_cmd.add_argument("file", type=Path)
    inspect_cmd.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="the seeds folder the file belongs to (default: its folder); "
        "paragraph ids depend on the file's path in it",
    )
    return parser


def _build(args: argparse.Namespace) -> int:
    if not args.seeds.is_dir():
        print(f"podium: {args.seeds} is not a folder of transcripts", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = build(
            args.seeds,
            args.output,
            base_url=args.base_url,
            frozen=args.frozen,
            ledger_path=args.ledger,
            search=not args.no_search,
            progress=TerminalProgress(),
            jobs=args.jobs,
            incremental=not args.clean,
        )
    except OutputError as exc:
        print(f"podium: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except LedgerChanged as exc:
        print(f"podium: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except SearchIndexError as exc:
        print(f"podium: the search index failed, the previous site is kept: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    report(result, sys.stderr)
    print(summary_line(result, args.output))
    _LAST_BUILD[:] = [result]
    errors, warnings = result.count(Severity.ERROR), result.count(Severity.WARNING)
    if errors:
        return EXIT_PROBLEMS
    return EXIT_WARNINGS if args.strict and warnings else EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    gc.enable()  # runs until stopped (see ``run``)
    if not args.seeds.is_dir():
        print(f"podium: {args.seeds} is not a folder of transcripts", file=sys.stderr)
        return EXIT_USAGE

    def rebuild() -> None:
        try:
            result = build(args.seeds, args.output, search=not args.no_search)
        except (OutputError, OSError) as exc:
            print(f"podium: {exc}", file=sys.stderr)
            return
        report(result, sys.stderr)
        print(summary_line(result, args.output))

    rebuild()
    watched = [args.seeds, TEMPLATES, args.seeds.parent / "site.toml"]
    from .serve import serve  # here: http.server is a twentieth of what a rebuild takes to start

    serve(rebuild, args.output, watched, args.port)
    return EXIT_OK


def _dct(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None


def _events(args: argparse.Namespace) -> int:
    try:
        text = decode(args.file.read_bytes(), newlines=False)
    except OSError as exc:
        print(f"podium: {args.file}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except ReadError as exc:
        where = args.file if exc.line is None else f"{args.file}:{exc.line}"
        print(f"{where}: error: {exc.message}", file=sys.stderr)
        return EXIT_PROBLEMS
    for timex in find_timexes(text, args.dct):
        print(json.dumps(timex_json(timex), ensure_ascii=False))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    if not args.seeds.is_dir():
        print(f"podium: {args.seeds} is not a folder of transcripts", file=sys.stderr)
        return EXIT_USAGE
    site = args.site if args.site is not None else (Path("site") if Path("site").is_dir() else None)
    from .check import check  # here, as ``serve`` is

    problems = check(args.seeds, site)
    for problem in problems:
        print(problem)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    print(
        f"{len(problems)} problems ({errors} errors)"
        + ("" if site is not None else "; no site checked (build it or pass --site)")
    )
    return EXIT_PROBLEMS if problems else EXIT_OK


def _inspect(args: argparse.Namespace) -> int:
    path: Path = args.file
    if path.suffix.lower() not in READERS:
        print(
            f"podium: {path}: not a transcript (expected one of {', '.join(READERS)})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    seeds = args.seeds or path.parent
    try:
        source = path.resolve().relative_to(seeds.resolve()).as_posix()
    except ValueError:
        source = path.name
    result = read_file(path, source)
    if isinstance(result, Problem):
        print(str(result).replace(source, str(path), 1), file=sys.stderr)
        return EXIT_PROBLEMS
    for problem in result.problems:
        print(problem, file=sys.stderr)
    known, _ = ledger.load(seeds / LEDGER)  # so that the ids are the site's
    anchored, _ = anchor([process(result)], known, None)
    json.dump(document_json(anchored[0]), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


_LAST_BUILD: list[BuildResult] = []
"""The last build's result, kept for :func:`run` to exit without freeing it."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    commands = {
        "build": _build,
        "check": _check,
        "events": _events,
        "inspect": _inspect,
        "serve": _serve,
    }
    try:
        return commands[args.command](args)
    except BrokenPipeError:  # the reader of our output (e.g. `head`) stopped reading
        sys.stderr.close()
        return EXIT_OK


def run() -> NoReturn:
    """The ``podium`` command: :func:`main`, then end the process at once.

    A build leaves the whole archive in memory, millions of objects at
    30,000 transcripts. Once it returns, the cyclic collector would walk them
    all (it is off during a build, see ``build``) and the interpreter would
    then free them one by one on its way out: together about 0.8 s of an 11 s
    rebuild, for nothing anyone sees. So the collector stays off (``serve``,
    which runs on, turns it back on), output is flushed, exit handlers run,
    and the process ends, as mypy's does.
    """
    gc.disable()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or a reader that stopped
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)
