"""Publish at scale, and its baseline: the consensus marts in Polars over the same inputs, compared row for row.

    publish_at_scale(work_dir) -> dict      # called by benchmarks/run.py (skipped by --quick)

build_marts runs over a million synthetic staging rows; then the consensus SQL models (film_meters,
film_consensus) and polars_consensus, a Polars implementation of the same figures, alternate `repeats`
times and their rows are compared. polars_consensus is the baseline, not part of the pipeline.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path


def publish_at_scale(work: Path, reviews: int = 1_000_000, films: int = 20_000, repeats: int = 5) -> dict:
    """build_marts over synthetic staging rows, and the consensus SQL alone against the same in Polars.

    The consensus comparison takes the best of `repeats` runs of each side, alternating, in this process. Both
    sides read the same inputs (the internal review_facts columns film_meters reads, the film keys and titles,
    consensus_history, intermediate.consensus_text) and produce the same film_consensus rows, which are compared.
    """
    from critics.schemas.config import config_from_dict
    from critics.tasks.warehouse import load, publish
    from critics.tasks.warehouse.load import query_frame

    db = work / "publish.duckdb"
    config = config_from_dict({"sources": [{"name": "Synthetic", "start_urls": ["http://127.0.0.1/"]}],
                               "critics": {"top": [f"Critic {i}" for i in range(0, 2_000, 10)]}})
    with load.open_work(db) as con:
        con.register("synthetic", synthetic_reviews(reviews, films).to_arrow())
        con.execute("INSERT INTO staging.reviews BY NAME SELECT * FROM synthetic")
        start = time.perf_counter()
        publish.build_marts(con, config)
        build_s = time.perf_counter() - start
        start = time.perf_counter()
        publish.snapshot(con, db, None)
        snapshot_s = time.perf_counter() - start
        models = publish.marts_models()
        model_s = {}
        for name, sql in models.items():  # each model again, in file order, to find the slow ones
            start = time.perf_counter()
            con.execute(sql)
            model_s[name] = time.perf_counter() - start
        names = [n for n in ("film_meters", "film_consensus") if n in models] or ["film_consensus"]
        inputs = {  # what the two SQL models read, as a Polars publish step would read it from DuckDB
            "reviews": ("SELECT film_key, is_fresh, score, score_exact, is_top_critic, is_model_verdict FROM review_facts"
                        " WHERE syndicated_of IS NULL"),  # a syndicated copy counts once, as in film_meters
            "films": "SELECT film_key, film_id, title, year, imdb_id FROM intermediate.film_keys",
            "history": "SELECT film_id, publish_night, status FROM consensus_history",
            "texts": "SELECT film_id, consensus FROM intermediate.consensus_text"}
        published_at, night = con.execute(
            "SELECT getvariable('published_at'), getvariable('publish_night')").fetchall()[0]
        sql_runs, polars_runs, e2e_runs = [], [], []
        for _ in range(repeats):
            start = time.perf_counter()
            for name in names:
                con.execute(models[name])
            sql_runs.append(time.perf_counter() - start)
            start = time.perf_counter()  # Polars as a publish step would use it: read from DuckDB, compute, write back
            frames = {key: query_frame(con, sql) for key, sql in inputs.items()}
            read_s = time.perf_counter() - start
            start = time.perf_counter()
            result = polars_consensus(frames["reviews"], frames["films"], config, frames["history"], frames["texts"],
                                      published_at, night)
            polars_runs.append(time.perf_counter() - start)
            start = time.perf_counter()
            con.register("polars_consensus_frame", result.to_arrow())
            con.execute("CREATE OR REPLACE TEMP TABLE polars_consensus AS SELECT * FROM polars_consensus_frame")
            e2e_runs.append(read_s + polars_runs[-1] + time.perf_counter() - start)
        # the same rows: every column of film_consensus, exactly (doubles are rounded in both)
        mismatched = con.execute("""SELECT (SELECT count(*) FROM (FROM film_consensus EXCEPT ALL FROM polars_consensus))
                                         + (SELECT count(*) FROM (FROM polars_consensus EXCEPT ALL FROM film_consensus))
                                 """).fetchone()[0]
        row_count = con.execute("SELECT count(*) FROM film_consensus").fetchone()[0]
    return {"reviews": reviews, "films": films, "build_marts_s": build_s, "snapshot_s": snapshot_s, "model_s": model_s,
            "consensus_sql_s": min(sql_runs), "consensus_sql_runs_s": sql_runs,
            "consensus_models": names, "polars_s": min(polars_runs), "polars_runs_s": polars_runs,
            "polars_e2e_s": min(e2e_runs), "sql_rows": row_count, "polars_rows": result.height,
            "mismatched_rows": mismatched}


def synthetic_reviews(reviews: int, films: int):
    """Staging rows for `reviews` reviews spread over `films` films (seeded, so every run is the same)."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(8)
    film = rng.integers(0, films, reviews)
    fresh_p = rng.uniform(0.1, 0.95, films)[film]
    score = np.clip(rng.normal(fresh_p * 100, 15), 0, 100)
    critic = rng.integers(0, 2_000, reviews)
    ids = pl.Series(np.arange(reviews)).cast(pl.String)
    return pl.DataFrame({
        "review_id": "r" + ids, "url": "http://127.0.0.1/review/" + ids, "fetched_url": "http://127.0.0.1/review/" + ids,
        "source": "Synthetic", "sha256": ids,
        "film_title": "Synthetic Film " + pl.Series(film).cast(pl.String),
        "film_year": pl.Series(2000 + film % 25, dtype=pl.Int32),
        "critic": "Critic " + pl.Series(critic).cast(pl.String), "outlet": "Outlet " + pl.Series(critic % 50).cast(pl.String),
        "score": pl.Series(np.where(rng.random(reviews) < 0.8, score, np.nan)).fill_nan(None),
        "verdict": pl.Series(np.where(rng.random(reviews) < fresh_p, "fresh", "rotten")),
        "verdict_source": pl.Series(np.where(rng.random(reviews) < 0.8, "rating", "model")),
        "text": "", "word_count": pl.Series(np.full(reviews, 500), dtype=pl.Int32), "run_id": "synthetic",
    }).with_columns(extracted_at=pl.lit(datetime(2025, 1, 1, tzinfo=timezone.utc)))


