"""Loading: bulk upserts keyed by review, so reloading never duplicates and a change replaces rows."""
from __future__ import annotations

from datetime import date

import pytest

from critics.schemas.records import Chunk, Credit, ExtractedReview, Mention, ParsedPage, Rating
from critics.tasks.warehouse import load
def _review(url: str, text: str, mentions: int = 1) -> ExtractedReview:
    page = ParsedPage(url=url, canonical_url=url, film_title="Ember", film_year=2025, critic="Ana Lee",
                      outlet="Screen Ledger", published_at=date(2025, 3, 1), body_text=text,
                      credits=[Credit("Lena de Marco", "actor", "Ivy Calloway")])
    chunk = Chunk(0, text, 0, len(text))
    found = [(0, Mention("acting", "aspect", None, text[:4], 0, 4, 0.5))] * mentions
    return ExtractedReview(page, text, Rating("3/4", 75.0, "x/4", "labelled"), 75.0, "fresh", "rating", None,
                           [chunk], found)


@pytest.fixture()
def con(tmp_path):
    with load.open_work(tmp_path / "critics.duckdb") as connection:
        yield connection


def _counts(con) -> tuple[int, ...]:
    return tuple(con.execute(f"SELECT count(*) FROM staging.{t}").fetchone()[0]
                 for t in ("reviews", "chunks", "mentions", "credits"))


def test_reloading_the_same_reviews_adds_no_rows(con):
    reviews = [_review("http://x/a", "Acting is superb."), _review("http://x/b", "Plot is thin.")]
    sources = {"http://x/a": "S", "http://x/b": "S"}
    hashes = {"http://x/a": "h1", "http://x/b": "h2"}
    load.upsert_reviews(con, "run1", reviews, sources, hashes)
    first = _counts(con)
    load.upsert_reviews(con, "run2", reviews, sources, hashes)
    assert _counts(con) == first == (2, 2, 2, 2)


def test_a_changed_page_replaces_its_rows(con):
    load.upsert_reviews(con, "run1", [_review("http://x/a", "Acting is superb.")], {"http://x/a": "S"}, {"http://x/a": "h1"})
    load.upsert_reviews(con, "run2", [_review("http://x/a", "Acting was weak.", mentions=1)], {"http://x/a": "S"}, {"http://x/a": "h2"})
    assert con.execute("SELECT text, sha256, run_id FROM staging.reviews").fetchall() == [("Acting was weak.", "h2", "run2")]
    assert _counts(con) == (1, 1, 1, 1)


def test_outcomes_upsert_per_run_and_url_and_count_into_the_run(con):
    load.start_run(con, "run1", "nightly")
    load.record_outcomes(con, "run1", [("http://x/a", "S", "rejected", "HTTP 500"), ("http://x/b", "S", "loaded", None)])
    load.record_outcomes(con, "run1", [("http://x/a", "S", "loaded", None)])
    summary = load.finish_run(con, "run1")
    assert summary == {"loaded": 2, "unchanged": 0, "rejected": 0, "out_of_scope": 0, "discovered": 2}


@pytest.mark.parametrize("url", ["http://x/a", "http://x/a?utm=1", "https://x/%E2%98%85"])
def test_review_id_is_stable_and_short(url):
    assert load.review_id(url) == load.review_id(url) and len(load.review_id(url)) == 16


def test_the_configured_source_names_the_outlet_when_the_page_states_none():
    from types import SimpleNamespace

    from critics.tasks.warehouse.load import _outlet

    assert _outlet(SimpleNamespace(outlet="example.org", outlet_rule="domain"), "Example Film Review") == "Example Film Review"
    assert _outlet(SimpleNamespace(outlet=None, outlet_rule=None), "Example Film Review") == "Example Film Review"
    assert _outlet(SimpleNamespace(outlet="The Long Take", outlet_rule="og:site_name"), "Source") == "The Long Take"
