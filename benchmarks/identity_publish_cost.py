"""What the identity steps add to a publish at scale: build_marts over synthetic staging rows (no credits, no
catalogue), then each identity step again alone, printed as its share of the whole build.

python benchmarks/identity_publish_cost.py [--reviews 1000000] [--films 20000]

Steps: the film map with catalogue linking and the pooled-credit staleness check (no review is stale here, so
this is the check's fixed cost), critic identities, and syndication (reviews of a film by the same name twice
or unsigned are compared).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from polars_baseline import synthetic_reviews  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--films", type=int, default=20_000)
    args = parser.parse_args(argv)
    from critics.schemas.config import config_from_dict
    from critics.tasks.warehouse import load, publish
    from critics.tasks.warehouse.pooled_mentions import refresh_mentions
    from critics.tasks.warehouse.review_identity import write_critic_identity, write_syndication

    config = config_from_dict({"sources": [{"name": "S", "start_urls": ["http://127.0.0.1/"]}]})
    with load.open_work(Path(tempfile.mkdtemp()) / "p.duckdb") as con:
        con.register("synthetic", synthetic_reviews(args.reviews, args.films).to_arrow())
        con.execute("INSERT INTO staging.reviews BY NAME SELECT * FROM synthetic")
        started = time.perf_counter()
        publish.build_marts(con, config)
        total = time.perf_counter() - started
        print(f"build_marts over {args.reviews:,} reviews of {args.films:,} films: {total:.2f} s")
        for name, step in [
                ("film map + catalogue link + staleness check", lambda: publish._write_film_map(con, config)),
                ("  of which the staleness check", lambda: refresh_mentions(con, "intermediate.film_map")),
                ("critic identities", lambda: write_critic_identity(con, [], "intermediate.critic_identity")),
                ("syndication", lambda: write_syndication(con, "intermediate.film_map", "intermediate.syndication"))]:
            started = time.perf_counter()
            step()
            seconds = time.perf_counter() - started
            print(f"{name}: {seconds:.2f} s = {seconds / total:.1%} of build_marts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
