"""Thin Prefect task wrappers around the step logic in tasks/, named verb_noun as the UI shows them.

Only the network steps retry (the fetch, and discovery once); each database step is one transaction, so a
failed step leaves nothing half-written and a re-run starts from a clean state."""
from __future__ import annotations

import contextvars
import logging
import sys
import threading
import time
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import task
from prefect.cache_policies import NO_CACHE

from critics.schemas.config import Config
from critics.tasks.warehouse import incremental, load, publish as publishing
from critics.tasks.runtime import pool
from critics.tasks.runtime.batch import Batch, fetch_batch, loaded_outcomes, parse_clean_extract
from critics.tasks.acquire.discovery import Frontier, assign_urls, discover_source
from critics.tasks.acquire import archive
from critics.tasks.acquire.fetch import Fetcher
from critics.tasks.runtime.faults import pause_point
from critics.tasks.runtime import verdict
from critics.tasks.runtime.progress import Progress, print_line
from critics.tasks.runtime.verdict import Verdict

FETCH_RETRIES = dict(retries=3, retry_delay_seconds=2)  # the network: a batch's fetch may fail as a whole


@task(name="begin_run", cache_policy=NO_CACHE)
def begin_run(db: str, run_id: str, kind: str) -> str:
    """Record the run in the working database."""
    with load.open_work(db) as con:
        load.start_run(con, run_id, kind)
        migrated = incremental.migrate_legacy_archive(con, load.legacy_archive_root(db), load.archive_root(db))
    if migrated:
        print(migrated, file=sys.stderr, flush=True)
        logging.getLogger(__name__).info(migrated)
    return run_id


@task(name="discover_targets", cache_policy=NO_CACHE, retries=1)
def discover_targets(config: Config, fetcher: Fetcher, urls: list[str] | None = None) -> Frontier:
    """Walk every source's sitemaps, feeds and listings (or the given URLs) into page targets."""
    frontier = Frontier()
    plan = assign_urls(config.sources, urls) if urls else [(s, s.start_urls) for s in config.sources]
    for source, start_urls in plan:
        found = discover_source(fetcher, source, start_urls)
        frontier.targets += found.targets
        frontier.outcomes += found.outcomes
    return frontier


@task(name="record_discovery", cache_policy=NO_CACHE)
def record_discovery(db: str, run_id: str, frontier: Frontier) -> None:
    """Store outcomes settled during discovery (off-site, failed documents, over limit)."""
    with load.open_work(db) as con, load.transaction(con):
        index_archive(con, db)  # robots.txt, sitemaps and feeds
        load.record_outcomes(con, run_id, frontier.outcomes)


def index_archive(con, db: str) -> None:
    """Index the WARC records this process wrote since the last call."""
    load.record_archive(con, archive.open_archive(load.archive_root(db)))


@task(name="skip_unchanged", cache_policy=NO_CACHE)
def skip_unchanged(db: str, run_id: str, frontier: Frontier, config: Config) -> Frontier:
    """Settle, in bulk and without a request, pages whose sitemap lastmod predates our last fetch of them."""
    with load.open_work(db) as con:
        known = load.known_pages(con, [t.url for t in frontier.targets])
        remaining, settled = incremental.skip_by_lastmod(frontier.targets, known, datetime.now(timezone.utc),
                                                         config.fetch.trust_lastmod_days)
        load.record_outcomes(con, run_id, settled)
    return Frontier(remaining, frontier.outcomes + settled)


@task(name="fetch_pages", cache_policy=NO_CACHE, **FETCH_RETRIES)
def fetch_pages(db: str, batch: Batch, fetcher: Fetcher, concurrency: int) -> Batch:
    """Conditional GETs for a batch; every exchange written to the WARC archive."""
    with load.open_work(db) as con:
        batch.known = load.known_pages(con, [t.url for t in batch.targets])
    batch = fetch_batch(batch, fetcher, load.archive_root(db), concurrency)
    pause_point("fetch")  # test hook (tasks/faults.py): pages archived, nothing recorded yet
    return batch


@task(name="parse_clean_extract_pages", cache_policy=NO_CACHE)
def parse_clean_extract_pages(work: Batch, config: Config) -> Batch:
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


@task(name="load_batch", cache_policy=NO_CACHE)
def load_batch(db: str, run_id: str, batch: Batch) -> int:
    """Staging rows, archive index, fetch log, page state and per-URL outcomes, in bulk and in one transaction."""
    gone = incremental.removed_urls(batch.results)
    # One transaction (the inner steps' own BEGINs nest into it): all of the batch is written or none, so
    # raw.fetch_log never holds a batch's attempts twice.
    with load.open_work(db) as con, load.transaction(con):
        load.upsert_reviews(con, run_id, batch.reviews, batch.source_of, batch.hashes)
        index_archive(con, db)
        load.record_fetches(con, run_id, batch.source_of, batch.results, batch.hashes)
        incremental.unpublish(con, gone)
        load.record_outcomes(con, run_id, incremental.mark_removed(loaded_outcomes(batch), gone))
    return len(batch.reviews)


@task(name="list_archived_pages", cache_policy=NO_CACHE)
def list_archived_pages(db: str, since: date | None) -> list[dict]:
    """Latest archived version of every live page (changed on or after since, when given)."""
    with load.open_work(db) as con:
        return incremental.archived_pages(con, since)


@task(name="read_archive", cache_policy=NO_CACHE)
def read_archive(db: str, rows: list[dict], config: Config) -> Batch:
    """Archived bytes of a batch of pages, as if just fetched."""
    return incremental.archive_batch(rows, load.archive_root(db), config)


