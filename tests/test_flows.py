"""The reprocess and publish flows rebuild the public tables from the raw archive alone, with no network."""
from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest

from conftest import write_demo_config

pytestmark = pytest.mark.timeout(300)

PAGE_COUNT = 6
TABLES = ("films", "reviews", "chunks", "mentions", "film_consensus")


def _counts(db) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.fixture(scope="module")
def scraped(tmp_path_factory, demo_site_copy):
    """A few demo review pages scraped into a fresh database; the site is down afterwards."""
    from critics.flows.demo_site import load_truth, serve_demo
    from critics.flows.nightly import scrape

    work = tmp_path_factory.mktemp("flows")
    with serve_demo(demo_site_copy) as base_url:
        config = write_demo_config(base_url, work / "demo.toml")
        urls = [base_url + t["path"] for t in load_truth()["reviews"][:PAGE_COUNT]]
        summary = scrape(urls=urls, config_path=str(config), db=str(work / "critics.duckdb"))
    assert summary["loaded"] == PAGE_COUNT
    return work / "critics.duckdb", config


def test_reprocess_re_extracts_every_archived_page_without_fetching(scraped):
    from critics.flows.nightly import reprocess

    db, config = scraped
    before = _counts(db)
    summary = reprocess(config_path=str(config), db=str(db))
    assert (summary["loaded"], summary["rejected"]) == (PAGE_COUNT, 0)
    assert _counts(db) == before


def test_reprocess_since_a_future_date_re_extracts_nothing(scraped):
    from critics.flows.nightly import reprocess

    db, config = scraped
    summary = reprocess(config_path=str(config), since=date.today() + timedelta(days=2), db=str(db))
    assert summary["discovered"] == 0
    assert _counts(db)["reviews"] == PAGE_COUNT


def test_publish_rebuilds_the_snapshot_from_staging(scraped):
    from critics.flows.nightly import publish_tables

    db, config = scraped
    before = _counts(db)
    db.unlink()
    publish_tables(config_path=str(config), db=str(db))
    assert _counts(db) == before


def test_a_second_writer_on_one_database_gets_a_clear_error(scraped):
    from critics.tasks.runtime.runlock import RunLockedError, check_unlocked, writer_lock

    db, _ = scraped
    with writer_lock(db), pytest.raises(RunLockedError, match="another critics run is writing"):
        check_unlocked(db)
    check_unlocked(db)  # released again
