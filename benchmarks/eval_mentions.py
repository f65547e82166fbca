"""Evaluate person mentions on real Rotten Tomatoes snippets: credited-name recall and uncredited-name precision.

python benchmarks/eval_mentions.py [--realdata DIR] [--show-unlabelled]
"""
from __future__ import annotations

import argparse
import csv
import gzip
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from critics.schemas.records import Credit  # noqa: E402
from critics.tasks.text.chunk import split_sentences  # noqa: E402
from critics.tasks.extract.mentions import find_mentions  # noqa: E402

DEFAULT_REALDATA = ROOT.parent / "shared" / "realdata"
LABELS = ROOT / "data" / "eval" / "uncredited_person_labels.tsv"
SEED = 20240601
SAMPLE = 100
_SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III"}

csv.field_size_limit(10_000_000)


def load_reviews(realdata: Path) -> list[tuple[int, str, str]]:
    """(row number, film id, snippet) for every review with text; row numbers count data rows from 0."""
    with gzip.open(realdata / "rt_flatiron" / "rt.reviews.tsv.gz", "rt", encoding="latin-1", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [(i, r["id"], r["review"].strip()) for i, r in enumerate(rows) if (r.get("review") or "").strip()]


def load_credits(realdata: Path) -> dict[str, list[Credit]]:
    """Directors and writers per film id from movie_info."""
    with gzip.open(realdata / "rt_flatiron" / "rt.movie_info.tsv.gz", "rt", encoding="latin-1", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    credits = {}
    for row in rows:
        people = [Credit(n.strip(), role) for role in ("director", "writer")
                  for n in (row.get(role) or "").split("|") if n.strip()]
        credits[row["id"]] = people
    return credits


def surname(name: str) -> str:
    """Last word of a name, ignoring Jr./Sr./III."""
    words = [w for w in name.split() if w not in _SUFFIXES] or name.split()
    return words[-1]


def mentions_of(text: str, credits: list[Credit]):
    """find_mentions on one snippet, the way the pipeline calls it."""
    return find_mentions(text, split_sentences(text), credits)


def credited_recall(reviews, credits) -> tuple[int, int, list]:
    """(found, total, misses) over (snippet, credited surname) pairs where the surname appears in the snippet.

    A pair counts as found when a person mention names someone with that surname: credits list some people
    twice under two spellings ('Arne'/'Arnold Glimcher'), and siblings share one ('the Hughes brothers').
    """
    found = total = 0
    misses = []
    for row, film, text in reviews:
        people = credits.get(film, [])
        present = {surname(c.name) for c in people}
        present = [s for s in present if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]
        if not present:
            continue
        named = {w for m in mentions_of(text, people) if m.kind == "person" and m.role for w in m.name.split()}
        for name in present:
            total += 1
            if name in named:
                found += 1
            else:
                misses.append((row, name))
    return found, total, misses


def uncredited_sample(reviews, credits, size: int = SAMPLE, seed: int = SEED) -> list[tuple[int, str, list]]:
    """The first `size` snippets, in seeded random order, with at least one uncredited person mention."""
    order = list(reviews)
    random.Random(seed).shuffle(order)
    sample = []
    for row, film, text in order:
        found = [m for m in mentions_of(text, credits.get(film, [])) if m.kind == "person" and m.role is None]
        if found:
            sample.append((row, text, found))
            if len(sample) == size:
                break
    return sample


def load_labels(path: Path = LABELS) -> dict[tuple[int, int, str], bool]:
    """(row, char_start, surface) -> correct, from the hand-labelled TSV."""
    labels = {}
    if not path.exists():
        return labels
    with path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            labels[(int(rec["row"]), int(rec["char_start"]), rec["surface"])] = rec["correct"] == "1"
    return labels


def uncredited_precision(sample, labels) -> tuple[int, int, list]:
    """(correct, labelled, unlabelled keys) for the mentions emitted on the sample."""
    correct = labelled = 0
    unlabelled = []
    for row, _, found in sample:
        for m in found:
            key = (row, m.char_start, m.surface)
            if key not in labels:
                unlabelled.append(key)
                continue
            labelled += 1
            correct += labels[key]
    return correct, labelled, unlabelled


def main(argv: list[str] | None = None) -> int:
    """Print both measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdata", type=Path, default=DEFAULT_REALDATA)
    parser.add_argument("--show-unlabelled", action="store_true", help="print unlabelled mentions in context")
    args = parser.parse_args(argv)
    reviews, credits = load_reviews(args.realdata), load_credits(args.realdata)
    found, total, misses = credited_recall(reviews, credits)
    print(f"credited director/writer recall: {found}/{total} = {found / max(total, 1):.1%} (target >= 95%)")
    sample = uncredited_sample(reviews, credits)
    correct, labelled, unlabelled = uncredited_precision(sample, load_labels())
    print(f"uncredited person precision: {correct}/{labelled} = {correct / max(labelled, 1):.1%} "
          f"on {len(sample)} snippets (target >= 90%); unlabelled mentions: {len(unlabelled)}")
    if args.show_unlabelled:
        texts = {row: text for row, text, _ in sample}
        for row, start, surface in unlabelled:
            context = texts[row][max(0, start - 60):start + len(surface) + 60].replace("\n", " ")
            print(f"{row}\t{start}\t{surface}\t| {context}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
