"""Syndicated copies: trimmed, retitled and wire copies point at the earliest; different critics never merge."""
import sys
from datetime import date
from pathlib import Path

import pytest

from critics.tasks.warehouse.syndication import Printed, find_copies

ROOT = Path(__file__).resolve().parents[1]
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
TEXT = ("Ember is a neon-soaked chase through a city that never sleeps. The driving is thrilling, the plot less so. "
        "Lena de Marco holds it together with a fierce, wary performance. The last act runs out of road.")


def review(review_id, text=TEXT, critic="jane doe", day=1, film="ember"):
    return Printed(review_id, film, critic, date(2025, 3, day), text)


def test_trimmed_and_unsigned_copies_point_at_the_earliest_print():
    trimmed = TEXT.rsplit(" The last act", 1)[0]
    copies = find_copies([review("b", day=3), review("a", day=2), review("c", trimmed, day=5),
                          review("d", critic="", day=4)])
    assert copies == {"b": "a", "c": "a", "d": "a"}


def test_different_critics_and_different_films_never_merge():
    other = Printed("x", "ember", "john roe", date(2025, 3, 1), TEXT)
    assert find_copies([review("a"), other]) == {}
    assert find_copies([review("a"), review("b", film="harvest")]) == {}


def test_an_unsigned_copy_does_not_bridge_two_critics():
    reviews = [review("a"), Printed("b", "ember", "john roe", date(2025, 3, 2), TEXT), review("c", critic="", day=3)]
    copies = find_copies(reviews)
    assert "b" not in copies or copies["b"] != "a"
    assert set(copies) <= {"b", "c"} and len(copies) <= 1


def test_short_lines_are_not_called_copies():
    assert find_copies([review("a", "A visual treat."), review("b", "A visual treat.", critic="")]) == {}


@pytest.mark.skipif(not (REALDATA / "rt_flatiron").is_dir(), reason="../shared/realdata is absent")
def test_rt_flatiron_no_different_critics_merged_and_every_planted_copy_found():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import eval_syndication

    reviews = eval_syndication.load(REALDATA)
    planted, truth = eval_syndication.plant(reviews, 200)
    result = eval_syndication.evaluate(reviews, planted, truth)
    assert result["real"]["different_critics"] == 0
    assert sum(result["found"].values()) == len(truth) == 200
