"""Measure text verdicts and rating cutoffs on real Rotten Tomatoes data, each beside a lexicon baseline.

Rows: rt-polarity 10-fold CV (retraining the shipped recipe per fold), rt_flatiron snippets of the films
held out of the shipped model, Pang & Lee full reviews scored by the shipped model sentence by sentence,
throughput, and the rating-cutoff accuracy from critics.tasks.training.cutoffs (when available).

Usage: python benchmarks/eval_verdicts.py [--realdata DIR] [--sample N] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from critics.tasks.extract.textmodel import TextModel, default_model, lexicon_prob_fresh  # noqa: E402
from critics.tasks.training import text_model as tr  # noqa: E402

SEED = 0


def _sample(items: list, n: int | None) -> list:
    """At most n items, chosen reproducibly."""
    return items if n is None or len(items) <= n else random.Random(SEED).sample(items, n)


def _accuracy(probs, labels) -> float:
    """Share of (probability >= 0.5) equal to the label."""
    pairs = list(zip(probs, labels))
    return sum((p >= 0.5) == bool(y) for p, y in pairs) / max(1, len(pairs))


def _lexicon_accuracy(texts, labels) -> float:
    """Accuracy of the hand-written lexicon baseline."""
    return _accuracy(map(lexicon_prob_fresh, texts), labels)


def polarity_folds(n: int, folds: int) -> list[int]:
    """Fold number of each rt-polarity sentence, from a seeded shuffle."""
    order = list(range(n))
    random.Random(SEED).shuffle(order)
    fold = [0] * n
    for rank, i in enumerate(order):
        fold[i] = rank % folds
    return fold


def eval_polarity_cv(realdata: Path, folds: int = 10, sample: int | None = None) -> dict:
    """10-fold CV on rt-polarity: the shipped recipe (with rt_flatiron training films) and P&L only."""
    polarity, rt_rows = _sample(tr.load_polarity(realdata), sample), tr.load_rt_flatiron(realdata)
    rt_train = _sample([(t, y) for film, t, y in rt_rows if not tr.is_heldout_film(film)], sample)
    texts = [t for t, _ in polarity] + [t for t, _ in rt_train]
    labels = [y for _, y in polarity] + [y for _, y in rt_train]
    X, _ = tr.vectorize(texts)
    fold = polarity_folds(len(polarity), folds)
    keys = [tr.normalise(t) for t in texts]
    hits = {"shipped_recipe": 0, "polarity_only": 0}
    for k in range(folds):
        test = [i for i in range(len(polarity)) if fold[i] == k]
        held = {keys[i] for i in test}
        pl_train = [i for i in range(len(polarity)) if fold[i] != k]
        extra = [i for i in range(len(polarity), len(texts)) if keys[i] not in held]
        for name, rows in (("shipped_recipe", pl_train + extra), ("polarity_only", pl_train)):
            hits[name] += _fold_hits(X, labels, rows, test)
    n = len(polarity)
    return {"n": n, "accuracy": hits["shipped_recipe"] / n, "accuracy_polarity_only": hits["polarity_only"] / n,
            "lexicon": _lexicon_accuracy([t for t, _ in polarity], [y for _, y in polarity])}


def _fold_hits(X, labels, train_rows, test_rows) -> int:
    """Correct sentence-level predictions on test_rows of a model fitted on train_rows."""
    weights, bias = tr.fit_linear(X[train_rows], [labels[i] for i in train_rows])
    scores = X[test_rows] @ weights + bias
    return sum(int((s > 0) == bool(labels[i])) for s, i in zip(scores, test_rows))


def _timed_best_of(fn, texts, repeats: int = 3):
    """Results of fn over texts and the fastest of `repeats` timings (as timeit does: the CPU is shared)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        out = [fn(t) for t in texts]
        best = min(best, time.perf_counter() - start)
    return out, best


def eval_rt_heldout(model: TextModel, realdata: Path, sample: int | None = None) -> dict:
    """Shipped model on snippets of rt_flatiron films excluded from its training (text only)."""
    rows = _sample([(t, y) for film, t, y in tr.load_rt_flatiron(realdata) if tr.is_heldout_film(film)], sample)
    texts, labels = [t for t, _ in rows], [y for _, y in rows]
    probs, elapsed = _timed_best_of(model.prob_fresh, texts)
    return {"n": len(rows), "accuracy": _accuracy(probs, labels), "lexicon": _lexicon_accuracy(texts, labels),
            "majority": max(sum(labels), len(labels) - sum(labels)) / max(1, len(labels)),
            "snippets_per_s": len(rows) / max(elapsed, 1e-9)}


