"""Publish: build the marts in one transaction, then atomically swap in a read-only snapshot file."""
from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from critics.schemas.config import Config
from critics.tasks.warehouse import exports
from critics.tasks.warehouse.consensus import MAX_CITATIONS_PER_CLAIM, AspectStat, Evidence, build_consensus
from critics.tasks.runtime.faults import pause_point
from critics.tasks.extract.films import resolve_films
from critics.tasks.warehouse.film_identity import link_catalogue
from critics.tasks.warehouse.pooled_mentions import refresh_mentions
from critics.tasks.warehouse.review_identity import write_critic_identity, write_syndication
from critics.tasks.warehouse.load import query_frame, transaction
from critics.tasks.warehouse.models import Model, PythonStep, declare, load_models, plan

PUBLIC_TABLES = ("films", "film_aliases", "reviews", "chunks", "mentions", "film_consensus", "film_aspects",
                 "film_people", "consensus_history", "critic_stats", "consensus_citations", "critic_aliases")
MIN_SCORED_FOR_LABEL = 4  # no Metacritic-style label under this many scored reviews
NIGHT_STARTS_AT_HOUR = 12  # a publish night runs from local noon to the next local noon
# The published file is written in DuckDB 1.4's storage format, which DuckDB 1.4 and later (the 1.x CLI, BI tools and
# notebooks on 1.x) open; the working file stays in the newest format. Nothing the public tables use needs newer.
SNAPSHOT_STORAGE_VERSION = "v1.4.0"
PUBLISH_LAYERS = ("intermediate", "marts")  # schemas/ folders publish builds; raw and staging belong to the load


def python_steps(config: Config | None) -> list[PythonStep]:
    """The publish steps written in Python: what each reads and which declared intermediate tables it fills."""
    # Looked up per call (not a module constant), so a test can replace one step function.
    return [
        # also links films to the imported catalogue (catalogue.*, not a model) and brings staging.mentions up to
        # date with each film's pooled credits (tasks/warehouse/pooled_mentions.py)
        PythonStep("write_film_map", "intermediate", partial(_write_film_map, config=config),
                   frozenset({"staging.reviews", "staging.credits", "staging.chunks", "staging.mentions"}),
                   frozenset({"intermediate.film_map", "intermediate.film_keys"})),
        PythonStep("write_critic_identity", "intermediate",
                   lambda con: write_critic_identity(con, config.critics.same, "intermediate.critic_identity"),
                   frozenset({"staging.reviews"}), frozenset({"intermediate.critic_identity"})),
        PythonStep("write_syndication", "intermediate",
                   partial(write_syndication, film_map="intermediate.film_map", table="intermediate.syndication"),
                   frozenset({"staging.reviews", "intermediate.film_map"}),
                   frozenset({"intermediate.syndication", "intermediate.syndication_films"})),
        PythonStep("write_top_critics", "intermediate", partial(_write_top_critics, config=config),
                   frozenset(), frozenset({"intermediate.top_critics"})),
        PythonStep("write_mention_sentences", "intermediate", _write_mention_sentences,
                   frozenset({"staging.mentions", "reviews"}), frozenset({"intermediate.mention_sentences"})),
        PythonStep("write_consensus", "intermediate", _write_consensus,
                   frozenset({"film_aspect_stats", "aspect_reviews", "intermediate.film_keys", "film_meters"}),
                   frozenset({"intermediate.consensus_text", "intermediate.claim_citations"})),
    ]


def publish_plan(config: Config | None) -> tuple[list[Model], list]:
    """The intermediate and marts models (for their declarations) and every step in the order publish runs them."""
    models = load_models(PUBLISH_LAYERS)
    return models, plan(models + python_steps(config))


def marts_models() -> dict[str, str]:
    """The SQL models publish runs, by name, in run order (for timing each one)."""
    _, steps = publish_plan(None)
    return {step.name: ";\n".join(step.body) for step in steps if isinstance(step, Model)}


