"""Thin Prefect task wrappers around the step logic in tasks/; only network and database steps retry."""
from __future__ import annotations

import time
from datetime import date, datetime, timezone
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from critics.schemas.config import Config, load_config
from critics.tasks.warehouse import incremental, load, publish as publishing
from critics.tasks.runtime import pool
from critics.tasks.runtime.batch import Batch, fetch_batch, loaded_outcomes, parse_clean_extract
from critics.tasks.acquire.discovery import Frontier, assign_urls, discover_source
from critics.tasks.acquire.fetch import Fetcher
from critics.tasks.runtime.faults import pause_point
from critics.tasks.runtime.progress import Progress, print_line

DB_RETRIES = dict(retries=2, retry_delay_seconds=1)


@task(name="read config", cache_policy=NO_CACHE)
def read_config(config_path: str) -> Config:
    """Load and validate the TOML config."""
    return load_config(config_path)


@task(name="begin run", cache_policy=NO_CACHE, **DB_RETRIES)
def begin_run(db: str, run_id: str, kind: str) -> str:
    """Record the run in the working database."""
    with load.open_work(db) as con:
        load.start_run(con, run_id, kind)
    return run_id


@task(name="discover", cache_policy=NO_CACHE, retries=1)
def discover(config: Config, fetcher: Fetcher, urls: list[str] | None = None) -> Frontier:
    """Walk every source's sitemaps, feeds and listings (or the given URLs) into page targets."""
    frontier = Frontier()
    plan = assign_urls(config.sources, urls) if urls else [(s, s.start_urls) for s in config.sources]
    for source, start_urls in plan:
        found = discover_source(fetcher, source, start_urls)
        frontier.targets += found.targets
        frontier.outcomes += found.outcomes
    return frontier


@task(name="record discovery", cache_policy=NO_CACHE, **DB_RETRIES)
def record_discovery(db: str, run_id: str, frontier: Frontier) -> None:
    """Store outcomes settled during discovery (off-site, failed documents, over limit)."""
    with load.open_work(db) as con:
        load.record_outcomes(con, run_id, frontier.outcomes)


@task(name="skip unchanged by sitemap lastmod", cache_policy=NO_CACHE, **DB_RETRIES)
def skip_unchanged(db: str, run_id: str, frontier: Frontier, config: Config) -> Frontier:
    """Settle, in bulk and without a request, pages whose sitemap lastmod predates our last fetch of them."""
    with load.open_work(db) as con:
        known = load.known_pages(con, [t.url for t in frontier.targets])
        remaining, settled = incremental.skip_by_lastmod(frontier.targets, known, datetime.now(timezone.utc),
                                                         config.fetch.trust_lastmod_days)
        load.record_outcomes(con, run_id, settled)
    return Frontier(remaining, frontier.outcomes + settled)


@task(name="fetch", cache_policy=NO_CACHE)
def fetch_pages(db: str, batch: Batch, fetcher: Fetcher, concurrency: int) -> Batch:
    """Conditional GETs for a batch; raw bytes archived by content hash."""
    with load.open_work(db) as con:
        batch.known = load.known_pages(con, [t.url for t in batch.targets])
    batch = fetch_batch(batch, fetcher, load.archive_root(db), concurrency)
    pause_point("fetch")  # test hook (tasks/faults.py): pages archived, nothing recorded yet
    return batch


@task(name="parse, clean and extract", cache_policy=NO_CACHE)
def process_batch(work: Batch, config: Config) -> Batch:
    """The CPU-heavy steps of one batch: on a Dask worker with the Dask runner, else on the local process pool."""
    if uses_process_pool(config):
        return pool.parse_clean_extract_pooled(work, config, config.runner.workers)
    return parse_clean_extract(work, config)


def start_workers(config: Config) -> None:
    """Start the local worker processes now, so they load their models while discovery runs."""
    if uses_process_pool(config):
        pool.warm_up(config.runner.workers)


def uses_process_pool(config: Config) -> bool:
    """The local runner spreads batches over `[runner] workers` processes (1 = in the flow's own process)."""
    return config.runner.kind == "local" and config.runner.workers > 1


