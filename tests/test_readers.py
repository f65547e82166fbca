"""Readers are never blocked: a read-only connection open through a run keeps working and sees one whole night."""
from __future__ import annotations

import shutil
import threading

import duckdb
import pytest

from conftest import REPO_ROOT, write_demo_config

pytestmark = pytest.mark.timeout(300)

PAGE_COUNT = 20  # a small night keeps the test fast; the publish swap is the same for any size
READ = """SELECT (SELECT count(*) FROM reviews), (SELECT max(published_at) FROM film_consensus),
                 (SELECT sum(review_count) FROM film_consensus)"""


def _read(db) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(READ).fetchone()


def test_readers_see_the_previous_or_the_new_night_never_a_mix(tmp_path):
    from critics.flows.demo_site import load_truth, serve_demo
    from critics.flows.nightly import scrape

    site = tmp_path / "site"
    shutil.copytree(REPO_ROOT / "data" / "demo_site" / "site", site)
    db = tmp_path / "critics.duckdb"
    with serve_demo(site) as base_url:
        config = str(write_demo_config(base_url, tmp_path / "demo.toml"))
        paths = [t["path"] for t in load_truth()["reviews"][:PAGE_COUNT]]
        night = dict(urls=[base_url + p for p in paths], config_path=config, db=str(db))
        scrape(**dict(night, urls=night["urls"][1:]))  # the next night has one review more
        previous = _read(db)
        held = duckdb.connect(str(db), read_only=True)
        run = threading.Thread(target=scrape, kwargs=night)
        run.start()
        seen, held_seen = [], []
        while run.is_alive():
            seen.append(_read(db))
            held_seen.append(held.execute(READ).fetchone())
        run.join()
        held.close()
    new = _read(db)
    assert new[0] == previous[0] + 1 and new[1] > previous[1]
    assert len(seen) > 10, "the reader loop should have read many times during the run"
    assert set(seen) <= {previous, new}
    assert set(held_seen) == {previous}  # an open connection keeps its night until it reconnects