def build_marts(con, config: Config, published_at: datetime | None = None) -> None:
    """Rebuild every intermediate and public table inside one transaction, each after the tables it reads."""
    published_at = published_at or datetime.now(timezone.utc).replace(tzinfo=None)
    _set_variables(con, config, published_at)
    models, steps = publish_plan(config)
    with transaction(con):
        declare(con, models)
        for step in steps:
            step.run(con)


def publish_night(published_at: datetime, tz: str) -> date:
    """The night a publish belongs to: local date of (local time - 12 h), so 23:00 and 03:00 share one night."""
    local = published_at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(tz))
    return (local - timedelta(hours=NIGHT_STARTS_AT_HOUR)).date()


def snapshot(con, db_path: str | Path, run_id: str | None = None, tables: tuple[str, ...] = PUBLIC_TABLES) -> Path:
    """Copy the public tables into a fresh file and rename it over db_path (readers never see a mix)."""
    db_path = Path(db_path)
    tmp = db_path.with_name(db_path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con.execute(f"ATTACH '{_sql_path(tmp)}' AS snap (STORAGE_VERSION '{SNAPSHOT_STORAGE_VERSION}')")
    try:
        for table in tables:
            con.execute(f"CREATE TABLE snap.main.{table} AS SELECT * FROM {table}")
            comment = _table_comment(con, table)
            if comment:
                con.execute(f"COMMENT ON TABLE snap.main.{table} IS '{comment.replace(chr(39), chr(39) * 2)}'")
        _copy_outcomes(con, run_id)
        pause_point("publish")  # test hook (tasks/faults.py): snapshot half made, not yet swapped in
    finally:
        con.execute("DETACH snap")
    _fsync(tmp)
    os.replace(tmp, db_path)
    return db_path


def publish_files(con, db_path: str | Path, run_id: str | None = None, export_dir: str | Path | None = None) -> Path:
    """The snapshot and the Parquet exports beside it, swapped in together; Parquet and CSV in export_dir when set."""
    folder = exports.exports_dir(db_path)
    staged = exports.stage_parquet(con, folder, PUBLIC_TABLES)  # before the swap: a failed export keeps the old night
    snapshot(con, db_path, run_id)
    exports.swap_in(staged, folder)
    if export_dir:
        exports.export_tables(con, export_dir, PUBLIC_TABLES)
    return Path(db_path)


def consensus_table(con) -> pl.DataFrame:
    """The published consensus rows, best first, for printing."""
    return query_frame(con, """SELECT title, year, review_count, fresh_count, tomatometer, tomatometer_low,
                                 tomatometer_high, status, avg_score, top_critic_count
                          FROM film_consensus ORDER BY tomatometer DESC, review_count DESC, title""")


def _set_variables(con, config: Config, published_at: datetime) -> None:
    settings = config.consensus
    for name in ("fresh_threshold", "certified_threshold", "certified_keep_threshold", "certified_min_reviews",
                 "certified_min_top_critics", "min_reviews_for_status"):
        con.execute(f"SET VARIABLE {name} = {int(getattr(settings, name))}")
    con.execute(f"SET VARIABLE min_scored_for_label = {MIN_SCORED_FOR_LABEL}")
    con.execute("SET VARIABLE published_at = ?", [published_at])
    con.execute("SET VARIABLE publish_night = CAST(? AS DATE)", [publish_night(published_at, config.timezone)])


def _write_film_map(con, config: Config) -> None:
    # page counts, so a film's canonical title is the one most of its pages use
    seen = con.execute("SELECT film_title, film_year, count(*) FROM staging.reviews GROUP BY ALL").fetchall()
    counts = {(t, y): n for t, y, n in seen}
    # films matched to one catalogue film merge; imdb_id per film and the catalogue title each surface matched
    resolved, imdb_of, matched = link_catalogue(con, resolve_films(counts, config.film_aliases), counts)
    rows = [(t, y, *film, imdb_of.get(film[0]), matched.get((t, y))) for (t, y), film in resolved.items()]
    frame = pl.DataFrame(rows, orient="row",
                         schema={"film_title": pl.String, "film_year": pl.Int32, "film_id": pl.String,
                                 "title": pl.String, "year": pl.Int32, "imdb_id": pl.String,
                                 "matched_title": pl.String})
    con.register("film_map_frame", frame.to_arrow())
    # film_key: a dense integer per film in film_id order, so the marts group a million reviews on integers
    _replace(con, "intermediate.film_map",
             "SELECT *, CAST(dense_rank() OVER (ORDER BY film_id) AS INTEGER) AS film_key FROM film_map_frame")
    # the films, deduplicated once: the films, film_meters and film_consensus models and _write_consensus read them
    _replace(con, "intermediate.film_keys",
             "SELECT DISTINCT film_key, film_id, title, year, imdb_id FROM intermediate.film_map ORDER BY film_key")
    # every review of a film searched with the film's credits from all its pages and the catalogue
    refresh_mentions(con, "intermediate.film_map")


def _write_top_critics(con, config: Config) -> None:
    keys = sorted({c.strip().lower() for c in config.top_critics})
    con.register("top_frame", pl.DataFrame({"critic_key": keys}, schema={"critic_key": pl.String}).to_arrow())
    _replace(con, "intermediate.top_critics", "SELECT * FROM top_frame")


def _write_mention_sentences(con) -> None:
    """intermediate.mention_sentences: the sentence around every aspect mention (for quotes and citations)."""
    # Extraction stored each aspect's sentence span; cutting the text there is one query.
    _replace(con, "intermediate.mention_sentences",
             """SELECT review_id, char_start, sentence_start, sentence_end,
                       substring(reviews.text, sentence_start + 1, sentence_end - sentence_start) AS sentence
                FROM staging.mentions AS mentions JOIN reviews USING (review_id)
                WHERE mentions.kind = 'aspect' AND mentions.sentence_start IS NOT NULL""")


def _write_consensus(con) -> None:
    """intermediate.consensus_text and claim_citations from the meters and per-review aspect stances."""
    aspects = _aspect_stats(con)
    meters = query_frame(con, """SELECT film_keys.film_key, film_keys.film_id, film_keys.title,
                                        film_meters.review_count, film_meters.tomatometer
                                 FROM intermediate.film_keys AS film_keys JOIN film_meters USING (film_key)
                                 ORDER BY film_keys.film_key""")
    texts, citations = [], []
    for _, film_id, title, review_count, tomatometer in meters.iter_rows():  # tuples: one per film, 20,000 at scale
        result = build_consensus(title, tomatometer, review_count, aspects.get(film_id, []))
        texts.append(result.text)
        if result.citations:
            claims = list(dict.fromkeys(claim for claim, _ in result.citations))
            citations += [{"film_id": film_id, "claim": claim, "claim_index": claims.index(claim),
                           "citation_index": i, "review_id": e.review_id, "char_start": e.char_start,
                           "char_end": e.char_end, "sentence": e.sentence}
                          for i, (claim, e) in enumerate(result.citations)]
    # with film_key, so film_consensus joins the texts on integers
    _write_frame(con, "consensus_text", pl.DataFrame(
        {"film_key": meters["film_key"], "film_id": meters["film_id"], "consensus": texts},
        schema={"film_key": pl.Int32, "film_id": pl.String, "consensus": pl.String}))
    _write_frame(con, "claim_citations", pl.DataFrame(citations, schema=_CITATION_SCHEMA))


def _aspect_stats(con) -> dict[str, list[AspectStat]]:
    stats = query_frame(con, "SELECT * FROM film_aspect_stats ORDER BY film_id, aspect")
    # Only the sentences a claim can cite (the strongest few per film, aspect and stance): holding every
    # aspect sentence of a 50,000-page night as Python objects cost ~150 MB.
    evidence = query_frame(con, f"""SELECT film_id, aspect, review_id, stance, abs(review_sentiment) AS strength,
                                           sentence_start, sentence_end, sentence FROM aspect_reviews
                                    QUALIFY row_number() OVER (PARTITION BY film_id, aspect, stance
                                                               ORDER BY abs(review_sentiment) DESC, review_id)
                                            <= {MAX_CITATIONS_PER_CLAIM}""")
    by_key: dict[tuple[str, str], list[Evidence]] = {}
    for film_id, aspect, *fields in evidence.iter_rows():  # tuples, not dicts: one row per aspect mention
        by_key.setdefault((film_id, aspect), []).append(Evidence(*fields))
    by_film: dict[str, list[AspectStat]] = {}
    for row in stats.to_dicts():
        by_film.setdefault(row["film_id"], []).append(AspectStat(
            row["aspect"], row["review_count"], row["positive_count"], row["negative_count"],
            tuple(by_key.get((row["film_id"], row["aspect"]), ()))))
    return by_film


def _write_frame(con, name: str, frame: pl.DataFrame) -> None:
    con.register(f"{name}_frame", frame.to_arrow())
    _replace(con, f"intermediate.{name}", f"SELECT * FROM {name}_frame")


def _replace(con, table: str, select: str) -> None:
    """Fill a declared table (schemas/intermediate) with a query's rows, replacing the last publish's."""
    con.execute(f"DELETE FROM {table}")
    con.execute(f"INSERT INTO {table} BY NAME {select}")


_CITATION_SCHEMA = {"film_id": pl.String, "claim": pl.String, "claim_index": pl.Int32, "citation_index": pl.Int32,
                    "review_id": pl.String, "char_start": pl.Int32, "char_end": pl.Int32, "sentence": pl.String}


def _copy_outcomes(con, run_id: str | None) -> None:
    # The latest run of each kind (run_id, the one publishing, is the latest of its kind): a daytime scrape
    # no longer hides what last night did.
    con.execute("""CREATE TABLE snap.main.url_outcomes AS
                   WITH latest AS (SELECT kind, max_by(run_id, started_at) AS run_id FROM raw.runs GROUP BY kind)
                   SELECT outcomes.url, outcomes.source, outcomes.outcome, outcomes.reason, outcomes.run_id,
                          outcomes.recorded_at, latest.kind AS run_kind
                   FROM raw.url_outcomes AS outcomes JOIN latest USING (run_id)""")
    con.execute("COMMENT ON TABLE snap.main.url_outcomes IS 'Grain: one row per run kind and discovered URL, from the "
                "latest run of each kind (run_kind: nightly, scrape, reprocess): outcome and reason.'")
    con.execute("""CREATE TABLE snap.main.runs AS
                   SELECT run_id, kind, state, message, started_at, finished_at, discovered_count, loaded_count,
                          unchanged_count, rejected_count, out_of_scope_count FROM raw.runs""")
    con.execute("COMMENT ON TABLE snap.main.runs IS 'Grain: one row per pipeline run (run_id is the Prefect flow run "
                "id): kind, final state and its one-line message, times and URL counts.'")


def _table_comment(con, table: str) -> str | None:
    # a table or a view (reviews is a view of the internal review_facts table)
    row = con.execute("""WITH objects AS (
                             SELECT database_name, schema_name, table_name AS name, comment FROM duckdb_tables()
                             UNION ALL
                             SELECT database_name, schema_name, view_name, comment FROM duckdb_views())
                         SELECT comment FROM objects
                         WHERE database_name IN ('temp', current_database()) AND schema_name = 'main' AND name = ?
                         ORDER BY database_name = 'temp' DESC""", [table]).fetchone()
    return row[0] if row else None


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
