"""Pooled credits on real snippets where a third of each film's pages carry credits: recall and precision targets."""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
pytestmark = pytest.mark.skipif(not (REALDATA / "rt_flatiron").is_dir(), reason="../shared/realdata is absent")
sys.path.insert(0, str(ROOT / "benchmarks"))

import eval_pooled_credits  # noqa: E402


def test_surnames_found_with_pooled_credits_and_uncredited_mentions_stay_precise():
    result = eval_pooled_credits.measure(REALDATA)
    assert result["pooled_total"] > 5000
    assert result["pooled_found"] / result["pooled_total"] >= 0.90
    # pooling is what lifts it: the pages' own credits alone find far fewer
    assert result["own_found"] / result["own_total"] < 0.6
    assert result["sample"] == 100 and result["unlabelled"] == 0
    assert result["precision_correct"] / result["precision_labelled"] >= 0.90
