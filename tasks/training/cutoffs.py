"""Learn the fresh/rotten cutoffs (data/models/verdict_cutoffs.json) from real Rotten Tomatoes labels.

Data: `rt_flatiron/rt.reviews.tsv.gz` (tstrain199/movie-type-analysis @5f8ca963), read from
../shared/realdata at training time only; the shipped table holds numbers and outlet names, no text.
Each printed rating is parsed with critics.tasks.extract.ratings.parse_rating_text; RT's own label is the target.

Model: fresh iff score >= cutoff. A cutoff per scale kind maximises training accuracy after each
printed value whose fresh/rotten majority is not clear (within Z_CLEAR standard errors of a coin
flip, e.g. 2.5/4 at 49% fresh) is counted on the side plain 60 puts it; so a scale departs from 60
only where the data clearly says so. An outlet with reviews on a scale gets its own cutoff, chosen
to minimise
    outlet errors(t) + PRIOR_WEIGHT * scale error rate(t)
i.e. shrinkage toward the scale's behaviour worth PRIOR_WEIGHT reviews, so a small outlet moves only
when its own evidence is clear. Ties go to the cutoff nearest 60. Z_CLEAR and PRIOR_WEIGHT were
chosen by film-grouped 5-fold CV (mean over seeds 0-4); a hard minimum of 20 reviews per outlet
scored lower than shrinkage alone (95.85% vs 95.97%).

Run: python -m critics.tasks.training.cutoffs [--realdata DIR] [--out data/models/verdict_cutoffs.json]
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import random
from collections import defaultdict
from datetime import date
from pathlib import Path

from critics.tasks.extract.ratings import parse_rating_text
from critics.tasks.extract.verdicts import DEFAULT_CUTOFF, DEFAULT_CUTOFFS_PATH, cutoff_for, normalise_outlet, scale_kind

REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata"
REVIEWS = Path("rt_flatiron") / "rt.reviews.tsv.gz"
SOURCE = "tstrain199/movie-type-analysis @5f8ca963"
SEED = 0
MIN_OUTLET_N = 1    # shrinkage (PRIOR_WEIGHT) does the work a hard minimum would
MIN_SCALE_N = 20    # fewer reviews on a scale kind than this: the default 60
PRIOR_WEIGHT = 5.0  # pseudo-reviews of scale behaviour added to each outlet
Z_CLEAR = 2.0       # a value's majority counts only when this many standard errors from 50%


def load_examples(realdata_dir=None) -> list[tuple[str, str, str, float, bool]]:
    """(film id, outlet key, scale kind, score, is_fresh) for every review whose rating has a score."""
    path = Path(realdata_dir or REALDATA) / REVIEWS
    parsed: dict[str, object] = {}  # a few hundred distinct prints among 40k reviews
    examples = []
    with gzip.open(path, "rt", encoding="latin-1", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            printed = row["rating"]
            if printed not in parsed:
                parsed[printed] = parse_rating_text(printed) if printed else None
            rating = parsed[printed]
            if rating is not None and rating.score is not None and row["fresh"] in ("fresh", "rotten"):
                examples.append((row["id"], normalise_outlet(row["publisher"]), scale_kind(rating),
                                 rating.score, row["fresh"] == "fresh"))
    return examples


def best_cutoff(counts: dict[float, list[int]], prior: dict[float, list[int]] | None = None,
                weight: float = 0.0) -> float:
    """Cutoff minimising errors on counts {score: [n, n_fresh]} plus weight * the prior's error rate."""
    values = sorted(set(counts) | set(prior or {}))
    candidates = [values[0] - 1.0] + [(a + b) / 2 for a, b in zip(values, values[1:])] + [values[-1] + 1.0]
    prior_n = sum(n for n, _ in (prior or {}).values()) or 1
    def cost(t: float) -> tuple[float, float]:
        own = _errors(counts, t)
        return own + (weight * _errors(prior, t) / prior_n if prior else 0.0), abs(t - DEFAULT_CUTOFF)
    return round(min(candidates, key=cost), 2)


def keep_60_unless_clear(counts: dict[float, list[int]], z: float = Z_CLEAR) -> dict[float, list[int]]:
    """Counts where each value without a clear majority is counted wholly on plain 60's side."""
    settled = {}
    for score, (n, fresh) in counts.items():
        clear = abs(2 * fresh - n) > z * math.sqrt(n)
        settled[score] = [n, fresh] if clear else [n, n if score >= DEFAULT_CUTOFF else 0]
    return settled


def _errors(counts: dict[float, list[int]], t: float) -> int:
    return sum(n - fresh if score >= t else fresh for score, (n, fresh) in counts.items())


