"""Speaker attribution, measured: the seed and the Kremlin corpus's silver labels.

Run: ``.venv/bin/python -m benchmarks.attribution [--show-errors]``.

Label precision and recall compare, per document, the set of raw labels
Podium finds with the manifest's ``speaker_labels`` (taken from the site's
bold markup), over the documents that have turns.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from generator.attribute import attribute
from generator.link import link
from generator.model import Document
from generator.readers import read_file
from generator.sources import read_seeds

ROOT = Path(__file__).resolve().parent.parent
# Manifest labels judged false: bold headings of press notes, not speakers.
JUDGED_NOT_SPEAKERS = re.compile(
    r"^(?:Badges for accredited media representatives will be issued at the following \w+"
    r"|Accreditation badge provides access to the following events|Meeting points.*"
    r"|Contact telephone numbers|Entry from \d.*|The main activities on the agenda.*"
    r"|Reporters who have accreditation badges are entitled to attend the following events"
    r"|The message reads|The document reads, in full|Note for .*|Prizes for .* awarded to"
    r"|Statements following the meeting|Email)$"
)
KREMLIN = ROOT.parent / "shared" / "corpus" / "kremlin"


def seed_report() -> list[str]:
    seed = read_file(ROOT / "seeds" / "000_cd29b1cf06a80073.txt", "seed.txt")
    assert isinstance(seed, Document)
    document = attribute(seed)
    counts = Counter(
        document.turns[p.turn].speaker for p in document.paragraphs if p.turn is not None
    )
    roles = {t.speaker: t.role for t in document.turns}
    return [f"seed: {name}: {n} paragraphs, role {roles[name]!r}" for name, n in counts.items()]


def kremlin_report(show_errors: bool) -> list[str]:
    manifest = [json.loads(line) for line in (KREMLIN / "manifest.jsonl").open(encoding="utf-8")]
    documents, _ = read_seeds(KREMLIN)
    by_source = {d.source: d for d in documents}
    found_total = gold_total = correct = 0
    judged_gold = judged_correct = 0
    judged_false: Counter[str] = Counter()
    false_pos: Counter[str] = Counter()
    false_neg: Counter[str] = Counter()
    labels: set[str] = set()
    for row in manifest:
        document = by_source[row["file"]]
        found = {t.label for t in document.turns}
        if not row["speaker_labels"]:
            continue
        gold = set(row["speaker_labels"])
        labels.update(gold)
        found_total += len(found)
        gold_total += len(gold)
        correct += len(found & gold)
        false_pos.update(found - gold)
        false_neg.update(gold - found)
        kept = {label for label in gold if not JUDGED_NOT_SPEAKERS.match(label)}
        judged_false.update(gold - kept)
        judged_gold += len(kept)
        judged_correct += len(found & kept)
    lines = [
        f"kremlin: documents with turns: {sum(1 for r in manifest if r['speaker_labels'])}",
        f"kremlin: label precision {correct / found_total:.4f}, recall {correct / gold_total:.4f}",
        f"kremlin, without the {sum(judged_false.values())} manifest labels judged false: "
        f"precision {judged_correct / found_total:.4f}, recall {judged_correct / judged_gold:.4f}",
        f"kremlin: distinct persons after normalisation {len(link(documents).speakers)}, "
        f"distinct manifest labels {len(labels)}",
    ]
    if show_errors:
        lines += [
            f"  judged false in the manifest: {n} x {label!r}" for label, n in judged_false.items()
        ]
        lines += [
            f"  found, not in manifest: {n} x {label!r}" for label, n in false_pos.most_common(60)
        ]
        lines += [
            f"  in manifest, not found: {n} x {label!r}" for label, n in false_neg.most_common(60)
        ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    lines = seed_report()
    if KREMLIN.is_dir():
        lines += kremlin_report(args.show_errors)
    else:
        lines.append("kremlin: ../shared/corpus/kremlin is absent; skipped")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