def polars_consensus(reviews, films, config, history, texts, published_at, publish_night):
    """film_meters + film_consensus in Polars: the same inputs, columns and values as the SQL models.

    reviews: film_key, is_fresh, score, score_exact, is_top_critic, is_model_verdict (review_facts, earliest prints
    only); films: film_key, film_id, title, year, imdb_id; history: consensus_history (film_id, publish_night, status); texts: film_id, consensus.
    """
    import polars as pl

    from critics.tasks.warehouse.publish import MIN_SCORED_FOR_LABEL

    s, z = config.consensus, 1.959963984540054
    col, fresh, top = pl.col, pl.col("is_fresh"), pl.col("is_top_critic")

    def rounded(name: str, decimals: int):
        """DuckDB's round(DOUBLE, d): half away from zero on the double's exact value (Polars' round scales first,
        which moves ties: 70.549999... becomes 70.6). The error-free product p + e == x * 10**d decides ties."""
        x, m, split = col(name), 10.0 ** decimals, 134217729.0  # Dekker's split: 26-bit halves multiply exactly
        p = x * m
        xh = x * split - (x * split - x)
        mh = m * split - (m * split - m)
        e = ((xh * mh - p) + xh * (m - mh) + (x - xh) * mh) + (x - xh) * (m - mh)
        a, ea = p.abs(), pl.when(p < 0).then(-e).otherwise(e)
        n = (a + 0.5).floor()
        n = pl.when((n - a == 0.5) & (ea < 0)).then(n - 1).otherwise(n)
        # divided by a column: Polars divides by a scalar as x * (1/m), which is not always the nearest double
        return (pl.when(p < 0).then(-n).otherwise(n) / (n * 0.0 + m)).alias(name)

    # As the SQL's avg(score_exact) (DECIMAL(18, 3)): exact sums of thousandths, divided once as DuckDB does.
    milli = (col("score_exact") * 1000).cast(pl.Int64)
    counts = (reviews.lazy()
              .with_columns(milli=milli, top_milli=pl.when(top).then(milli), top_fresh=top & fresh)
              .group_by("film_key").agg(
                  pl.len().cast(pl.Int64).alias("review_count"), fresh.sum().cast(pl.Int64).alias("fresh_count"),
                  col("score").count().cast(pl.Int64).alias("scored_count"), col("milli").sum().alias("milli_sum"),
                  col("score").std(ddof=0).alias("score_stddev"), top.sum().cast(pl.Int64).alias("top_critic_count"),
                  col("top_fresh").sum().alias("top_critic_fresh_count"), col("top_milli").sum().alias("top_milli_sum"),
                  col("top_milli").count().alias("top_critic_scored_count"),
                  col("is_model_verdict").sum().alias("model_verdict_count")))
    previous = (history.lazy().filter(col("publish_night") < publish_night).group_by("film_id")
                .agg(col("status").sort_by("publish_night").last().alias("previous_status")))
    n, fresh_n, top_n, scored = col("review_count"), col("fresh_count"), col("top_critic_count"), col("scored_count")
    meter = ((200 * fresh_n + n) // (2 * n)).cast(pl.Int32)
    status = (pl.when(n < s.min_reviews_for_status).then(None)
              .when((meter >= s.certified_threshold) & (n >= s.certified_min_reviews)
                    & (top_n >= s.certified_min_top_critics)).then(pl.lit("certified_fresh"))
              .when((col("previous_status") == "certified_fresh") & (meter >= s.certified_keep_threshold))
              .then(pl.lit("certified_fresh"))
              .when(meter >= s.fresh_threshold).then(pl.lit("fresh")).otherwise(pl.lit("rotten")))
    mc = (col("avg_score") + 0.5).floor()
    label = (pl.when(scored < MIN_SCORED_FOR_LABEL).then(None)
             .when(mc >= 81).then(pl.lit("universal acclaim")).when(mc >= 61).then(pl.lit("generally favorable"))
             .when(mc >= 40).then(pl.lit("mixed or average")).when(mc >= 20).then(pl.lit("generally unfavorable"))
             .otherwise(pl.lit("overwhelming dislike")))
    minority = pl.min_horizontal(fresh_n, n - fresh_n) / n
    controversial = pl.when(n >= s.min_reviews_for_status).then(
        (minority >= 0.35) | ((scored >= MIN_SCORED_FOR_LABEL) & (col("score_stddev") >= 25)))
    p = fresh_n / n
    meters = (counts.join(films.lazy(), on="film_key").join(previous, on="film_id", how="left")
              .with_columns(
                  pl.when(scored > 0).then(col("milli_sum") / (scored * 1000.0)).alias("avg_score"),
                  pl.when(col("top_critic_scored_count") > 0)
                  .then(col("top_milli_sum") / (col("top_critic_scored_count") * 1000.0)).alias("top_critic_avg_score"),
                  ((p + z * z / (2 * n)) / (1 + z * z / n)).alias("center"),
                  (z * (p * (1 - p) / n + z * z / (4 * n * n)).sqrt() / (1 + z * z / n)).alias("half"),
                  (col("model_verdict_count") / n).alias("model_verdict_share"))
              .with_columns(
                  meter.alias("tomatometer"), status.alias("status"), label.alias("avg_score_label"),
                  controversial.alias("is_controversial"),
                  (100 * (col("center") - col("half")).clip(lower_bound=0)).alias("tomatometer_low"),
                  (100 * (col("center") + col("half")).clip(upper_bound=1)).alias("tomatometer_high"),
                  pl.when(top_n > 0).then((200 * col("top_critic_fresh_count") + top_n) // (2 * top_n))
                  .cast(pl.Int32).alias("top_critic_tomatometer"),
                  pl.when(scored >= 2).then(col("score_stddev")).alias("score_stddev"))
              .with_columns(rounded("tomatometer_low", 1), rounded("tomatometer_high", 1), rounded("avg_score", 1),
                            rounded("top_critic_avg_score", 1), rounded("score_stddev", 1),
                            rounded("model_verdict_share", 3)))
    return (meters.join(texts.lazy(), on="film_id", how="left")
            .with_columns(pl.lit(published_at, dtype=pl.Datetime("us")).alias("published_at"))
            .select("film_id", "title", "year", "imdb_id", "review_count", "fresh_count", "tomatometer", "tomatometer_low",
                    "tomatometer_high", "status", "scored_count", "avg_score", "top_critic_count",
                    "top_critic_tomatometer", "consensus", "published_at", "avg_score_label", "top_critic_avg_score",
                    "score_stddev", "is_controversial", "model_verdict_share")
            .sort("film_id")
            .collect())
