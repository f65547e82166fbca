"""Learn each outlet's usual rating scale (data/models/outlet_scales.json) from real Rotten Tomatoes data.

A page that prints '2 stars' or '★★' states no scale; the Kansas City Star means 2 of 4, a UK paper 2 of 5.
The RT data records each critic's rating with its scale ('3/4'), so an outlet whose rated reviews use one
scale at least MIN_SHARE of the time, over at least MIN_N of them, gets that scale as its usual one.
Data: `rt_flatiron/rt.reviews.tsv.gz` (tstrain199/movie-type-analysis @5f8ca963), read from ../shared/realdata
at training time only; the shipped table holds outlet names and numbers, no text.

Run: python -m critics.tasks.training.outlet_scales [--realdata DIR] [--out data/models/outlet_scales.json]
"""
from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from critics.tasks.extract.scales import SCALES_PATH, outlet_key
from critics.tasks.training.cutoffs import REALDATA, load_examples

MIN_N = 10        # rated reviews an outlet needs before its habit counts
MIN_SHARE = 0.8   # share of them on one scale
SCALES = {"x/4": 4, "x/5": 5, "x/10": 10}  # star-like scales a bare count can mean


def count_scales(realdata: Path = REALDATA) -> dict[str, Counter]:
    """Outlet key -> how many of its scored ratings use each scale (the rows the cutoffs are learned from)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for _, outlet, scale, _, _ in load_examples(realdata):
        if outlet:  # a review without a publisher says nothing about any outlet
            counts[outlet_key(outlet)][scale] += 1
    return counts


def usual_scales(counts: dict[str, Counter]) -> dict[str, int]:
    """Outlets whose ratings keep to one star-like scale."""
    found = {}
    for outlet, scales in counts.items():
        total = sum(scales.values())
        scale, n = scales.most_common(1)[0]
        if total >= MIN_N and n >= MIN_SHARE * total and scale in SCALES:
            found[outlet] = SCALES[scale]
    return dict(sorted(found.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdata", type=Path, default=REALDATA)
    parser.add_argument("--out", type=Path, default=Path(str(SCALES_PATH)))
    args = parser.parse_args(argv)
    table = usual_scales(count_scales(args.realdata))
    artefact = {"provenance": {"data": "rt_flatiron/rt.reviews.tsv.gz", "source": "tstrain199/movie-type-analysis @5f8ca963",
                               "min_n": MIN_N, "min_share": MIN_SHARE}, "outlets": table}
    args.out.write_text(json.dumps(artefact, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(table)} outlets with a usual scale: " + ", ".join(f"/{s}: {sum(v == s for v in table.values())}"
                                                                   for s in sorted(set(table.values()))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
