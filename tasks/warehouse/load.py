"""DuckDB only: the working database, bulk loads through Polars/Arrow, per-URL accounting."""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from critics.schemas.outcomes import Outcome
from critics.schemas.records import ExtractedReview
from critics.tasks.runtime.faults import pause_point
from critics.tasks.acquire.fetch import FetchResult
from critics.tasks.warehouse.models import declare, load_models

_CREATED: set[Path] = set()  # working databases whose layers this process has already created
WORK_MEMORY_LIMIT = "300MB"  # DuckDB's share of the 1 GB a 50,000-page night may use; it spills to disk past it
_HELD: dict[Path, duckdb.DuckDBPyConnection] = {}  # working databases kept open for a run (held_open)


def query_frame(con, sql: str, params: list | None = None) -> pl.DataFrame:
    """Run a query and return its result as a Polars frame (via Arrow)."""
    return pl.from_arrow(con.sql(sql, params=params or None).to_arrow_table())


def work_path(db_path: str | Path) -> Path:
    """The pipeline's private working database beside the published one."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + ".work.duckdb")


def archive_root(db_path: str | Path) -> Path:
    """Folder of the WARC raw archive (*.warc.gz) for this database."""
    return Path(db_path).parent / "warc"


def legacy_archive_root(db_path: str | Path) -> Path:
    """Folder of the pre-WARC archive (one gzip per body, by hash), migrated once into the WARC archive."""
    return Path(db_path).parent / "raw"


def record_archive(con, archive) -> None:
    """Index in raw.warc_records what the WARC archive (tasks/acquire/archive) wrote since the last call.

    If the insert fails the entries go back to the archive for the next call."""
    entries = archive.drain()
    if not entries:
        return
    try:
        con.register("warc_index", pl.DataFrame([vars(e) for e in entries], schema=_WARC_SCHEMA).to_arrow())
        con.execute("INSERT INTO raw.warc_records BY NAME SELECT * FROM warc_index ON CONFLICT DO NOTHING")
        con.unregister("warc_index")
    except Exception:
        archive.pending[:0] = entries
        raise


@contextmanager
def open_work(db_path: str | Path):
    """Connection to the working database with raw and staging layers created (a cursor of a held one, if any)."""
    path = work_path(db_path)
    held = _HELD.get(path.resolve())
    if held is not None:
        cursor = held.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
        return
    is_new = not path.exists()
    # A run holds this connection open for hours; without a limit DuckDB caches up to 80% of RAM.
    con = duckdb.connect(str(path), config={"memory_limit": WORK_MEMORY_LIMIT})
    try:
        if is_new or path.resolve() not in _CREATED:  # the DDL is idempotent but costs ~40 ms per open
            create_layers(con)
            _CREATED.add(path.resolve())
        yield con
    finally:
        con.close()


def create_layers(con) -> None:
    """Create the raw and staging tables (schemas/raw, schemas/staging), renaming columns of older files."""
    _rename_columns(con)
    declare(con, load_models(("raw", "staging")))


def _rename_columns(con) -> None:
    # 0.5.0: DATE columns are *_date internally (the public reviews view keeps the interface's published_at too)
    for schema, table, old, new in _RENAMED_COLUMNS:
        if con.execute("SELECT 1 FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = ? "
                       "AND table_name = ? AND column_name = ?", [schema, table, old]).fetchone():
            con.execute(f"ALTER TABLE {schema}.{table} RENAME COLUMN {old} TO {new}")


_RENAMED_COLUMNS = (("staging", "reviews", "published_at", "published_date"),)


@contextmanager
def held_open(db_path: str | Path):
    """Keep one connection to the working database for a whole run; open_work hands out cursors of it."""
    # Opening the file per batch reloaded the catalog and checkpointed at every close: a tenth of a crawl's CPU.
    key = work_path(db_path).resolve()
    with open_work(db_path) as con:
        _HELD[key] = con
        try:
            yield con
        finally:
            del _HELD[key]


def review_id(canonical_url: str) -> str:
    """Stable review key: a short hash of the canonical URL."""
    return hashlib.sha256(canonical_url.encode()).hexdigest()[:16]


def start_run(con, run_id: str, kind: str) -> None:
    """Record that a run began."""
    con.execute("INSERT OR REPLACE INTO raw.runs (run_id, kind, started_at) VALUES (?, ?, ?)", [run_id, kind, _now()])


def record_verdict(con, run_id: str, state: str, message: str) -> None:
    """How the run ends (completed | failed) and its one-line message, as the flow reports them."""
    con.execute("UPDATE raw.runs SET state = ?, message = ? WHERE run_id = ?", [state, message, run_id])


def known_pages(con, urls: list[str]) -> dict[str, dict]:
    """Stored fetch state (etag, last_modified, sha256, last_fetched_at, is_loaded) for the given URLs."""
    con.register("wanted_urls", pl.DataFrame({"url": urls}, schema={"url": pl.String}).to_arrow())
    rows = query_frame(
        con, """SELECT p.url, p.etag, p.last_modified, p.sha256, p.last_fetched_at,
                  EXISTS (SELECT 1 FROM staging.reviews r WHERE r.fetched_url = p.url AND r.sha256 = p.sha256) AS is_loaded
           FROM raw.pages p JOIN wanted_urls USING (url)""")
    return {row["url"]: row for row in rows.to_dicts()}


def record_fetches(con, run_id: str, source_of: dict[str, str], results: list[FetchResult], hashes: dict[str, str]) -> None:
    """Append the fetch log and upsert page state, in one transaction."""
    attempts = [{"run_id": run_id, "url": a.url, "attempt": a.attempt, "http_status": a.status,
                 "byte_count": a.byte_count, "elapsed_ms": a.elapsed_ms, "outcome": a.outcome,
                 "fetched_at": a.fetched_at} for r in results for a in r.attempts]
    pages = [_page_row(r, source_of[r.url], hashes.get(r.url)) for r in results if r.attempts]
    with transaction(con):
        if attempts:
            con.register("attempts", pl.DataFrame(attempts, schema=_ATTEMPT_SCHEMA).to_arrow())
            con.execute("INSERT INTO raw.fetch_log SELECT * FROM attempts")
        if pages:
            con.register("pages", pl.DataFrame(pages, schema=_PAGE_SCHEMA).to_arrow())
            con.execute(_UPSERT_PAGES)
            con.execute("""INSERT INTO raw.page_versions SELECT url, sha256, fetched_at FROM pages
                           WHERE sha256 IS NOT NULL ON CONFLICT DO NOTHING""")


def upsert_reviews(con, run_id: str, reviews: list[ExtractedReview], source_of: dict[str, str], hashes: dict[str, str]) -> None:
    """Replace the staging rows of these reviews (review, chunks, mentions, credits) in one transaction."""
    if not reviews:
        return
    frames = review_frames(run_id, reviews, source_of, hashes)
    with transaction(con):
        for name, frame in frames.items():
            con.register(f"new_{name}", frame.to_arrow())
        con.execute("DELETE FROM staging.reviews WHERE review_id IN (SELECT review_id FROM new_reviews)")
        con.execute("DELETE FROM staging.reviews WHERE url IN (SELECT url FROM new_reviews)")
        for table in ("chunks", "mentions", "credits"):
            con.execute(f"DELETE FROM staging.{table} WHERE review_id IN (SELECT review_id FROM new_reviews)")
        for table in ("reviews", "chunks", "mentions", "credits"):
            con.execute(f"INSERT INTO staging.{table} BY NAME SELECT * FROM new_{table}")
        pause_point("load")  # test hook (tasks/faults.py): a kill here must roll the batch back


def record_outcomes(con, run_id: str, outcomes: list[tuple[str, str, str, str | None]]) -> None:
    """Upsert (url, source, outcome, reason) rows for this run."""
    if not outcomes:
        return
    frame = pl.DataFrame(
        [{"run_id": run_id, "url": u, "source": s, "outcome": o, "reason": r, "recorded_at": _now()} for u, s, o, r in outcomes],
        schema={"run_id": pl.String, "url": pl.String, "source": pl.String, "outcome": pl.String,
                "reason": pl.String, "recorded_at": pl.Datetime("us", "UTC")})
    with transaction(con):
        con.register("outcomes", frame.to_arrow())
        con.execute("INSERT OR REPLACE INTO raw.url_outcomes SELECT * FROM outcomes")


def finish_run(con, run_id: str) -> dict[str, int]:
    """Count this run's outcomes into raw.runs and return them."""
    counts = dict(con.execute("SELECT outcome, count(*) FROM raw.url_outcomes WHERE run_id = ? GROUP BY outcome",
                              [run_id]).fetchall())
    summary = {k: int(counts.get(k, 0)) for k in Outcome}
    summary["discovered"] = sum(summary.values())
    con.execute("""UPDATE raw.runs SET finished_at = ?, discovered_count = ?, loaded_count = ?, unchanged_count = ?,
                   rejected_count = ?, out_of_scope_count = ? WHERE run_id = ?""",
                [_now(), summary["discovered"], summary["loaded"], summary["unchanged"], summary["rejected"],
                 summary["out_of_scope"], run_id])
    return summary