def learn_cutoffs(examples, min_outlet_n: int = MIN_OUTLET_N, prior_weight: float = PRIOR_WEIGHT) -> dict:
    """The cutoff table (scale and outlet_scale sections) learned from (id, outlet, kind, score, fresh) examples."""
    by_scale, by_outlet = _count(examples)
    by_scale = {kind: keep_60_unless_clear(c) for kind, c in by_scale.items()}
    scales = {kind: best_cutoff(c) for kind, c in by_scale.items() if _n(c) >= MIN_SCALE_N}
    outlets: dict[str, dict[str, float]] = defaultdict(dict)
    for (outlet, kind), c in by_outlet.items():
        if not outlet or _n(c) < min_outlet_n or kind not in scales:  # '' is "outlet unknown"
            continue
        cut = best_cutoff(c, by_scale[kind], prior_weight)
        if cut != scales[kind]:  # only differences are stored, to keep the file small
            outlets[outlet][kind] = cut
    return {"default_cutoff": DEFAULT_CUTOFF, "fresh_if": "score >= cutoff", "min_outlet_n": min_outlet_n,
            "prior_weight": prior_weight, "z_clear": Z_CLEAR, "scale": dict(sorted(scales.items())),
            "outlet_scale": {o: dict(sorted(k.items())) for o, k in sorted(outlets.items())}}


def _count(examples):
    by_scale = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    by_outlet = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for _, outlet, kind, score, fresh in examples:
        for cell in (by_scale[kind][score], by_outlet[(outlet, kind)][score]):
            cell[0] += 1
            cell[1] += fresh
    return by_scale, by_outlet


def _n(counts) -> int:
    return sum(n for n, _ in counts.values())


def film_folds(examples, folds: int = 5, seed: int = SEED) -> list[int]:
    """Fold index per example; all reviews of one film share a fold."""
    films = sorted({e[0] for e in examples})
    random.Random(seed).shuffle(films)
    fold_of = {film: i % folds for i, film in enumerate(films)}
    return [fold_of[e[0]] for e in examples]


def agreements(table: dict, examples) -> int:
    """How many examples get RT's label from the table's cutoffs."""
    return sum((score >= cutoff_for(kind, outlet, table)) == fresh for _, outlet, kind, score, fresh in examples)


def evaluate_cutoffs(realdata_dir=None, folds: int = 5, seed: int = 0, examples=None,
                     min_outlet_n: int = MIN_OUTLET_N, prior_weight: float = PRIOR_WEIGHT) -> dict:
    """Film-grouped k-fold accuracy of: plain cutoff 60, per scale, per outlet+scale (the shipped model), with n."""
    examples = examples if examples is not None else load_examples(realdata_dir)
    fold_ids = film_folds(examples, folds, seed)
    hits = {"plain_60": 0, "per_scale": 0, "per_outlet_scale": 0}
    for k in range(folds):
        train = [e for e, f in zip(examples, fold_ids) if f != k]
        test = [e for e, f in zip(examples, fold_ids) if f == k]
        learned = learn_cutoffs(train, min_outlet_n, prior_weight)
        models = {"plain_60": {}, "per_scale": {**learned, "outlet_scale": {}}, "per_outlet_scale": learned}
        for name, table in models.items():
            hits[name] += agreements(table, test)
    n = len(examples)
    return {"n": n, "folds": folds, "seed": seed, "grouped_by": "film id",
            "accuracy": {name: h / n for name, h in hits.items()}}


def train(realdata_dir=None, out=None) -> dict:
    """Learn the table on all examples, add provenance and CV accuracy, write it as JSON."""
    examples = load_examples(realdata_dir)
    table = learn_cutoffs(examples)
    table["provenance"] = {
        "data": f"Rotten Tomatoes critic reviews, {REVIEWS.as_posix()}", "source": SOURCE,
        "path": "zippedData/rt.reviews.tsv.gz",
        "label": "RT fresh/rotten", "seed": SEED, "trained_on": date.today().isoformat(), "n": len(examples),
        "parser": "critics.tasks.extract.ratings.parse_rating_text", "cv": evaluate_cutoffs(examples=examples),
    }
    path = Path(out or DEFAULT_CUTOFFS_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return table


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdata", default=str(REALDATA), help="folder holding rt_flatiron/")
    parser.add_argument("--out", default=str(DEFAULT_CUTOFFS_PATH), help="where to write the JSON table")
    args = parser.parse_args(argv)
    table = train(args.realdata, args.out)
    cv = table["provenance"]["cv"]
    print(f"{cv['folds']}-fold CV grouped by film, n={cv['n']} rated reviews")
    print(f"{'model':<20}{'accuracy':>10}")
    for name, acc in cv["accuracy"].items():
        print(f"{name:<20}{100 * acc:>9.2f}%")
    print(f"wrote {args.out}: {len(table['scale'])} scales, {len(table['outlet_scale'])} outlets with own cutoffs")


if __name__ == "__main__":
    main()
