"""What the identity steps cost a publish at scale: build_marts over synthetic staging rows, each step timed, against
the same build in another checkout of the code (paired, alternating, in this session), printed as ratios.

python benchmarks/identity_publish_cost.py [--reviews 1000000] [--films 20000] [--words 0] [--repeat 2]
                                           [--code before=/path/to/pythonpath ...]

Each run is a fresh process: it builds a working file of synthetic reviews (benchmarks/polars_baseline.py's rows,
with texts of --words words and one chunk each as benchmarks/export_cost.py makes them), runs build_marts once
(every step and SQL model timed, when that code runs them in a plan), then adds 1% new reviews and publishes again
(what a night that changed little costs). `--code NAME=DIR` runs the same with DIR first on PYTHONPATH (DIR holds a
`critics` package, e.g. symlinks into a `git worktree` of an older commit); the working tree's code is `now` (first
unless a --code names itself now). Ratios are to the first side.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--films", type=int, default=20_000)
    parser.add_argument("--words", type=int, default=0, help="words per synthetic review text (0: empty texts)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--code", action="append", default=[], help="NAME=PYTHONPATH of another checkout")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.reviews, args.films, args.words)))
        return 0
    codes = [tuple(c.split("=", 1)) for c in args.code]
    if "now" not in dict(codes):
        codes.insert(0, ("now", None))
    runs: dict[str, list[dict]] = {name: [] for name, _ in codes}
    for _ in range(args.repeat):
        for name, path in codes:  # alternating, so drift in the machine's load falls on every side alike
            runs[name].append(_spawn(path, args))
            print(f"{name}: build_marts {runs[name][-1]['build_s']:.2f} s, "
                  f"again after +1% {runs[name][-1]['again_s']:.2f} s", flush=True)
    report(runs, args)
    return 0


def worker(reviews: int, films: int, words: int) -> dict:
    """One code version: a fresh working file, build_marts timed per step, then once more after 1% new reviews."""
    from export_cost import synthetic_work

    from critics.schemas.config import config_from_dict
    from critics.tasks.warehouse import load

    config = config_from_dict({"sources": [{"name": "Synthetic", "start_urls": ["http://127.0.0.1/"]}],
                               "critics": {"top": [f"Critic {i}" for i in range(0, 2_000, 10)]}})
    with tempfile.TemporaryDirectory() as folder:  # ~1 GB at 1M reviews of 60 words: gone when the run ends
        db = Path(folder) / "identity.duckdb"
        synthetic_work(db, reviews, films, words)
        with load.open_work(db) as con:
            build_s, steps = _timed_build(con, config)
            _add_reviews(con, max(1, reviews // 100))
            again_s, again_steps = _timed_build(con, config)
    return {"build_s": build_s, "steps": steps, "again_s": again_s, "again_steps": again_steps}


def _timed_build(con, config) -> tuple[float, dict[str, float]]:
    """build_marts as publish runs it, each step timed when this code plans its steps (else the whole only)."""
    from critics.tasks.warehouse import publish

    started = time.perf_counter()
    if not hasattr(publish, "publish_plan"):
        publish.build_marts(con, config)
        return time.perf_counter() - started, {}
    from critics.tasks.warehouse.load import transaction
    from critics.tasks.warehouse.models import declare

    steps: dict[str, float] = {}
    publish._set_variables(con, config, datetime.now(timezone.utc).replace(tzinfo=None))
    models, plan = publish.publish_plan(config)
    with transaction(con):
        declare(con, models)
        for step in plan:
            began = time.perf_counter()
            step.run(con)
            steps[step.name] = time.perf_counter() - began
    return time.perf_counter() - started, steps


def _add_reviews(con, count: int) -> None:
    """`count` new reviews under new ids (a later night's pages of the same films): existing rows with their words
    reversed, so each is a new text (no shared 3-word run), not a copy."""
    con.execute(f"""INSERT INTO staging.reviews BY NAME
                    SELECT * REPLACE ('n' || review_id AS review_id, 'http://127.0.0.1/new/' || review_id AS url,
                                      array_to_string(list_reverse(string_split(text, ' ')), ' ') AS text)
                    FROM staging.reviews ORDER BY review_id LIMIT {count}""")
    con.execute("""INSERT INTO staging.chunks SELECT review_id, 0, text, 0, length(text)::INTEGER
                   FROM staging.reviews WHERE review_id LIKE 'n%'""")


def _spawn(path: str | None, args) -> dict:
    env = dict(os.environ)
    if path:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (path, env.get("PYTHONPATH")) if p)
    out = subprocess.run([sys.executable, __file__, "--worker", "--reviews", str(args.reviews), "--films",
                          str(args.films), "--words", str(args.words)], env=env, capture_output=True, text=True,
                         cwd=tempfile.gettempdir())
    if out.returncode:
        raise SystemExit(f"a run with PYTHONPATH={path} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(runs: dict[str, list[dict]], args) -> None:
    """Best of each side, the per-step table (best per step), and each side's ratio to the first."""
    print(f"\nbuild_marts over {args.reviews:,} reviews of {args.films:,} films, {args.words} words each "
          f"(best of {args.repeat}; load average {os.getloadavg()[0]:.1f})")
    names = list(runs)
    base = names[0]  # ratios are to the first side run
    best = {n: min(r["build_s"] for r in runs[n]) for n in names}
    again = {n: min(r["again_s"] for r in runs[n]) for n in names}
    for n in names:
        print(f"  {n:>10}: {best[n]:7.2f} s = {best[n] / best[base]:.2f}x {base}; after +1% reviews: {again[n]:7.2f} s "
              f"= {again[n] / again[base]:.2f}x {base}")
    steps = list(dict.fromkeys(s for n in names for r in runs[n] for s in r["steps"]))
    if steps:
        print(f"\n  {'step':<28}" + "".join(f"{n + ' 1st':>12}{n + ' +1%':>12}" for n in names))
        for step in steps:
            cells = "".join(f"{_best(runs[n], 'steps', step):>12}{_best(runs[n], 'again_steps', step):>12}"
                            for n in names)
            print(f"  {step:<28}{cells}")


def _best(runs: list[dict], key: str, step: str) -> str:
    values = [r[key][step] for r in runs if step in r[key]]
    return f"{min(values):.3f}" if values else "-"


if __name__ == "__main__":
    raise SystemExit(main())