def review_frames(run_id: str, reviews: list[ExtractedReview], source_of: dict[str, str], hashes: dict[str, str]) -> dict[str, pl.DataFrame]:
    """Polars frames for staging.reviews, chunks, mentions and credits."""
    now = _now()
    rows, chunks, mentions, credits = [], [], [], []
    for review in reviews:
        page = review.page
        rid = review_id(page.canonical_url)
        rows.append(_review_row(rid, run_id, review, source_of[page.url], hashes[page.url], now))
        chunks += [{"review_id": rid, "chunk_index": c.chunk_index, "text": c.text,
                    "char_start": c.char_start, "char_end": c.char_end} for c in review.chunks]
        mentions += [{"review_id": rid, "chunk_index": i, "name": m.name, "kind": m.kind, "role": m.role,
                      "surface": m.surface, "char_start": m.char_start, "char_end": m.char_end,
                      "sentiment": float(m.sentiment), "sentence_start": m.sentence_start,
                      "sentence_end": m.sentence_end} for i, m in review.mentions]
        credits += [{"review_id": rid, "name": c.name, "role": c.role, "character": c.character} for c in page.credits]
    return {
        "reviews": pl.DataFrame(rows, schema=_REVIEW_SCHEMA),
        "chunks": pl.DataFrame(chunks, schema=_CHUNK_SCHEMA),
        "mentions": pl.DataFrame(mentions, schema=_MENTION_SCHEMA),
        "credits": pl.DataFrame(credits, schema=_CREDIT_SCHEMA),
    }


