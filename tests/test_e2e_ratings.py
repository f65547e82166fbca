"""End to end, one Format Lab page at a time: every rating format is read as printed, every look-alike is ignored."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest

pytestmark = pytest.mark.timeout(600)

TRUTH = json.loads((Path(__file__).resolve().parents[1] / "data" / "demo_site" / "truth.json").read_text(encoding="utf-8"))
LAB = [r for r in TRUTH["reviews"] if r["outlet"] == "Format Lab Review"]
RATED = [r for r in LAB if r["has_rating"]]
UNRATED = [r for r in LAB if not r["has_rating"]]


def _ids(reviews: list[dict]) -> list[str]:
    return [r["format_case"] for r in reviews]


@pytest.fixture(scope="module")
def reviews(demo_run) -> dict[str, dict]:
    """Published reviews keyed by URL path."""
    with duckdb.connect(str(demo_run.db), read_only=True) as con:
        rows = con.execute("SELECT url, rating_raw, score, verdict, verdict_source, text FROM reviews").fetchall()
    return {urlsplit(url).path: dict(zip(("rating_raw", "score", "verdict", "verdict_source", "text"), rest))
            for url, *rest in rows}


def test_the_lab_has_every_format_and_look_alike():
    assert len(RATED) == 24 and len(UNRATED) == 7


@pytest.mark.parametrize("truth", RATED, ids=_ids(RATED))
def test_each_rating_format_is_read_as_printed(reviews, truth):
    got = reviews[truth["path"]]
    assert got["rating_raw"] == truth["rating_raw"]
    assert got["score"] == (None if truth["score"] is None else pytest.approx(truth["score"], abs=0.05))
    assert (got["verdict"], got["verdict_source"]) == (truth["verdict"], "rating")


@pytest.mark.parametrize("truth", [r for r in RATED if r.get("verdict_from_word")],
                         ids=_ids([r for r in RATED if r.get("verdict_from_word")]))
def test_verdict_words_set_the_verdict_but_no_score(reviews, truth):
    got = reviews[truth["path"]]
    assert got["score"] is None and got["verdict"] == truth["verdict_from_word"]


@pytest.mark.parametrize("truth", UNRATED, ids=_ids(UNRATED))
def test_look_alikes_in_the_body_are_not_ratings(reviews, truth):
    got = reviews[truth["path"]]
    assert got["rating_raw"] is None and got["score"] is None
    assert got["verdict_source"] == "model"


@pytest.mark.parametrize("truth", [r for r in RATED if r["lookalike"]], ids=_ids([r for r in RATED if r["lookalike"]]))
def test_look_alikes_beside_a_rating_do_not_replace_it(reviews, truth):
    assert reviews[truth["path"]]["rating_raw"] == truth["rating_raw"]
