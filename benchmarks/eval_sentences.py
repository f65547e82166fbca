"""Sentence-splitter quality on real review snippets: the share of sentence breaks followed by a lowercase word.

A break followed by a lowercase word is almost always a false break: an elision (`...`), an abbreviation
(`e.g.`, `p.m.`, `Corp.`) or an initial. Run from the repository root:

    python benchmarks/eval_sentences.py [--before-ref REF] [--show N]

It prints the share for the splitter at REF (default: the commit before this change to chunk.py; `--before-ref none`
skips it) and for the working tree's splitter.
Reads /work/shared/realdata/rt_flatiron/rt.reviews.tsv.gz (latin-1 TSV, column `review`); nothing is copied.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "realdata" / "rt_flatiron" / "rt.reviews.tsv.gz"
BASELINE_REF = "b15956f"  # the last commit before this change to chunk.py's splitter
_LOWER_NEXT = re.compile(r"[\"'\u201c\u2018(\[]*[a-z]")  # a sentence that starts with a lowercase word


def load_snippets(path: Path = DATA) -> list[str]:
    """The non-empty `review` column of the RT snippets (the file is latin-1)."""
    csv.field_size_limit(10**8)
    with gzip.open(path, "rt", encoding="latin-1", newline="") as handle:
        return [row["review"] for row in csv.DictReader(handle, delimiter="\t") if row.get("review")]


def lowercase_break_share(split, snippets: list[str]) -> tuple[float, int, int, list[str]]:
    """(share, breaks followed by a lowercase word, all breaks, examples) for a split_sentences function."""
    bad, total, examples = 0, 0, []
    for text in snippets:
        spans = split(text)
        for (_, end), (start, _) in zip(spans, spans[1:]):
            total += 1
            if _LOWER_NEXT.match(text, start):
                bad += 1
                examples.append(text[max(0, end - 40):end] + " || " + text[start:start + 30])
    return (bad / total if total else 0.0), bad, total, examples


def splitter_at(ref: str):
    """split_sentences as chunk.py was at a git ref, loaded from a temporary copy."""
    source = subprocess.run(["git", "show", f"{ref}:tasks/text/chunk.py"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "chunk_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("chunk_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.split_sentences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-ref", default=BASELINE_REF, help="git ref of the splitter to compare ('none' to skip)")
    parser.add_argument("--show", type=int, default=0, help="print N remaining lowercase breaks")
    args = parser.parse_args(argv)
    if not DATA.is_file():
        print(f"no data at {DATA}", file=sys.stderr)
        return 2
    from critics.tasks.text.chunk import split_sentences

    snippets = load_snippets()
    print(f"{len(snippets):,} RT snippets")
    runs = ([("before", splitter_at(args.before_ref))] if args.before_ref != "none" else []) + [("after", split_sentences)]
    for label, split in runs:
        share, bad, total, examples = lowercase_break_share(split, snippets)
        print(f"{label:>6}: {bad:,} of {total:,} sentence breaks followed by a lowercase word = {share:.2%}")
    for example in examples[:args.show]:
        print("   ", example)
    if len(runs) == 2:
        print(f"time after/before, median of 5 alternating rounds over all snippets: {speed_ratio(runs, snippets):.2f}")
    return 0


def speed_ratio(runs, snippets: list[str], rounds: int = 5) -> float:
    """Median over alternating rounds of (after time / before time) for splitting every snippet."""
    import statistics
    import time

    ratios = []
    for _ in range(rounds):
        times = []
        for _, split in runs:
            started = time.perf_counter()
            for text in snippets:
                split(text)
            times.append(time.perf_counter() - started)
        ratios.append(times[1] / times[0])
    return statistics.median(ratios)


if __name__ == "__main__":
    sys.exit(main())
