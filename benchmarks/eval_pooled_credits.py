"""Pooled credits on real Rotten Tomatoes snippets where only a third of each film's pages carry credits.

python benchmarks/eval_pooled_credits.py [--realdata DIR]

Each film's reviews (rt_flatiron) are shuffled with a fixed seed and the first ceil(n/3) carry the film's
directors and writers (rt.movie_info) as page credits; the rest carry none. Measured: how often a credited
surname written in a review text is found as a person mention when each page is searched with its own
credits (before pooling) and with the film's pooled credits (tasks/extract/people.py), and the precision of
uncredited person mentions on the hand-labelled sample (data/eval/uncredited_person_labels.tsv).
"""
from __future__ import annotations

import argparse
import math
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import eval_mentions  # noqa: E402
from critics.tasks.extract.people import pool_credits  # noqa: E402

SEED = 17


def page_credits(reviews, credits, seed: int = SEED) -> dict[int, list]:
    """Row -> the credits its page carries: the film's for a seeded third (rounded up) of its pages, else none."""
    by_film: dict[str, list[int]] = defaultdict(list)
    for row, film, _ in reviews:
        by_film[film].append(row)
    rng = random.Random(seed)
    carried = {}
    for film, rows in sorted(by_film.items()):
        rows = sorted(rows)
        rng.shuffle(rows)
        credited = set(rows[:math.ceil(len(rows) / 3)])
        for row in rows:
            carried[row] = list(credits.get(film, [])) if row in credited else []
    return carried


def pooled_by_film(reviews, carried) -> dict[str, list]:
    """Film -> its credits pooled from every page of it."""
    pages: dict[str, list] = defaultdict(list)
    for row, film, _ in reviews:
        pages[film].append(carried[row])
    return {film: pool_credits(lists) for film, lists in pages.items()}


def surname_recall(reviews, film_credits, searched_with) -> tuple[int, int]:
    """(found, total) over (review, film surname written in it), each review searched with searched_with(row, film)."""
    found = total = 0
    for row, film, text in reviews:
        present = {eval_mentions.surname(c.name) for c in film_credits.get(film, [])}
        present = [s for s in present if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]
        if not present:
            continue
        named = {w for m in eval_mentions.mentions_of(text, searched_with(row, film))
                 if m.kind == "person" and m.role for w in m.name.split()}
        total += len(present)
        found += sum(name in named for name in present)
    return found, total


def measure(realdata: Path) -> dict[str, float]:
    """Recall before and after pooling, and uncredited precision with pooled credits."""
    reviews, credits = eval_mentions.load_reviews(realdata), eval_mentions.load_credits(realdata)
    carried = page_credits(reviews, credits)
    pooled = pooled_by_film(reviews, carried)
    own = surname_recall(reviews, credits, lambda row, film: carried[row])
    shared = surname_recall(reviews, credits, lambda row, film: pooled[film])
    sample = eval_mentions.uncredited_sample(reviews, pooled)
    correct, labelled, unlabelled = eval_mentions.uncredited_precision(sample, eval_mentions.load_labels())
    return {"own_found": own[0], "own_total": own[1], "pooled_found": shared[0], "pooled_total": shared[1],
            "precision_correct": correct, "precision_labelled": labelled, "unlabelled": len(unlabelled),
            "sample": len(sample)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdata", type=Path, default=eval_mentions.DEFAULT_REALDATA)
    args = parser.parse_args(argv)
    r = measure(args.realdata)
    print(f"surname recall, own page credits only: {r['own_found']}/{r['own_total']} = "
          f"{r['own_found'] / r['own_total']:.1%}")
    print(f"surname recall, pooled film credits:   {r['pooled_found']}/{r['pooled_total']} = "
          f"{r['pooled_found'] / r['pooled_total']:.1%} (target >= 90%)")
    print(f"uncredited person precision: {r['precision_correct']}/{r['precision_labelled']} = "
          f"{r['precision_correct'] / max(r['precision_labelled'], 1):.1%} on {r['sample']} snippets "
          f"(target >= 90%); unlabelled mentions: {r['unlabelled']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
