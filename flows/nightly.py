"""The pipeline flows: nightly run, ad-hoc scrape, reprocess from the raw archive, and publish.

Each ends Completed with its counts in the state message, or Failed with one line naming the cause (see
tasks/runtime/verdict.py); bad parameters end Failed with the same one-line message the CLI prints."""
from __future__ import annotations

import logging
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger
from prefect.states import Completed, Failed

from critics.flows.alerts import writer_slot
from critics.flows.runners import in_flight
from critics.flows.steps import (CountingFetcher, advance_progress, begin_run, discover_targets, drop_orphans,
                                 fetch_pages, finish_progress, list_archived_pages, load_batch, parse_clean_extract_pages,
                                 publish_run, read_archive, record_discovery, republish_tables, skip_unchanged,
                                 start_progress, start_workers)
from critics.schemas.config import DEFAULT_DB, Config, ConfigError, check_url, load_config
from critics.tasks.acquire import archive
from critics.tasks.acquire.discovery import assign_urls
from critics.tasks.acquire.fetch import Fetcher
from critics.tasks.runtime.batch import Batch, loaded_outcomes
from critics.tasks.runtime.loop import run_batches
from critics.tasks.runtime.runlock import RunLockedError, writer_lock
from critics.tasks.runtime.verdict import RunFailed, Verdict, counts_line
from critics.tasks.warehouse import load
from critics.tasks.warehouse.load import held_open

RUN_TIMEOUT_S = 6 * 3600  # a runaway night is stopped and marked TimedOut (Failed) before the next one is due
PUBLISH_TIMEOUT_S = 3600


def run_name(kind: str):
    """Flow run names after the kind and local date of the run: nightly-2026-12-02, scrape-2026-12-02-1415."""
    def name() -> str:
        from prefect.runtime import flow_run

        when = flow_run.scheduled_start_time or datetime.now(timezone.utc)
        local = when.astimezone(ZoneInfo(_timezone_of(flow_run.parameters.get("config_path"))))
        return f"{kind}-{local:%Y-%m-%d}" if kind == "nightly" else f"{kind}-{local:%Y-%m-%d-%H%M}"
    return name


@flow(name="nightly", flow_run_name=run_name("nightly"), timeout_seconds=RUN_TIMEOUT_S)
def nightly(config_path: str, db: str = str(DEFAULT_DB)):
    """One full night: discover, fetch, parse, clean, chunk, extract, load, publish."""
    return guarded("nightly", config_path, db, lambda config: crawl(config, db, kind="nightly"))


@flow(name="scrape", flow_run_name=run_name("scrape"), timeout_seconds=RUN_TIMEOUT_S)
def scrape(urls: list[str], config_path: str, db: str = str(DEFAULT_DB)):
    """The same pipeline for the given URLs (review pages, sitemaps, feeds or listings)."""
    try:
        checked = check_urls(urls)
    except ConfigError as exc:
        return bad_input("scrape", exc)
    return guarded("scrape", config_path, db, lambda config: crawl(config, db, kind="scrape", urls=checked))


@flow(name="reprocess", flow_run_name=run_name("reprocess"), timeout_seconds=RUN_TIMEOUT_S)
def reprocess(config_path: str, since: date | None = None, db: str = str(DEFAULT_DB)):
    """Re-extract archived pages without fetching (all, or those changed since a date), then publish."""
    return guarded("reprocess", config_path, db, lambda config: reprocess_archive(config, db, since))


@flow(name="publish", flow_run_name=run_name("publish"), timeout_seconds=PUBLISH_TIMEOUT_S)
def publish_tables(config_path: str, db: str = str(DEFAULT_DB)):
    """Rebuild the public tables from staging and swap in a fresh reader snapshot."""
    def body(config: Config):
        summary = republish_tables(db, config)
        return summary, Verdict(False, f"publish completed: {counts_line(summary)} (latest run)")
    return guarded("publish", config_path, db, body)


def guarded(kind: str, config_path: str, db: str, body):
    """Read the config, take the database's writer slot and lock, run body; end Completed or Failed in one line."""
    logger = get_run_logger()
    try:
        config = load_config(config_path)
        with writer_slot(db, logger), writer_lock(db), held_open(db), run_log():
            summary, verdict = body(config)
    except (ConfigError, RunLockedError) as exc:
        return bad_input(kind, exc)
    logger.info("%s", verdict.message)  # the summary line at the end of the run's log
    if verdict.is_failed:
        return Failed(message=verdict.message, data=RunFailed(verdict.message, summary))
    return Completed(message=verdict.message, data=summary)


def bad_input(kind: str, exc: Exception):
    """A run that could not start: Failed with the one line the CLI would print, no traceback."""
    message = f"{kind} failed: {exc}"
    get_run_logger().error("%s", message)
    return Failed(message=message, data=RunFailed(message))


