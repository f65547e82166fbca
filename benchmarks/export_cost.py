"""What the default Parquet export adds to a publish of 1M reviews: the publish's file step with and without it.

    python benchmarks/export_cost.py [--reviews 1000000] [--films 20000] [--words 60] [--repeat 3]

A synthetic working file (run.py's synthetic reviews, plus a review text of --words words and one chunk per review
holding it) is published once with build_marts (timed); then, over those same marts, the file step alternates
between the snapshot swap alone (what a publish wrote before) and the snapshot plus exports/*.parquet
(tasks/warehouse/publish.publish_files). Rebuilding the marts for every pair would only add the same minutes to
both sides. The machine drifts, so each side reports its median; the ratio is a whole publish with the export over
one without (build + file step).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def synthetic_work(db: Path, reviews: int, films: int, words: int) -> None:
    """A working file with `reviews` staging reviews (texts of `words` words) and one chunk per review."""
    import numpy as np
    import polars as pl

    from polars_baseline import synthetic_reviews  # the publish benchmark's rows: same films, critics, scores and verdicts

    from critics.tasks.warehouse import load

    rng = np.random.default_rng(20)
    vocabulary = pl.Series([f"w{i}" for i in range(5_000)])
    words_drawn = vocabulary.gather(rng.integers(0, 5_000, reviews * words)).reshape((reviews, words))
    text = words_drawn.arr.join(" ")
    rows = synthetic_reviews(reviews, films).with_columns(text=text)
    with load.open_work(db) as con:
        con.register("synthetic", rows.to_arrow())
        con.execute("INSERT INTO staging.reviews BY NAME SELECT * FROM synthetic")
        con.execute("""INSERT INTO staging.chunks SELECT review_id, 0, text, 0, length(text)::INTEGER
                       FROM staging.reviews""")


def file_step(con, db: Path, with_export: bool) -> dict:
    """The snapshot swap alone, or the snapshot with the Parquet exports, over marts already built."""
    from critics.tasks.warehouse import exports, publish

    start = time.perf_counter()
    if with_export:
        publish.publish_files(con, db, None)
    else:
        publish.snapshot(con, db, None)
    seconds = time.perf_counter() - start
    folder = exports.exports_dir(db)
    return {"files_s": seconds,
            "export_mb": sum(p.stat().st_size for p in folder.glob("*.parquet")) / 1e6 if with_export else 0.0}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--films", type=int, default=20_000)
    parser.add_argument("--words", type=int, default=60, help="words per synthetic review text")
    parser.add_argument("--repeat", type=int, default=3, help="alternating pairs")
    args = parser.parse_args(argv)
    from critics.schemas.config import config_from_dict

    config = config_from_dict({"sources": [{"name": "Synthetic", "start_urls": ["http://127.0.0.1/"]}],
                               "critics": {"top": [f"Critic {i}" for i in range(0, 2_000, 10)]}})
    with tempfile.TemporaryDirectory(prefix="critics-export-cost-") as tmp:
        db = Path(tmp) / "critics.duckdb"
        start = time.perf_counter()
        synthetic_work(db, args.reviews, args.films, args.words)
        print(f"synthetic working file: {args.reviews:,} reviews, {time.perf_counter() - start:.1f} s", flush=True)
        from critics.tasks.warehouse import load, publish

        runs = {False: [], True: []}
        with load.open_work(db) as con:
            start = time.perf_counter()
            publish.build_marts(con, config)
            build_s = time.perf_counter() - start
            print(f"build_marts: {build_s:.1f} s", flush=True)
            for i in range(args.repeat):
                for with_export in (False, True) if i % 2 == 0 else (True, False):
                    runs[with_export].append(file_step(con, db, with_export))
                    print(f"  pair {i + 1} {'with' if with_export else 'without'} export: "
                          f"{runs[with_export][-1]['files_s']:.2f} s", flush=True)
        db_mb = db.stat().st_size / 1e6
    result = summary(runs, args, db_mb, build_s)
    print(json.dumps(result, indent=1))
    return result


def summary(runs: dict[bool, list[dict]], args, db_mb: float, build_s: float) -> dict:
    median = lambda side, key: statistics.median(r[key] for r in runs[side])  # noqa: E731
    plain, exported = median(False, "files_s"), median(True, "files_s")
    added = exported - plain
    ratio = (build_s + exported) / (build_s + plain)
    print(f"publish of {args.reviews:,} reviews: build_marts {build_s:.1f} s; file step {plain:.2f} s without export, "
          f"{exported:.2f} s with the Parquet export (median of {args.repeat}); the export adds {added:.2f} s, "
          f"ratio of whole publishes {ratio:.3f} (file step alone {exported / plain:.2f}); "
          f"exports {median(True, 'export_mb'):.0f} MB beside a {db_mb:.0f} MB published file")
    return {"reviews": args.reviews, "films": args.films, "words": args.words, "repeat": args.repeat,
            "build_marts_s": build_s, "snapshot_s": plain, "snapshot_and_export_s": exported, "export_adds_s": added,
            "publish_ratio": ratio, "file_step_ratio": exported / plain, "export_mb": median(True, "export_mb"),
            "published_mb": db_mb, "runs": {"without": runs[False], "with": runs[True]}}


if __name__ == "__main__":
    main()