@task(name="drop_orphans", cache_policy=NO_CACHE)
def drop_orphans(db: str) -> int:
    """Staging rows of pages that are no longer live go (the raw archive keeps them)."""
    with load.open_work(db) as con:
        return incremental.drop_orphans(con)


@task(name="republish_tables", cache_policy=NO_CACHE)
def republish_tables(db: str, config: Config) -> dict[str, int]:
    """Rebuild the marts from staging and swap in the snapshot, without a new crawl."""
    with load.open_work(db) as con:
        publishing.build_marts(con, config)
        publishing.publish_files(con, Path(db), None, config.export_dir)
        return incremental.latest_summary(con)


ARTIFACT_EVERY_PAGES = 50  # the UI's progress bar moves at least every this many pages...
ARTIFACT_EVERY_S = 1.0  # ...but at most once a second on a fast site: each move is an API call


class Tracker:
    """A run's terminal progress plus its Prefect progress artifact (None when the API refused one)."""

    def __init__(self, progress: Progress, artifact):
        self.progress, self.artifact = progress, artifact
        self.pushed_at, self.pushed_pages, self._lock = 0.0, 0, threading.Lock()
        self._context = contextvars.copy_context()  # the fetch threads push under this flow run

    def page_fetched(self) -> None:
        """Count one page answered (called from the fetch threads) and move the bar when due."""
        pages = self.progress.count_fetched() + self.progress.done  # the same measure push() records
        if pages - self.pushed_pages >= ARTIFACT_EVERY_PAGES:
            self._context.copy().run(self.push)

    def push(self, final: bool = False) -> None:
        """Move the artifact's bar (always when final; else when due by pages and time)."""
        progress = self.progress
        with self._lock:
            pages = progress.fetched + progress.done
            due = pages - self.pushed_pages >= ARTIFACT_EVERY_PAGES and time.monotonic() - self.pushed_at >= ARTIFACT_EVERY_S
            if self.artifact is None or not (final or due):
                return
            self.pushed_at, self.pushed_pages = time.monotonic(), pages
            percent = 100.0 if final else progress.moving_percent
            try:
                from prefect.artifacts import update_progress_artifact

                update_progress_artifact(self.artifact, percent, description=progress.line())
            except Exception:  # progress display must never fail a run
                pass


class CountingFetcher:
    """The run's Fetcher, counting each page answered for the progress bar."""

    def __init__(self, fetcher: Fetcher, on_page):
        self._fetcher, self._on_page = fetcher, on_page

    def get(self, *args, **kwargs):
        result = self._fetcher.get(*args, **kwargs)
        self._on_page()
        return result

    def __getattr__(self, name: str):
        return getattr(self._fetcher, name)


def start_progress(label: str, total: int) -> Tracker:
    """A terminal progress line and a Prefect progress artifact for this run (keyed per flow)."""
    from prefect.artifacts import create_progress_artifact

    try:
        artifact = create_progress_artifact(0.0, key=f"{label}-progress", description=f"{label}: pages settled")
    except Exception:  # progress display must never fail a run
        artifact = None
    return Tracker(Progress(label, total), artifact)


def advance_progress(tracker: Tracker, batch: Batch) -> None:
    """Count a loaded batch, print the terminal line and move the artifact when due."""
    tracker.progress.advance([outcome for _, _, outcome, _ in loaded_outcomes(batch)])
    print_line(tracker.progress)
    tracker.push()


def finish_progress(tracker: Tracker) -> None:
    """100% at the end, also for a run with nothing to fetch."""
    tracker.push(final=True)


@task(name="publish_run", cache_policy=NO_CACHE)
def publish_run(db: str, config: Config, run_id: str, kind: str, sources: list[str]) -> tuple[dict[str, int], Verdict]:
    """Count the run and judge it, rebuild the marts, swap in the reader snapshot and exports, leave UI artifacts."""
    with load.open_work(db) as con:
        summary = load.finish_run(con, run_id)
        judged = judge_run(con, run_id, kind, sources, summary, config)
        load.record_verdict(con, run_id, "failed" if judged.is_failed else "completed", judged.message)
        publishing.build_marts(con, config)
        publishing.publish_files(con, Path(db), run_id, config.export_dir)
        leave_artifacts(con, run_id, kind, summary, judged, config)
    return summary, judged


def judge_run(con, run_id: str, kind: str, sources: list[str], summary: dict[str, int], config: Config) -> Verdict:
    """The run's verdict from its URL outcomes per source (tasks/runtime/verdict.py)."""
    rows = con.execute("""SELECT source, outcome, reason, count(*) FROM raw.url_outcomes WHERE run_id = ?
                          GROUP BY ALL""", [run_id]).fetchall()
    return verdict.judge(kind, sources, verdict.tally(rows), summary, config.alerts.max_rejected_share)


def leave_artifacts(con, run_id: str, kind: str, summary: dict[str, int], judged: Verdict, config: Config) -> None:
    """Top films and the publish summary keyed per flow; the nightly also leaves its morning report."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact
    from prefect.runtime import flow_run

    from critics.tasks.runtime import artifacts

    create_table_artifact(artifacts.top_film_rows(con), key=f"{kind}-top-films", description="Top films by Tomatometer")
    create_markdown_artifact(artifacts.run_summary_markdown(con, summary), key=f"{kind}-summary",
                             description="Films, reviews, new reviews and failures of this publish")
    if kind != "nightly":
        return
    now = datetime.now(ZoneInfo(config.timezone))
    schedule = f"Schedule: cron `{config.schedule}` in {config.timezone}; published {now:%Y-%m-%d %H:%M} {config.timezone}."
    title = f"Morning report: {flow_run.get_name() or kind}"
    create_markdown_artifact(artifacts.morning_markdown(con, run_id, title, judged.message, schedule),
                             key="nightly-morning", description="What last night did, at a glance")