def check_urls(urls: list[str]) -> list[str]:
    """The scrape parameters checked as the CLI checks its arguments."""
    if not urls:
        raise ConfigError("urls is empty; give at least one http(s) URL of a review page, sitemap, feed or listing")
    return [check_url(u, "urls") for u in urls]


def crawl(config: Config, db: str, kind: str, urls: list[str] | None = None) -> tuple[dict[str, int], Verdict]:
    """The steps in order, batch by batch; returns the run's URL outcome counts and its verdict."""
    run_id = begin_run(db, this_run_id(kind), kind)
    start_workers(config)
    fetcher = make_fetcher(config, urls)
    fetcher.use_archive(archive.open_archive(load.archive_root(db)))  # robots.txt, sitemaps and feeds too
    frontier = discover_targets(config, fetcher, urls)
    record_discovery(db, run_id, frontier)
    frontier = skip_unchanged(db, run_id, frontier, config)
    tracker = start_progress(kind, len(frontier.targets))
    counted = CountingFetcher(fetcher, tracker.page_fetched)
    run_batches(frontier.targets, batch_size=config.batch_size, in_flight=in_flight(config.runner),
                fetch=lambda targets: fetch_pages(db, Batch(targets), counted, 4),
                process=lambda work: parse_clean_extract_pages.submit(work, config),
                collect=lambda future, batch: future.result(),
                load=lambda batch: load_and_log(db, run_id, batch, tracker))
    fetcher.close()
    finish_progress(tracker)
    sources = [s.name for s, _ in assign_urls(config.sources, urls)] if urls else [s.name for s in config.sources]
    return publish_run(db, config, run_id, kind, sources)


def reprocess_archive(config: Config, db: str, since: date | None) -> tuple[dict[str, int], Verdict]:
    """Re-extract archived pages through the same batch loop, drop orphans after a full pass, publish."""
    run_id = begin_run(db, this_run_id("reprocess"), "reprocess")
    start_workers(config)
    pages = list_archived_pages(db, since)
    tracker = start_progress("reprocess", len(pages))
    run_batches(pages, batch_size=config.batch_size, in_flight=in_flight(config.runner),
                fetch=lambda rows: read_archive(db, rows, config),
                process=lambda work: parse_clean_extract_pages.submit(work, config),
                collect=lambda future, batch: future.result(),
                load=lambda batch: load_and_log(db, run_id, batch, tracker))
    finish_progress(tracker)
    if since is None:
        drop_orphans(db)
    return publish_run(db, config, run_id, "reprocess", [])


def load_and_log(db: str, run_id: str, batch: Batch, tracker) -> None:
    """Load one batch, move the progress and log its counts (rejected by reason) to the run's log."""
    load_batch(db, run_id, batch)
    advance_progress(tracker, batch)
    outcomes = loaded_outcomes(batch)
    counts = Counter(outcome for _, _, outcome, _ in outcomes)
    reasons = Counter(reason or "unknown" for _, _, outcome, reason in outcomes if outcome == "rejected")
    why = "; ".join(f"{reason}: {n}" for reason, n in reasons.most_common(5))
    get_run_logger().info("batch of %d pages: loaded %d, unchanged %d, rejected %d%s", len(outcomes),
                          counts["loaded"], counts["unchanged"], counts["rejected"], f" ({why})" if why else "")


@contextmanager
def run_log():
    """Records of the pipeline's own loggers (worker processes' included, relayed) reach this run's page."""
    from prefect.logging.handlers import APILogHandler
    from prefect.runtime import flow_run

    run_id = flow_run.get_id()
    if run_id is None:
        yield
        return

    class ThisRun(APILogHandler):
        def emit(self, record: logging.LogRecord) -> None:
            if not getattr(record, "flow_run_id", None):
                record.flow_run_id = run_id  # relayed from a worker, or logged outside a task: still this run
            super().emit(record)

    handler, logger = ThisRun(), logging.getLogger("critics")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def this_run_id(kind: str) -> str:
    """The pipeline's run id: the Prefect flow run id, so raw.runs and the UI name the same run."""
    from prefect.runtime import flow_run

    return flow_run.get_id() or new_run_id(kind)


def make_fetcher(config: Config, urls: list[str] | None = None) -> Fetcher:
    """One fetcher per run, so robots.txt and throttles are shared by every batch."""
    from urllib.parse import urlsplit

    rates = {}
    for source in config.sources:
        for start in list(source.start_urls) + list(urls or []):
            rates.setdefault(urlsplit(start).netloc.lower(), source.requests_per_second)
    return Fetcher(config.fetch, rates)


def new_run_id(kind: str) -> str:
    """Sortable, unique run id outside a flow run: UTC timestamp, kind and a short random suffix."""
    return f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{kind}-{uuid.uuid4().hex[:6]}"


def _timezone_of(config_path: str | None) -> str:
    try:
        return load_config(config_path).timezone if config_path else "UTC"
    except (ConfigError, OSError):
        return "UTC"
