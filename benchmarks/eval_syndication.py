"""Syndicated-copy detection on real Rotten Tomatoes snippets (rt_flatiron) with planted copies.

python benchmarks/eval_syndication.py [--realdata DIR] [--plant 600] [--show]

Real data: every pair of reviews of one film the detector merges, split into identical texts (the same words),
near-identical ones (printed with --show, for reading) and pairs by two different signed critics (must be 0).
Planted: copies of seeded random reviews under a second outlet and a later date, kind by kind: the same text
(a changed headline lives outside the text), a trimmed copy (last sentence, or last fifth of the words,
dropped), an edited copy (an editor's "[Name]" insertion and one word dropped), and a wire copy with no
byline; each must point at its original. A threshold sweep shows both sides for other containment bars.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import random
import re
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REALDATA = ROOT.parent / "shared" / "realdata"

from critics.tasks.extract.critics import name_key  # noqa: E402
from critics.tasks.warehouse import syndication  # noqa: E402
from critics.tasks.warehouse.syndication import Printed, find_copies  # noqa: E402

SEED = 2024
PLANT_MIN_WORDS = 12  # a review long enough that a trimmed or edited copy of it is still a review
KINDS = ("same_text", "trimmed", "edited", "wire_unsigned")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

csv.field_size_limit(10_000_000)


def load(realdata: Path) -> list[Printed]:
    """One Printed per review with text; review_id = data row number (zero-padded), critic as its name key."""
    with gzip.open(realdata / "rt_flatiron" / "rt.reviews.tsv.gz", "rt", encoding="latin-1", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [Printed(f"{i:06d}", r["id"], name_key(r["critic"])[0], _date(r["date"]), r["review"].strip())
            for i, r in enumerate(rows) if (r.get("review") or "").strip()]


def _date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%B %d, %Y").date()
    except ValueError:
        return None


def plant(reviews: list[Printed], count: int, seed: int = SEED) -> tuple[list[Printed], dict[str, str]]:
    """Copies of `count` random signed reviews of PLANT_MIN_WORDS+ words, cycling through KINDS."""
    rng = random.Random(seed)
    pool = [r for r in reviews if r.critic_key and len(syndication.words_of(r.text)) >= PLANT_MIN_WORDS]
    planted, truth = [], {}
    for n, original in enumerate(rng.sample(pool, count)):
        kind = KINDS[n % len(KINDS)]
        text = _variant(rng, original.text, kind)
        copy = Printed(f"p{n:05d}", original.film_key, "" if kind == "wire_unsigned" else original.critic_key,
                       date.max if original.published_at is None else original.published_at, text)
        planted.append(copy)
        truth[copy.review_id] = original.review_id
    return planted, truth


def _variant(rng: random.Random, text: str, kind: str) -> str:
    if kind == "trimmed":
        sentences = _SENTENCE_END.split(text)
        if len(sentences) > 1 and len(" ".join(sentences[:-1]).split()) >= PLANT_MIN_WORDS // 2:
            return " ".join(sentences[:-1])
        words = text.split()
        return " ".join(words[:len(words) - max(1, len(words) // 5)])
    if kind == "edited":
        words = text.split()
        del words[rng.randrange(len(words))]
        words.insert(rng.randrange(len(words)), "[Director]")
        return " ".join(words)
    return text


def evaluate(reviews: list[Printed], planted: list[Printed], truth: dict[str, str]) -> dict:
    """Merges on the real reviews by kind, and planted copies found by kind."""
    copies = find_copies(reviews + planted)
    by_id = {r.review_id: r for r in reviews + planted}
    real = {c: o for c, o in copies.items() if not c.startswith("p") and not o.startswith("p")}
    kinds = Counter()
    near = []
    for copy, original in real.items():
        a, b = by_id[copy], by_id[original]
        if a.critic_key and b.critic_key and a.critic_key != b.critic_key:
            kinds["different_critics"] += 1
        elif syndication.words_of(a.text) == syndication.words_of(b.text):
            kinds["identical"] += 1
        else:
            kinds["near_identical"] += 1
            near.append((b, a))
    found, missed = Counter(), []
    for n, (copy, original) in enumerate(truth.items()):
        kind = KINDS[n % len(KINDS)]
        root = copies.get(original, original)
        found[kind] += copies.get(copy) == root
        if copies.get(copy) != root:
            missed.append((kind, by_id[original].text, by_id[copy].text))
    return {"real": kinds, "near": near, "found": found, "missed": missed,
            "planted": Counter(KINDS[n % len(KINDS)] for n in range(len(truth)))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdata", type=Path, default=DEFAULT_REALDATA)
    parser.add_argument("--plant", type=int, default=600)
    parser.add_argument("--show", action="store_true", help="print the near-identical real pairs merged")
    args = parser.parse_args(argv)
    reviews = load(args.realdata)
    planted, truth = plant(reviews, args.plant)
    chosen = syndication.CONTAINMENT
    for bar in sorted({0.6, 0.7, 0.8, 0.9, 0.95, chosen}):
        syndication.CONTAINMENT = bar
        result = evaluate(reviews, planted, truth)
        found = " ".join(f"{k} {result['found'][k]}/{result['planted'][k]}" for k in KINDS)
        real = result["real"]
        print(f"containment >= {bar:.2f}{' (chosen)' if bar == chosen else ''}: real pairs merged: identical "
              f"{real['identical']}, near-identical {real['near_identical']}, different signed critics "
              f"{real['different_critics']}; planted found: {found}")
        if bar == chosen and args.show:
            for original, copy in result["near"]:
                print(f"  {original.review_id} | {original.text[:110]}\n  {copy.review_id} | {copy.text[:110]}\n")
            for kind, original, copy in result["missed"]:
                print(f"  missed {kind}: {original[:110]}\n                  {copy[:110]}")
    syndication.CONTAINMENT = chosen
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