def _outlet(page, source: str) -> str:
    """The outlet the page states; the configured source's name when the page states none (a bare domain)."""
    return source if not page.outlet or page.outlet_rule == "domain" else page.outlet


def _review_row(rid: str, run_id: str, review: ExtractedReview, source: str, sha: str, now: datetime) -> dict:
    page, rating = review.page, review.rating
    return {
        "review_id": rid, "url": page.canonical_url, "fetched_url": page.url, "source": source, "sha256": sha,
        "film_title": page.film_title, "film_year": page.film_year, "headline": page.headline,
        "critic": page.critic, "outlet": _outlet(page, source), "published_date": page.published_at,
        "rating_raw": rating.raw if rating else None, "rating_rule": rating.rule if rating else None,
        "rating_scale": rating.scale if rating else None, "rating_reason": rating.reason if rating else None,
        "score": review.score, "verdict": review.verdict, "verdict_source": review.verdict_source,
        "verdict_confidence": review.verdict_confidence, "text": review.text,
        "word_count": len(review.text.split()), "run_id": run_id, "extracted_at": now,
    }


def _page_row(result: FetchResult, source: str, sha: str | None) -> dict:
    fetched_at = result.attempts[-1].fetched_at
    return {"url": result.url, "source": source, "canonical_url": None, "sha256": sha, "etag": result.etag,
            "last_modified": result.last_modified, "http_status": result.status,
            "content_type": result.content_type, "fetched_at": fetched_at,
            "is_removed": result.status in (404, 410)}


_IN_TRANSACTION: set[int] = set()  # connections (cursors) inside transaction(): an inner one joins the outer


