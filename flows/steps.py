"""Thin Prefect task wrappers around the step logic in tasks/; only network and database steps retry."""
from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from schemas.config import Config, load_config
from tasks import batch as steps
from tasks import load, publish as publishing
from tasks.batch import Batch
from tasks.crawl import Frontier, assign_urls, discover_source
from tasks.fetch import Fetcher

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


@task(name="fetch", cache_policy=NO_CACHE)
def fetch_pages(db: str, batch: Batch, fetcher: Fetcher, concurrency: int) -> Batch:
    """Conditional GETs for a batch; raw bytes archived by content hash."""
    with load.open_work(db) as con:
        batch.known = load.known_pages(con, [t.url for t in batch.targets])
    return steps.fetch_batch(batch, fetcher, load.archive_root(db), concurrency)


@task(name="parse", cache_policy=NO_CACHE)
def parse_pages(batch: Batch) -> Batch:
    """Metadata, credits, main text and rating candidates of each page."""
    return steps.parse_batch(batch)


@task(name="clean", cache_policy=NO_CACHE)
def clean_pages(batch: Batch) -> Batch:
    """Unicode repair and whitespace normalisation."""
    return steps.clean_batch(batch)


@task(name="chunk and extract", cache_policy=NO_CACHE)
def extract_reviews(batch: Batch, config: Config, seen_canonical: dict[str, str]) -> Batch:
    """Rating, verdict, sentence-aligned chunks and mentions; one review per canonical URL."""
    return steps.dedupe_canonical(steps.extract_batch(batch, config), seen_canonical)


@task(name="load", cache_policy=NO_CACHE, **DB_RETRIES)
def load_batch(db: str, run_id: str, batch: Batch) -> int:
    """Fetch log, page state, staging rows and per-URL outcomes, in bulk."""
    with load.open_work(db) as con:
        load.record_fetches(con, run_id, batch.source_of, batch.results, batch.hashes)
        load.upsert_reviews(con, run_id, batch.reviews, batch.source_of, batch.hashes)
        load.record_outcomes(con, run_id, steps.loaded_outcomes(batch))
    return len(batch.reviews)


@task(name="publish", cache_policy=NO_CACHE, **DB_RETRIES)
def publish(db: str, config: Config, run_id: str) -> dict[str, int]:
    """Rebuild the marts in one transaction and swap in the reader snapshot."""
    with load.open_work(db) as con:
        summary = load.finish_run(con, run_id)
        publishing.build_marts(con, config)
        publishing.snapshot(con, Path(db), run_id)
    return summary
