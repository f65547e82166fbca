"""Learning per-scale and per-outlet cutoffs, and their film-grouped cross-validation."""
import time
from pathlib import Path

import pytest

from critics.tasks.training.cutoffs import best_cutoff, evaluate_cutoffs, film_folds, learn_cutoffs

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def _examples(outlet, kind, rows, film="1"):
    """rows: (score, n_fresh, n_rotten)."""
    out = []
    for score, fresh, rotten in rows:
        out += [(film, outlet, kind, score, True)] * fresh + [(film, outlet, kind, score, False)] * rotten
    return out


def test_best_cutoff_separates_rotten_from_fresh():
    assert best_cutoff({50.0: [10, 0], 62.5: [10, 1], 75.0: [10, 10]}) == 68.75


def test_best_cutoff_ties_go_to_the_cutoff_nearest_60():
    assert best_cutoff({40.0: [5, 0], 80.0: [5, 5]}) == 60.0


def test_a_small_outlet_follows_the_scale_until_its_evidence_is_clear():
    scale = {50.0: [100, 0], 62.5: [100, 30], 75.0: [100, 100]}
    assert best_cutoff({62.5: [1, 1]}, scale, weight=20) == 68.75
    assert best_cutoff({62.5: [30, 30]}, scale, weight=20) == 56.25


def test_learned_table_stores_outlets_only_where_they_differ():
    examples = (_examples("a", "x/4", [(50.0, 0, 40), (62.5, 2, 60), (75.0, 40, 0)])
                + _examples("b", "x/4", [(50.0, 0, 5), (62.5, 20, 0), (75.0, 5, 0)]))
    table = learn_cutoffs(examples, min_outlet_n=1, prior_weight=5)
    assert table["scale"] == {"x/4": 68.75}
    assert table["outlet_scale"] == {"b": {"x/4": 56.25}}


def test_a_coin_flip_value_stays_where_plain_60_puts_it():
    examples = _examples("a", "x/4", [(50.0, 0, 40), (62.5, 49, 51), (75.0, 40, 0)])
    assert learn_cutoffs(examples)["scale"] == {"x/4": 56.25}


def test_a_clear_majority_moves_the_scale_cutoff_away_from_60():
    examples = _examples("a", "x/4", [(50.0, 0, 40), (62.5, 30, 70), (75.0, 40, 0)])
    assert learn_cutoffs(examples)["scale"] == {"x/4": 68.75}


def test_unknown_outlet_is_never_learned():
    examples = _examples("", "x/4", [(50.0, 0, 40), (62.5, 30, 0), (75.0, 40, 0)])
    assert learn_cutoffs(examples, min_outlet_n=1)["outlet_scale"] == {}


def test_folds_keep_each_film_together():
    examples = [(str(i % 7), "o", "x/4", 50.0, False) for i in range(70)]
    folds = film_folds(examples, folds=5, seed=0)
    by_film = {}
    for e, f in zip(examples, folds):
        by_film.setdefault(e[0], set()).add(f)
    assert all(len(f) == 1 for f in by_film.values()) and len(set(folds)) == 5


@pytest.mark.skipif(not (REALDATA / "rt_flatiron").is_dir(), reason="needs ../shared/realdata")
def test_learned_cutoffs_agree_with_rt_on_at_least_95_5_percent():
    start = time.monotonic()
    result = evaluate_cutoffs(REALDATA, folds=5, seed=0)
    assert time.monotonic() - start < 60
    assert result["n"] > 40_000
    assert result["accuracy"]["per_outlet_scale"] >= 0.955
    assert result["accuracy"]["per_outlet_scale"] > result["accuracy"]["plain_60"]