@contextmanager
def transaction(con):
    """BEGIN ... COMMIT, rolled back if the body raises (a failed COMMIT raises as itself); nested, joins the outer."""
    if id(con) in _IN_TRANSACTION:
        yield
        return
    con.execute("BEGIN TRANSACTION")
    _IN_TRANSACTION.add(id(con))
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        _IN_TRANSACTION.discard(id(con))
    con.execute("COMMIT")


def _now() -> datetime:
    return datetime.now(timezone.utc)


_UPSERT_PAGES = """
INSERT INTO raw.pages (url, source, canonical_url, sha256, etag, last_modified, http_status, content_type,
                       first_seen_at, last_fetched_at, last_changed_at, is_removed)
SELECT url, source, canonical_url, sha256, etag, last_modified, http_status, content_type,
       fetched_at, fetched_at, CASE WHEN sha256 IS NOT NULL THEN fetched_at END, is_removed
FROM pages
ON CONFLICT (url) DO UPDATE SET
    source = excluded.source,
    sha256 = coalesce(excluded.sha256, raw.pages.sha256),
    etag = CASE WHEN excluded.http_status = 304 THEN raw.pages.etag ELSE excluded.etag END,
    last_modified = CASE WHEN excluded.http_status = 304 THEN raw.pages.last_modified ELSE excluded.last_modified END,
    http_status = excluded.http_status,
    content_type = coalesce(excluded.content_type, raw.pages.content_type),
    last_fetched_at = excluded.last_fetched_at,
    last_changed_at = CASE WHEN excluded.sha256 IS DISTINCT FROM raw.pages.sha256 AND excluded.sha256 IS NOT NULL
                           THEN excluded.last_fetched_at ELSE raw.pages.last_changed_at END,
    is_removed = excluded.is_removed
"""
_ATTEMPT_SCHEMA = {"run_id": pl.String, "url": pl.String, "attempt": pl.Int32, "http_status": pl.Int32,
                   "byte_count": pl.Int64, "elapsed_ms": pl.Float64, "outcome": pl.String,
                   "fetched_at": pl.Datetime("us", "UTC")}
_WARC_SCHEMA = {"url": pl.String, "captured_at": pl.Datetime("us", "UTC"), "record_type": pl.String,
                "http_status": pl.Int32, "digest": pl.String, "file_name": pl.String, "record_offset": pl.Int64,
                "record_length": pl.Int64}
_PAGE_SCHEMA = {"url": pl.String, "source": pl.String, "canonical_url": pl.String, "sha256": pl.String,
                "etag": pl.String, "last_modified": pl.String, "http_status": pl.Int32, "content_type": pl.String,
                "fetched_at": pl.Datetime("us", "UTC"), "is_removed": pl.Boolean}
_REVIEW_SCHEMA = {"review_id": pl.String, "url": pl.String, "fetched_url": pl.String, "source": pl.String,
                  "sha256": pl.String, "film_title": pl.String, "film_year": pl.Int32, "headline": pl.String,
                  "critic": pl.String, "outlet": pl.String, "published_date": pl.Date, "rating_raw": pl.String,
                  "rating_rule": pl.String, "rating_scale": pl.String, "rating_reason": pl.String,
                  "score": pl.Float64, "verdict": pl.String, "verdict_source": pl.String,
                  "verdict_confidence": pl.Float64, "text": pl.String, "word_count": pl.Int32,
                  "run_id": pl.String, "extracted_at": pl.Datetime("us", "UTC")}
_CHUNK_SCHEMA = {"review_id": pl.String, "chunk_index": pl.Int32, "text": pl.String,
                 "char_start": pl.Int32, "char_end": pl.Int32}
_MENTION_SCHEMA = {"review_id": pl.String, "chunk_index": pl.Int32, "name": pl.String, "kind": pl.String,
                   "role": pl.String, "surface": pl.String, "char_start": pl.Int32, "char_end": pl.Int32,
                   "sentiment": pl.Float64, "sentence_start": pl.Int32, "sentence_end": pl.Int32}
_CREDIT_SCHEMA = {"review_id": pl.String, "name": pl.String, "role": pl.String, "character": pl.String}