@task(name="load", cache_policy=NO_CACHE, **DB_RETRIES)
def load_batch(db: str, run_id: str, batch: Batch) -> int:
    """Fetch log, page state, staging rows and per-URL outcomes, in bulk."""
    gone = incremental.removed_urls(batch.results)
    with load.open_work(db) as con:
        # Reviews before page state: a run killed in between refetches (no etag yet) instead of trusting a 304.
        load.upsert_reviews(con, run_id, batch.reviews, batch.source_of, batch.hashes)
        load.record_fetches(con, run_id, batch.source_of, batch.results, batch.hashes)
        incremental.unpublish(con, gone)
        load.record_outcomes(con, run_id, incremental.mark_removed(loaded_outcomes(batch), gone))
    return len(batch.reviews)


@task(name="list archived pages", cache_policy=NO_CACHE, **DB_RETRIES)
def archived_pages(db: str, since: date | None) -> list[dict]:
    """Latest archived version of every live page (changed on or after since, when given)."""
    with load.open_work(db) as con:
        return incremental.archived_pages(con, since)


@task(name="read archive", cache_policy=NO_CACHE)
def read_archive(db: str, rows: list[dict], config: Config) -> Batch:
    """Archived bytes of a batch of pages, as if just fetched."""
    return incremental.archive_batch(rows, load.archive_root(db), config)


@task(name="drop orphans", cache_policy=NO_CACHE, **DB_RETRIES)
def drop_orphans(db: str) -> int:
    """Staging rows of pages that are no longer live go (the raw archive keeps them)."""
    with load.open_work(db) as con:
        return incremental.drop_orphans(con)


@task(name="republish", cache_policy=NO_CACHE, **DB_RETRIES)
def republish(db: str, config: Config) -> dict[str, int]:
    """Rebuild the marts from staging and swap in the snapshot, without a new crawl."""
    with load.open_work(db) as con:
        publishing.build_marts(con, config)
        publishing.snapshot(con, Path(db), None)
        return incremental.latest_summary(con)


ARTIFACT_EVERY_S = 2.0  # the UI's progress bar moves at most this often: each move is an API call


class Tracker:
    """A run's terminal progress plus its Prefect progress artifact (None when the API refused one)."""

    def __init__(self, progress: Progress, artifact):
        self.progress, self.artifact, self.pushed_at = progress, artifact, time.monotonic()


def start_progress(label: str, total: int) -> Tracker:
    """A terminal progress line and a Prefect progress artifact for this run."""
    from prefect.artifacts import create_progress_artifact

    try:
        artifact = create_progress_artifact(0.0, key=f"{label}-progress", description=f"{label}: pages settled")
    except Exception:  # progress display must never fail a run
        artifact = None
    return Tracker(Progress(label, total), artifact)


def advance_progress(tracker: Tracker, batch: Batch) -> None:
    """Count a finished batch, print the line and, every few seconds or at the end, move the artifact."""
    from prefect.artifacts import update_progress_artifact

    progress = tracker.progress
    progress.advance([outcome for _, _, outcome, _ in loaded_outcomes(batch)])
    print_line(progress)
    due = progress.percent >= 100 or time.monotonic() - tracker.pushed_at >= ARTIFACT_EVERY_S
    if tracker.artifact is not None and due:
        tracker.pushed_at = time.monotonic()
        try:
            update_progress_artifact(tracker.artifact, progress.percent, description=progress.line())
        except Exception:
            pass


@task(name="publish", cache_policy=NO_CACHE, **DB_RETRIES)
def publish(db: str, config: Config, run_id: str) -> dict[str, int]:
    """Rebuild the marts in one transaction, swap in the reader snapshot, export, and leave UI artifacts."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    from critics.tasks.runtime import artifacts

    from critics.tasks.warehouse import exports
    with load.open_work(db) as con:
        summary = load.finish_run(con, run_id)
        publishing.build_marts(con, config)
        publishing.snapshot(con, Path(db), run_id)
        export_dir = getattr(config, "export_dir", None)
        if export_dir:
            exports.export_tables(con, export_dir, publishing.PUBLIC_TABLES)
        create_table_artifact(artifacts.top_film_rows(con), key="top-films", description="Top films by Tomatometer")
        create_markdown_artifact(artifacts.run_summary_markdown(con, summary), key="publish-summary",
                                 description="Films, reviews, new reviews and failures of this publish")
    return summary
