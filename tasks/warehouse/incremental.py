"""Incremental upkeep of the staging layer: removed pages, and re-extraction from the raw archive."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import polars as pl

from critics.schemas.config import Config
from critics.schemas.outcomes import FetchStatus, Outcome, Reason
from critics.tasks.acquire import archive
from critics.tasks.runtime.batch import Batch
from critics.tasks.acquire.discovery import Target
from critics.tasks.acquire.fetch import FetchResult
from critics.tasks.warehouse import load
from critics.tasks.warehouse.load import query_frame, transaction

GONE_STATUSES = (404, 410)
STAGING_TABLES = ("chunks", "mentions", "credits", "reviews")


def removed_urls(results: list[FetchResult]) -> list[str]:
    """URLs that now answer 404 or 410."""
    return [r.url for r in results if r.status in GONE_STATUSES]


def unpublish(con, urls: list[str]) -> int:
    """Delete the staging rows extracted from these fetched URLs; raw.pages and the archive keep their history."""
    if not urls:
        return 0
    con.register("gone_urls", pl.DataFrame({"url": urls}, schema={"url": pl.String}).to_arrow())
    doomed = "SELECT review_id FROM staging.reviews WHERE fetched_url IN (SELECT url FROM gone_urls)"
    count = con.execute(f"SELECT count(*) FROM ({doomed})").fetchone()[0]
    with transaction(con):
        for table in STAGING_TABLES:  # reviews last: the others find their rows through it
            con.execute(f"DELETE FROM staging.{table} WHERE review_id IN ({doomed})")
    return count


def skip_by_lastmod(targets: list[Target], known: dict[str, dict], now: datetime, trust_days: float
                    ) -> tuple[list[Target], list[tuple[str, str, str, str]]]:
    """Split targets into those to request and those settled unchanged because their sitemap lastmod says so.

    A page is skipped when its review is loaded, its <lastmod> is older than our last fetch of it, and that
    fetch is under trust_days old (so every page still gets a conditional GET at least that often).
    """
    remaining, settled = [], []
    for target in targets:
        state = known.get(target.url)
        if trust_days > 0 and state and state.get("is_loaded") and _lastmod_before(target.lastmod, state["last_fetched_at"]) \
                and now - state["last_fetched_at"] < timedelta(days=trust_days):
            settled.append((target.url, target.source, Outcome.UNCHANGED,
                            f"{Reason.LASTMOD_BEFORE_FETCH} {target.lastmod} before last fetch"))
        else:
            remaining.append(target)
    return remaining, settled


def _lastmod_before(lastmod: str | None, fetched_at: datetime) -> bool:
    """Whether a W3C-datetime lastmod is surely earlier than fetched_at (a bare date must be a day earlier)."""
    if not lastmod:
        return False
    try:
        stamp = datetime.fromisoformat(lastmod.replace("Z", "+00:00"))
    except ValueError:
        return False  # unreadable: ask the server
    if len(lastmod) <= 10:  # a date only: changed at some time that day, anywhere on earth
        return stamp.date() < (fetched_at.astimezone(timezone.utc) - timedelta(hours=14)).date()
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return stamp < fetched_at


def mark_removed(outcomes: list[tuple], urls: list[str]) -> list[tuple]:
    """Say 'removed' in the reason of URLs that answered 404/410, so url_outcomes tells them apart."""
    gone = set(urls)
    return [(u, s, o, f"{Reason.REMOVED} ({r})" if u in gone else r) for u, s, o, r in outcomes]


def archived_pages(con, since: date | None = None) -> list[dict]:
    """Latest archived version of every live page, optionally only versions first fetched on or after since.

    file_name and record_offset locate a WARC record holding those bytes (any URL's: the digest is the content)."""
    return query_frame(con, """
        WITH live AS (
            SELECT url, source, sha256, content_type, coalesce(last_changed_at, first_seen_at) AS version_at
            FROM raw.pages WHERE NOT is_removed AND sha256 IS NOT NULL
        ), stored AS (
            SELECT digest, file_name, record_offset FROM raw.warc_records
            WHERE record_type IN ('response', 'resource') AND digest IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY digest ORDER BY captured_at DESC) = 1
        )
        SELECT url, source, sha256, content_type, file_name, record_offset
        FROM live LEFT JOIN stored ON stored.digest = live.sha256
        WHERE ? IS NULL OR CAST(version_at AS DATE) >= ?
        ORDER BY url""", [since, since]).to_dicts()


def archive_batch(rows: list[dict], archive_root: Path, config: Config) -> Batch:
    """A batch whose 'fetched' pages come from the archive instead of the network."""
    scales = {s.name: s.rating_scale for s in config.sources}
    batch = Batch([Target(r["url"], r["source"], scales.get(r["source"])) for r in rows])
    for target, row in zip(batch.targets, rows):
        body = _archived_body(archive_root, row)
        if body is None:
            batch.settle(target, Outcome.REJECTED, f"{Reason.ARCHIVE_MISSING} {row['sha256'][:12]} missing")
            continue
        batch.hashes[target.url] = row["sha256"]
        result = FetchResult(target.url, FetchStatus.OK, 200, content_type=row["content_type"], body=body)
        batch.fetched.append((target, result))
    return batch


def _archived_body(archive_root: Path, row: dict) -> bytes | None:
    """The page's bytes from its WARC record, when the record is there and its bytes are the ones indexed."""
    if row.get("file_name") is None:
        return None
    try:
        body = archive.read_payload(archive_root, row["file_name"], row["record_offset"])
    except (OSError, ValueError, EOFError):  # a missing file, or a torn or foreign record at that offset
        return None
    return body if archive.content_hash(body) == row["sha256"] else None


def migrate_legacy_archive(con, legacy_root: Path, warc_root: Path) -> str | None:
    """Once: the pre-WARC archive's bodies into indexed WARC resource records; the old folder gets `.migrated`.

    Returns the line saying what moved (None when there was nothing to migrate)."""
    if not legacy_root.is_dir():
        return None
    versions: dict[str, list[tuple]] = {}
    for url, sha, fetched_at, content_type in con.execute("""
            SELECT v.url, v.sha256, v.fetched_at, p.content_type
            FROM raw.page_versions v LEFT JOIN raw.pages p USING (url) ORDER BY v.fetched_at""").fetchall():
        versions.setdefault(sha, []).append((url, fetched_at, content_type))
    done = set(con.execute("SELECT url, digest FROM raw.warc_records WHERE record_type = 'resource'").fetchall())
    warc = archive.open_archive(warc_root)
    counts = archive.migrate_legacy(legacy_root, warc, versions, done)
    load.record_archive(con, warc)
    kept = legacy_root.with_name(legacy_root.name + ".migrated")
    if kept.exists():
        kept = legacy_root.with_name(f"{legacy_root.name}.migrated-{datetime.now(timezone.utc):%Y%m%d%H%M%S}")
    legacy_root.rename(kept)
    return (f"archive: migrated {counts.body_count} archived bodies from {legacy_root} into {counts.record_count} "
            f"WARC resource records in {warc_root} ({counts.orphan_count} with no known URL, {counts.damaged_count} "
            f"unreadable); the old folder is kept as {kept}: delete it once satisfied")


def drop_orphans(con) -> int:
    """Delete staging rows whose page is no longer live (after a full reprocess)."""
    orphans = [r[0] for r in con.execute("""
        SELECT fetched_url FROM staging.reviews
        WHERE fetched_url NOT IN (SELECT url FROM raw.pages WHERE NOT is_removed)""").fetchall()]
    return unpublish(con, orphans)


def latest_summary(con) -> dict[str, int]:
    """Outcome counts of the latest run (the one whose url_outcomes a republish shows)."""
    counts = dict(con.execute("""
        WITH latest AS (SELECT max_by(run_id, started_at) AS run_id FROM raw.runs)
        SELECT outcome, count(*) FROM raw.url_outcomes SEMI JOIN latest USING (run_id) GROUP BY outcome""").fetchall())
    summary = {k: int(counts.get(k, 0)) for k in Outcome}
    summary["discovered"] = sum(summary.values())
    return summary
