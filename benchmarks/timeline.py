"""The dating stage, measured: the seed, TempEval-3 platinum, and speed on the Kremlin corpus.

Run: ``.venv/bin/python -m benchmarks.timeline [--show-errors]``.

TempEval-3: DATE expressions only. A predicted DATE whose span overlaps a
gold DATE is a match (extraction); a match whose value string equals the
gold value is correct (value). Only the <TEXT> of each article is tagged.
The articles are read from ../shared/eval at run time and never copied.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
import time
from pathlib import Path

from generator.sources import read_seeds
from generator.timex import find_timexes

ROOT = Path(__file__).resolve().parent.parent
TE3 = ROOT.parent / "shared" / "eval" / "te3-platinum"
KREMLIN = ROOT.parent / "shared" / "corpus" / "kremlin"
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')

SEED_EXPECTED = [
    ("Yesterday", "DATE", "2020-11-20", None),
    ("Today", "DATE", "2020-11-21", None),
    ("three months ago", "DATE", "2020-08", None),
    ("July", "DATE", "2020-07", None),
    ("August", "DATE", "2020-08", None),
    ("the end of August", "DATE", "2020-08", "END"),
    ("late September", "DATE", "2020-09", "END"),
    ("44 days", "DURATION", "P44D", None),
    ("16:00", "TIME", "2020-11-21T16:00", None),
]


def read_tml(path: Path) -> tuple[str, dt.datetime, list[tuple[int, int, str, str]]]:
    """The plain text of <TEXT>, the DCT, and the gold TIMEX3s as (start, end, type, value)."""
    source = path.read_text(encoding="utf-8")
    dct_value = re.search(r'<DCT><TIMEX3[^>]*value="([^"]+)"', source)
    assert dct_value is not None
    dct = dt.datetime.fromisoformat(dct_value.group(1)[:10])
    body = source[source.index("<TEXT>") + 6 : source.index("</TEXT>")]
    plain: list[str] = []
    length = 0
    gold = []
    open_timex: tuple[int, dict[str, str]] | None = None
    position = 0
    for match in _TAG.finditer(body):
        chunk = html.unescape(body[position : match.start()])
        plain.append(chunk)
        length += len(chunk)
        position = match.end()
        closing, name, attributes = match.groups()
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(attributes)))
        elif open_timex is not None:
            start, attrs = open_timex
            gold.append((start, length, attrs["type"], attrs["value"]))
            open_timex = None
    plain.append(html.unescape(body[position:]))
    return "".join(plain), dct, gold


def tempeval(show_errors: bool) -> list[str]:
    predicted_total = gold_total = matched_pred = matched_gold = correct = 0
    errors = []
    for path in sorted(TE3.glob("*.tml")):
        text, dct, gold = read_tml(path)
        gold_dates = [g for g in gold if g[2] == "DATE"]
        predicted = [t for t in find_timexes(text, dct) if t.type == "DATE"]
        predicted_total += len(predicted)
        gold_total += len(gold_dates)
        for p in predicted:
            overlapping = [g for g in gold_dates if p.start < g[1] and g[0] < p.end]
            if overlapping:
                matched_pred += 1
            elif show_errors:
                errors.append(f"  false: {path.name}: {p.text!r} {p.value}")
        for g in gold_dates:
            found = [p for p in predicted if p.start < g[1] and g[0] < p.end]
            if found:
                matched_gold += 1
                if any(p.value == g[3] for p in found):
                    correct += 1
                elif show_errors:
                    got = ", ".join(p.value for p in found)
                    errors.append(
                        f"  value: {path.name}: {text[g[0] : g[1]]!r} gold {g[3]}, got {got}"
                    )
            elif show_errors:
                errors.append(f"  missed: {path.name}: {text[g[0] : g[1]]!r} {g[3]}")

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    extraction = f1(matched_pred / predicted_total, matched_gold / gold_total)
    value = f1(correct / predicted_total, correct / gold_total)
    return [
        f"tempeval-3 platinum, DATE: {gold_total} gold, {predicted_total} predicted",
        f"tempeval-3 platinum, DATE: extraction F1 {extraction:.3f} "
        f"(P {matched_pred / predicted_total:.3f}, R {matched_gold / gold_total:.3f}); "
        f"value F1 {value:.3f}  [HeidelTime 0.926 / 0.884]",
        *errors,
    ]


def seed() -> list[str]:
    text = (ROOT / "seeds" / "000_cd29b1cf06a80073.txt").read_text(encoding="utf-8")
    found = [
        (t.text, t.type, t.value, t.mod) for t in find_timexes(text, dt.datetime(2020, 11, 21, 16))
    ]
    lines = []
    for expected in SEED_EXPECTED:
        lines.append(f"seed: {'ok  ' if expected in found else 'MISS'} {expected}")
    return lines


def speed() -> list[str]:
    documents, _ = read_seeds(KREMLIN)
    work = [
        (p.text, dt.datetime.combine(d.date, d.time or dt.time()))
        for d in documents
        if d.date
        for p in d.paragraphs
    ]
    started = time.perf_counter()
    expressions = sum(len(find_timexes(text, dct)) for text, dct in work)
    seconds = time.perf_counter() - started
    return [
        f"speed: {len(work)} Kremlin paragraphs, {expressions} expressions in {seconds:.2f} s "
        f"on one core: {len(work) / seconds:,.0f} paragraphs/s  "
        "[target 2,000; HeidelTime ~3.5 s a document]"
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    lines = seed()
    lines += tempeval(args.show_errors) if TE3.is_dir() else ["tempeval: ../shared/eval absent"]
    lines += speed() if KREMLIN.is_dir() else ["speed: ../shared/corpus/kremlin absent"]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
