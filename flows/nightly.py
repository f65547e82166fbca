"""The pipeline flows: nightly run, ad-hoc scrape, reprocess from the raw archive, and publish."""
from __future__ import annotations

import contextvars
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone

from prefect import flow

from critics.flows.runners import in_flight
from critics.flows.steps import (advance_progress, archived_pages, begin_run, discover, drop_orphans, fetch_pages,
                         load_batch, process_batch, publish, read_archive, read_config, record_discovery, republish,
                         skip_unchanged, start_progress, start_workers)
from critics.schemas.config import DEFAULT_DB, Config
from critics.tasks.runtime.batch import Batch, batched, cpu_work, dedupe_canonical, merge_processed
from critics.tasks.acquire.fetch import Fetcher
from critics.tasks.warehouse.load import held_open
from critics.tasks.runtime.runlock import writer_lock


@flow(name="nightly")
def nightly(config_path: str, db: str = str(DEFAULT_DB)) -> dict[str, int]:
    """One full night: discover, fetch, parse, clean, chunk, extract, load, publish."""
    config = read_config(config_path)
    with writer_lock(db), held_open(db):
        return crawl(config, db, kind="nightly")


@flow(name="scrape")
def scrape(urls: list[str], config_path: str, db: str = str(DEFAULT_DB)) -> dict[str, int]:
    """The same pipeline for the given URLs (review pages, sitemaps, feeds or listings)."""
    config = read_config(config_path)
    with writer_lock(db), held_open(db):
        return crawl(config, db, kind="scrape", urls=urls)


@flow(name="reprocess")
def reprocess(config_path: str, since: date | None = None, db: str = str(DEFAULT_DB)) -> dict[str, int]:
    """Re-extract archived pages without fetching (all, or those changed since a date), then publish."""
    config = read_config(config_path)
    with writer_lock(db), held_open(db):
        run_id = begin_run(db, new_run_id("reprocess"), "reprocess")
        start_workers(config)
        pages = archived_pages(db, since)
        progress = start_progress("reprocess", len(pages))
        archived = (read_archive(db, rows, config) for rows in batched(pages, config.batch_size))
        process_and_load(db, run_id, archived, config, progress)
        if since is None:
            drop_orphans(db)
        return publish(db, config, run_id)


@flow(name="publish")
def publish_tables(config_path: str, db: str = str(DEFAULT_DB)) -> dict[str, int]:
    """Rebuild the public tables from staging and swap in a fresh reader snapshot."""
    config = read_config(config_path)
    with writer_lock(db), held_open(db):
        return republish(db, config)


def crawl(config: Config, db: str, kind: str, urls: list[str] | None = None) -> dict[str, int]:
    """The steps in order, batch by batch; returns the run's URL outcome counts."""
    run_id = begin_run(db, new_run_id(kind), kind)
    start_workers(config)
    fetcher = make_fetcher(config, urls)
    frontier = discover(config, fetcher, urls)
    record_discovery(db, run_id, frontier)
    frontier = skip_unchanged(db, run_id, frontier, config)
    progress = start_progress(kind, len(frontier.targets))
    process_and_load(db, run_id, fetched_batches(db, frontier, fetcher, config), config, progress)
    fetcher.close()
    return publish(db, config, run_id)


def process_and_load(db: str, run_id: str, batches, config: Config, progress) -> None:
    """Each batch's CPU work handed to the workers, results loaded here in order, `workers + 1` batches in flight."""
    seen_canonical: dict[str, str] = {}
    pending: list[tuple[Batch, object]] = []
    for batch in batches:
        # a batch of only unchanged or failed pages has no CPU work: no task run for it
        pending.append((batch, process_batch.submit(cpu_work(batch), config) if batch.fetched else None))
        if len(pending) > in_flight(config.runner):
            load_processed(db, run_id, *pending.pop(0), seen_canonical, progress)
    for batch, future in pending:
        load_processed(db, run_id, batch, future, seen_canonical, progress)


def fetched_batches(db: str, frontier, fetcher: Fetcher, config: Config, fetch=fetch_pages):
    """Fetched batches in order; the next batch is fetched on a thread of this process while the caller loads.

    `fetch` is the fetch task; the benchmark's Prefect-free baseline passes its plain function."""
    # A local thread, whatever the task runner: the one Fetcher holds every host's throttle and robots.txt.
    with ThreadPoolExecutor(1, thread_name_prefix="fetch-ahead") as fetch_ahead:
        ahead = None
        for targets in batched(frontier.targets, config.batch_size):
            in_this_run = contextvars.copy_context()  # so the fetch task is recorded under this flow run
            future = fetch_ahead.submit(in_this_run.run, fetch, db, Batch(list(targets)), fetcher, 4)
            if ahead is not None:
                yield ahead.result()
            ahead = future
        if ahead is not None:
            yield ahead.result()


def load_processed(db: str, run_id: str, batch: Batch, future, seen_canonical: dict[str, str], progress) -> None:
    """Take a batch's worker result, in submission order, and load it (the one DuckDB writer is this process)."""
    if future is not None:
        batch = merge_processed(batch, future.result())
    batch = dedupe_canonical(batch, seen_canonical)  # cheap and pure: a plain call, not a task run per batch
    load_batch(db, run_id, batch)
    advance_progress(progress, batch)


def make_fetcher(config: Config, urls: list[str] | None = None) -> Fetcher:
    """One fetcher per run, so robots.txt and throttles are shared by every batch."""
    from urllib.parse import urlsplit

    rates = {}
    for source in config.sources:
        for start in list(source.start_urls) + list(urls or []):
            rates.setdefault(urlsplit(start).netloc.lower(), source.requests_per_second)
    return Fetcher(config.fetch, rates)


def new_run_id(kind: str) -> str:
    """Sortable, unique run id: UTC timestamp, kind and a short random suffix."""
    return f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{kind}-{uuid.uuid4().hex[:6]}"
