"""Fresh/rotten from a printed rating with per-outlet and per-scale cutoffs."""
import json

import pytest

from critics.schemas.records import Rating
from critics.tasks.extract.verdicts import DEFAULT_CUTOFFS_PATH, load_cutoffs, scale_kind, verdict_from_rating

TABLE = {
    "default_cutoff": 60.0,
    "scale": {"x/4": 68.75, "x/5": 53.0, "letter": 59.05},
    "outlet_scale": {"boston globe": {"x/4": 53.75}, "worcester telegram & gazette": {"x/5": 65.0}},
}


def _rating(score, scale, hint=None):
    return Rating(raw="printed", score=score, scale=scale, rule="fraction", verdict_hint=hint)


@pytest.mark.parametrize("scale, kind", [
    ("x/4", "x/4"), ("x/10 assumed", "x/10"), ("stars/5", "stars/5"), ("letter", "letter"),
    ("percent", "percent"), ("x/7 thirds", "other"), (None, "other"),
])
def test_scale_kind_names_the_scale_a_cutoff_is_learned_for(scale, kind):
    assert scale_kind(_rating(50.0, scale)) == kind


@pytest.mark.parametrize("score, scale, outlet, verdict", [
    (62.5, "x/4", "Boston Globe", "fresh"),          # the outlet's own cutoff
    (62.5, "x/4", "  BOSTON   globe ", "fresh"),     # matched case- and space-insensitively
    (62.5, "x/4", "Unknown Weekly", "rotten"),       # unseen outlet: the scale's cutoff
    (62.5, "x/4", None, "rotten"),
    (60.0, "x/5", "Worcester Telegram &amp; Gazette", "rotten"),
    (60.0, "x/5", "Some Blog", "fresh"),
    (62.5, "stars/4", "Boston Globe", "fresh"),      # stars/4 falls back to x/4
    (55.0, "stars/5", None, "fresh"),
    (59.0, "x/10", None, "rotten"),                  # scale missing from the table: cutoff 60
    (60.0, "percent", None, "fresh"),
    (54.5, "letter", None, "rotten"),
    (63.6, "letter", None, "fresh"),
])
def test_verdict_follows_the_most_specific_cutoff(score, scale, outlet, verdict):
    assert verdict_from_rating(_rating(score, scale), outlet, TABLE) == verdict


@pytest.mark.parametrize("hint", ["fresh", "rotten", None])
def test_verdict_word_returns_its_hint(hint):
    assert verdict_from_rating(_rating(None, "verdict_word", hint), "Boston Globe", TABLE) == hint


def test_no_rating_says_nothing():
    assert verdict_from_rating(None, "Boston Globe", TABLE) is None


def test_empty_table_uses_cutoff_60():
    assert [verdict_from_rating(_rating(s, "x/4"), None, {}) for s in (59.9, 60.0)] == ["rotten", "fresh"]


def test_missing_table_file_falls_back_to_cutoff_60(tmp_path):
    table = load_cutoffs(tmp_path / "absent.json")
    assert verdict_from_rating(_rating(60.0, "x/4"), None, table) == "fresh"


def test_shipped_table_is_small_and_says_where_it_came_from():
    table = load_cutoffs()
    assert DEFAULT_CUTOFFS_PATH.stat().st_size < 2_000_000
    provenance = table["provenance"]
    assert provenance["source"] == "tstrain199/movie-type-analysis @5f8ca963"
    assert {"seed", "trained_on", "n", "data"} <= set(provenance)
    assert set(table["scale"]) >= {"x/4", "x/5", "x/10", "letter"}


def test_load_cutoffs_reads_a_given_path(tmp_path):
    path = tmp_path / "cutoffs.json"
    path.write_text(json.dumps(TABLE))
    assert load_cutoffs(path)["scale"]["x/4"] == 68.75


DEMO_TRUTH = DEFAULT_CUTOFFS_PATH.parents[1] / "demo_site" / "truth.json"


@pytest.mark.skipif(not DEMO_TRUTH.is_file(), reason="demo site truth not generated")
def test_demo_site_prints_get_the_truth_score_and_verdict():
    from critics.tasks.extract.ratings import parse_rating_text
    # A bare number takes its scale from the page, which the printed text alone does not carry.
    rated = [r for r in json.loads(DEMO_TRUTH.read_text(encoding="utf-8"))["reviews"]
             if r["rating_raw"] and r.get("format_case") != "bare-number-scale-from-page-data"]
    got = [(parse_rating_text(r["rating_raw"]).score, verdict_from_rating(parse_rating_text(r["rating_raw"]), r["outlet"]))
           for r in rated]
    assert got == [(r["score"], r["verdict"]) for r in rated]