def eval_full_reviews(model: TextModel, realdata: Path, sample: int | None = None) -> dict:
    """Shipped model on Pang & Lee scale-data full reviews (never trained on), plus reviews/s."""
    rows = _sample(tr.load_scaledata(realdata), sample)
    texts, labels = [t for t, _ in rows], [y for _, y in rows]
    probs, elapsed = _timed_best_of(model.prob_fresh, texts)
    return {"n": len(rows), "accuracy": _accuracy(probs, labels), "lexicon": _lexicon_accuracy(texts, labels),
            "majority": max(sum(labels), len(labels) - sum(labels)) / max(1, len(labels)),
            "reviews_per_s": len(rows) / max(elapsed, 1e-9),
            "mean_chars": sum(map(len, texts)) / max(1, len(texts))}


def eval_cutoffs(realdata: Path) -> dict | None:
    """Rating-cutoff accuracies from critics.tasks.training.cutoffs, or None when that module is unavailable."""
    try:
        from critics.tasks.training.cutoffs import evaluate_cutoffs
    except ImportError:
        return None
    return evaluate_cutoffs(realdata, folds=5, seed=0)


def evaluate(realdata: Path = tr.REALDATA, sample: int | None = None, model: TextModel | None = None) -> dict:
    """All rows of the benchmark as one dict."""
    model = model or default_model()
    # scored rows first, so the timing does not pay for collecting the CV's large objects
    heldout = eval_rt_heldout(model, realdata, sample)
    full = eval_full_reviews(model, realdata, sample)
    return {"rt_polarity_cv10": eval_polarity_cv(realdata, 10, sample), "rt_flatiron_heldout": heldout,
            "scaledata_full_reviews": full, "cutoffs": eval_cutoffs(realdata), "sample": sample}


def format_table(res: dict) -> str:
    """Plain-text table: model figure, lexicon baseline, target."""
    pol, rt, sd = res["rt_polarity_cv10"], res["rt_flatiron_heldout"], res["scaledata_full_reviews"]
    lines = [f"{'set':34s} {'n':>6s} {'model':>7s} {'lexicon':>8s} {'target':>7s}",
             f"{'rt-polarity 10-fold CV':34s} {pol['n']:6d} {pol['accuracy']:7.2%} {pol['lexicon']:8.2%} {'>=80%':>7s}",
             f"{'  (P&L-only recipe, cf. anchors)':34s} {pol['n']:6d} {pol['accuracy_polarity_only']:7.2%}",
             f"{'rt_flatiron held-out films':34s} {rt['n']:6d} {rt['accuracy']:7.2%} {rt['lexicon']:8.2%} {'>=79%':>7s}",
             f"{'scaledata full reviews':34s} {sd['n']:6d} {sd['accuracy']:7.2%} {sd['lexicon']:8.2%} {'>=88%':>7s}",
             f"{'throughput full reviews/s':34s} {sd['n']:6d} {sd['reviews_per_s']:7.0f} {'':8s} {'>=2000':>7s}",
             f"{'throughput snippets/s':34s} {rt['n']:6d} {rt['snippets_per_s']:7.0f}"]
    cut = res["cutoffs"]
    if cut is None:
        lines.append(f"{'rating cutoffs':34s} not available")
    else:
        acc = cut.get("accuracy", cut) if isinstance(cut.get("accuracy"), dict) else cut
        figures = "  ".join(f"{k} {v:.2%}" for k, v in acc.items() if isinstance(v, float))
        lines.append(f"{'rating cutoffs (5-fold)':34s} {cut.get('n', 0):6d} {figures}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realdata", type=Path, default=tr.REALDATA)
    ap.add_argument("--sample", type=int, default=None, help="at most N examples per set")
    ap.add_argument("--json", type=Path, default=None, help="write the results as JSON here")
    args = ap.parse_args(argv)
    res = evaluate(args.realdata, args.sample)
    print(format_table(res))
    if args.json:
        args.json.write_text(json.dumps(res, indent=2))
    return res


if __name__ == "__main__":
    main()
