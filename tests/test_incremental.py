"""Incremental nights: changed pages are re-extracted and replace their rows, unchanged ones cost a 304 or a hash
compare (or, when the sitemap's lastmod vouches for them, no request at all), gone pages are marked removed."""
from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from conftest import REPO_ROOT, write_demo_config
from critics.tasks.acquire.discovery import Target
from critics.tasks.warehouse.incremental import skip_by_lastmod

pytestmark = pytest.mark.timeout(300)

MARKER = "Edited between two nights."
CHANGED_COUNT = 3


def _edit_longest_paragraph(page: Path) -> None:
    """Append a sentence to the page's longest paragraph (its review text, never the chrome)."""
    html = page.read_text(encoding="utf-8")
    longest = max(re.finditer(r"<p>(.*?)</p>", html, re.S), key=lambda m: len(m.group(1)))
    page.write_text(html[:longest.end(1)] + " " + MARKER + html[longest.end(1):], encoding="utf-8")


def _outcomes(db: Path) -> dict[str, tuple[str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {u: (o, r) for u, o, r in con.execute("SELECT url, outcome, reason FROM url_outcomes").fetchall()}


def _ask_every_night(config: Path) -> Path:
    """The config with sitemap lastmod trust off: every known page gets a conditional GET."""
    config.write_text(config.read_text(encoding="utf-8") + "\n[fetch]\ntrust_lastmod_days = 0\n", encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """Night 1 over a private site copy; edit three pages and delete one (sitemap untouched); night 2.

    The static sitemap's lastmod does not move with the edits, so this config asks the server every night.
    """
    from critics.flows.demo_site import load_truth, serve_demo
    from critics.flows.nightly import nightly

    work = tmp_path_factory.mktemp("incremental")
    site = work / "site"
    shutil.copytree(REPO_ROOT / "data" / "demo_site" / "site", site)
    paths = [t["path"] for t in load_truth()["reviews"]]
    changed, deleted = paths[:CHANGED_COUNT], paths[CHANGED_COUNT]
    with serve_demo(site) as base_url:
        config = _ask_every_night(write_demo_config(base_url, work / "demo.toml"))
        db = work / "critics.duckdb"
        first = nightly(config_path=str(config), db=str(db))
        for path in changed:
            _edit_longest_paragraph(site / path.lstrip("/"))
        (site / deleted.lstrip("/")).unlink()
        second = nightly(config_path=str(config), db=str(db))
    return dict(db=db, config=config, base_url=base_url, first=first, second=second, paths=paths,
                changed={base_url + p for p in changed}, deleted=base_url + deleted)


def test_exactly_the_changed_pages_are_re_extracted(nights):
    loaded = {u for u, (o, _) in _outcomes(nights["db"]).items() if o == "loaded"}
    assert loaded == nights["changed"]
    assert nights["second"]["loaded"] == CHANGED_COUNT


def test_every_other_review_page_is_answered_by_304_or_hash(nights):
    outcomes = _outcomes(nights["db"])
    others = {nights["base_url"] + p for p in nights["paths"]} - nights["changed"] - {nights["deleted"]}
    assert {outcomes[u][0] for u in others} == {"unchanged"}
    assert all(outcomes[u][1] in ("HTTP 304 not modified", "same content hash") for u in others)


def test_changed_pages_replace_their_rows_without_duplicates(nights):
    with duckdb.connect(str(nights["db"]), read_only=True) as con:
        total, distinct = con.execute("SELECT count(*), count(DISTINCT url) FROM reviews").fetchone()
        edited = {u for (u,) in con.execute("SELECT url FROM reviews WHERE contains(text, ?)", [MARKER]).fetchall()}
        chunk_dupes = con.execute("SELECT count(*) - count(DISTINCT (review_id, chunk_index)) FROM chunks").fetchone()[0]
    assert total == distinct == nights["first"]["loaded"] - 1
    assert edited == nights["changed"]
    assert chunk_dupes == 0


def test_a_page_that_now_answers_404_is_marked_removed_and_unpublished(nights):
    from critics.tasks.warehouse.load import work_path

    outcome, reason = _outcomes(nights["db"])[nights["deleted"]]
    assert outcome == "rejected" and reason.startswith("removed")
    with duckdb.connect(str(work_path(nights["db"])), read_only=True) as work:
        assert work.execute("SELECT is_removed FROM raw.pages WHERE url = ?", [nights["deleted"]]).fetchone() == (True,)
        assert work.execute("SELECT count(*) FROM raw.page_versions WHERE url = ?", [nights["deleted"]]).fetchone()[0] == 1
        assert work.execute("SELECT count(*) FROM staging.reviews WHERE fetched_url = ?", [nights["deleted"]]).fetchone()[0] == 0
    with duckdb.connect(str(nights["db"]), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reviews WHERE url = ?", [nights["deleted"]]).fetchone()[0] == 0


def test_counts_add_up_on_the_second_night(nights):
    first, second = nights["first"], nights["second"]
    assert second["discovered"] == first["discovered"]
    assert second["discovered"] == second["loaded"] + second["unchanged"] + second["rejected"] + second["out_of_scope"]
    removed = [u for u, (o, r) in _outcomes(nights["db"]).items() if o == "rejected" and r.startswith("removed")]
    assert (second["loaded"], removed) == (CHANGED_COUNT, [nights["deleted"]])



@pytest.fixture(scope="module")
def lastmod_nights(tmp_path_factory):
    """Default config. Night 1; edit one page and move its sitemap lastmod to today, as a CMS does; night 2."""
    from datetime import date

    from critics.flows.demo_site import serve_demo
    from critics.flows.nightly import nightly

    work = tmp_path_factory.mktemp("lastmod")
    site = work / "site"
    shutil.copytree(REPO_ROOT / "data" / "demo_site" / "site", site)
    sitemap = site / "sitemaps" / "reviews-1.xml"
    path, lastmod = re.search(r"<loc>__BASE__([^<]+)</loc><lastmod>([^<]+)</lastmod>", sitemap.read_text()).groups()
    with serve_demo(site) as base_url:
        config = write_demo_config(base_url, work / "demo.toml")
        db = work / "critics.duckdb"
        first = nightly(config_path=str(config), db=str(db))
        _edit_longest_paragraph(site / path.lstrip("/") / "index.html" if path.endswith("/") else site / path.lstrip("/"))
        sitemap.write_text(sitemap.read_text().replace(f"{path}</loc><lastmod>{lastmod}<",
                                                       f"{path}</loc><lastmod>{date.today().isoformat()}T23:59:59-12:00<"))
        second = nightly(config_path=str(config), db=str(db))
    return dict(db=db, first=first, second=second, edited=base_url + path)


def test_pages_the_sitemap_vouches_for_are_not_requested_again(lastmod_nights):
    from critics.tasks.warehouse.load import work_path

    outcomes = _outcomes(lastmod_nights["db"])
    vouched = {u for u, (o, r) in outcomes.items() if o == "unchanged" and r.startswith("sitemap lastmod")}
    assert len(vouched) == lastmod_nights["first"]["loaded"] - 1
    with duckdb.connect(str(work_path(lastmod_nights["db"])), read_only=True) as work:
        last_run = work.execute("SELECT max_by(run_id, started_at) FROM raw.runs").fetchone()[0]
        requested = {u for (u,) in work.execute("SELECT url FROM raw.fetch_log WHERE run_id = ?", [last_run]).fetchall()}
    assert not requested & vouched
    assert lastmod_nights["edited"] in requested


def test_a_page_whose_lastmod_moved_is_re_extracted(lastmod_nights):
    assert _outcomes(lastmod_nights["db"])[lastmod_nights["edited"]][0] == "loaded"
    assert lastmod_nights["second"]["loaded"] == 1
    with duckdb.connect(str(lastmod_nights["db"]), read_only=True) as con:
        edited = {u for (u,) in con.execute("SELECT url FROM reviews WHERE contains(text, ?)", [MARKER]).fetchall()}
    assert edited == {lastmod_nights["edited"]}


_FETCHED = datetime(2026, 3, 10, 3, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("lastmod, is_loaded, days_since_fetch, trust_days, skipped", [
    ("2026-03-08", True, 1, 7, True),              # a date two days before the fetch
    ("2026-03-10", True, 1, 7, False),             # the fetch's own day: it may have changed after
    ("2026-03-09", True, 1, 7, False),             # yesterday in UTC may be today somewhere east
    ("2026-03-10T02:00:00Z", True, 1, 7, True),    # a time before the fetch
    ("2026-03-10T04:00:00+00:00", True, 1, 7, False),
    ("2026-03-10T02:00:00", True, 1, 7, True),     # no zone: read as UTC
    ("2026-03-08", False, 1, 7, False),            # its review is not loaded: fetch again
    ("2026-03-08", True, 8, 7, False),             # fetched too long ago: a conditional GET checks it
    ("2026-03-08", True, 1, 0, False),             # trust off
    (None, True, 1, 7, False),                     # no lastmod
    ("last tuesday", True, 1, 7, False),           # unreadable
])
def test_skip_by_lastmod_only_when_the_sitemap_vouches_and_the_fetch_is_recent(lastmod, is_loaded, days_since_fetch,
                                                                              trust_days, skipped):
    target = Target("http://x.test/a", "X", None, lastmod)
    known = {target.url: {"is_loaded": is_loaded, "last_fetched_at": _FETCHED}}
    remaining, settled = skip_by_lastmod([target], known, _FETCHED + timedelta(days=days_since_fetch), trust_days)
    assert (len(settled), len(remaining)) == ((1, 0) if skipped else (0, 1))
    if skipped:
        assert settled[0][2:] == ("unchanged", f"sitemap lastmod {lastmod} before last fetch")


def test_a_page_never_fetched_is_requested():
    remaining, settled = skip_by_lastmod([Target("http://x.test/new", "X", None, "2020-01-01")], {}, _FETCHED, 7)
    assert (len(remaining), settled) == (1, [])
