"""Publish: build the marts in one transaction, then atomically swap in a read-only snapshot file."""
from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from schemas.config import Config
from tasks.consensus import AspectStat, consensus_sentence
from tasks.films import resolve_films
from tasks.load import SCHEMA_DIR, query_frame

PUBLIC_TABLES = ("films", "film_aliases", "reviews", "chunks", "mentions", "film_consensus")
_MODEL_MARKER = re.compile(r"^-- model: (\S+)\s*$", re.M)


def marts_models() -> dict[str, str]:
    """The SQL of schemas/marts.sql split into its named models, in file order."""
    parts = _MODEL_MARKER.split((SCHEMA_DIR / "marts.sql").read_text())
    return {name: sql for name, sql in zip(parts[1::2], parts[2::2])}


def build_marts(con, config: Config, published_at: datetime | None = None) -> None:
    """Resolve films, then rebuild every public table inside one transaction."""
    published_at = published_at or datetime.now(timezone.utc).replace(tzinfo=None)
    _set_variables(con, config, published_at)
    models = marts_models()
    con.execute("BEGIN TRANSACTION")
    try:
        _write_film_map(con, config)
        _write_top_critics(con, config)
        for name in ("films", "film_aliases", "reviews", "chunks", "mentions", "film_aspect_stats"):
            con.execute(models[name])
        _write_consensus_text(con)
        con.execute(models["film_consensus"])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def snapshot(con, db_path: str | Path, run_id: str | None = None, tables: tuple[str, ...] = PUBLIC_TABLES) -> Path:
    """Copy the public tables into a fresh file and rename it over db_path (readers never see a mix)."""
    db_path = Path(db_path)
    tmp = db_path.with_name(db_path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con.execute(f"ATTACH '{_sql_path(tmp)}' AS snap")
    try:
        for table in tables:
            con.execute(f"CREATE TABLE snap.main.{table} AS SELECT * FROM main.{table}")
            comment = _table_comment(con, table)
            if comment:
                con.execute(f"COMMENT ON TABLE snap.main.{table} IS '{comment.replace(chr(39), chr(39) * 2)}'")
        _copy_outcomes(con, run_id)
    finally:
        con.execute("DETACH snap")
    _fsync(tmp)
    os.replace(tmp, db_path)
    return db_path


def consensus_table(con) -> pl.DataFrame:
    """The published consensus rows, best first, for printing."""
    return query_frame(con, """SELECT title, year, review_count, fresh_count, tomatometer, tomatometer_low,
                                 tomatometer_high, status, avg_score, top_critic_count
                          FROM film_consensus ORDER BY tomatometer DESC, review_count DESC, title""")


def _set_variables(con, config: Config, published_at: datetime) -> None:
    settings = config.consensus
    for name in ("fresh_threshold", "certified_threshold", "certified_min_reviews",
                 "certified_min_top_critics", "min_reviews_for_status"):
        con.execute(f"SET VARIABLE {name} = {int(getattr(settings, name))}")
    con.execute("SET VARIABLE published_at = ?", [published_at])


def _write_film_map(con, config: Config) -> None:
    seen = con.execute("SELECT DISTINCT film_title, film_year FROM staging.reviews").fetchall()
    resolved = resolve_films([(t, y) for t, y in seen], config.film_aliases)
    rows = [{"film_title": t, "film_year": y, "film_id": fid, "title": title, "year": year}
            for (t, y), (fid, title, year) in resolved.items()]
    frame = pl.DataFrame(rows, schema={"film_title": pl.String, "film_year": pl.Int32, "film_id": pl.String,
                                       "title": pl.String, "year": pl.Int32})
    con.register("film_map_frame", frame.to_arrow())
    con.execute("CREATE OR REPLACE TABLE staging.film_map AS SELECT * FROM film_map_frame")


def _write_top_critics(con, config: Config) -> None:
    keys = sorted({c.strip().lower() for c in config.top_critics})
    con.register("top_frame", pl.DataFrame({"critic_key": keys}, schema={"critic_key": pl.String}).to_arrow())
    con.execute("CREATE OR REPLACE TABLE staging.top_critics AS SELECT * FROM top_frame")


def _write_consensus_text(con) -> None:
    stats = query_frame(con, "SELECT * FROM film_aspect_stats")
    meters = query_frame(con, """SELECT films.film_id, films.title, count(*) AS review_count,
                                   CAST((200 * count(*) FILTER (WHERE verdict = 'fresh') + count(*)) // (2 * count(*)) AS INTEGER) AS tomatometer
                            FROM reviews JOIN films USING (film_id) GROUP BY ALL""")
    by_film: dict[str, list[AspectStat]] = {}
    for row in stats.to_dicts():
        by_film.setdefault(row["film_id"], []).append(
            AspectStat(row["aspect"], row["review_count"], row["positive_count"], row["negative_count"]))
    rows = [{"film_id": m["film_id"],
             "consensus": consensus_sentence(m["title"], m["tomatometer"], m["review_count"], by_film.get(m["film_id"], []))}
            for m in meters.to_dicts()]
    frame = pl.DataFrame(rows, schema={"film_id": pl.String, "consensus": pl.String})
    con.register("consensus_frame", frame.to_arrow())
    con.execute("CREATE OR REPLACE TABLE staging.consensus_text AS SELECT * FROM consensus_frame")


def _copy_outcomes(con, run_id: str | None) -> None:
    con.execute("""CREATE TABLE snap.main.url_outcomes AS
                   SELECT url, source, outcome, reason, run_id, recorded_at FROM raw.url_outcomes
                   WHERE run_id = coalesce(?, (SELECT max_by(run_id, started_at) FROM raw.runs))""", [run_id])
    con.execute("COMMENT ON TABLE snap.main.url_outcomes IS 'Grain: one row per discovered URL of the latest run: outcome and reason.'")


def _table_comment(con, table: str) -> str | None:
    row = con.execute("SELECT comment FROM duckdb_tables() WHERE database_name = current_database() "
                      "AND schema_name = 'main' AND table_name = ?", [table]).fetchone()
    return row[0] if row else None


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
