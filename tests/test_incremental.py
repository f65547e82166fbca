"""Incremental nights: changed pages are re-extracted and replace their rows, unchanged ones cost a 304 or a hash compare, gone pages are marked removed."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import REPO_ROOT, write_demo_config

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


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """Night 1 over a private site copy; edit three pages and delete one; night 2."""
    from flows.demo_site import load_truth, serve_demo
    from flows.nightly import nightly

    work = tmp_path_factory.mktemp("incremental")
    site = work / "site"
    shutil.copytree(REPO_ROOT / "data" / "demo_site" / "site", site)
    paths = [t["path"] for t in load_truth()["reviews"]]
    changed, deleted = paths[:CHANGED_COUNT], paths[CHANGED_COUNT]
    with serve_demo(site) as base_url:
        config = write_demo_config(base_url, work / "demo.toml")
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
    from tasks.load import work_path

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

