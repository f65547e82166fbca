"""The mention benchmark on real Rotten Tomatoes snippets meets its targets."""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
pytestmark = pytest.mark.skipif(not (REALDATA / "rt_flatiron").is_dir(), reason="../shared/realdata is absent")
sys.path.insert(0, str(ROOT / "benchmarks"))

import eval_mentions  # noqa: E402


@pytest.fixture(scope="module")
def data():
    return eval_mentions.load_reviews(REALDATA), eval_mentions.load_credits(REALDATA)


def test_credited_director_and_writer_surnames_are_found(data):
    found, total, _ = eval_mentions.credited_recall(*data)
    assert total > 5000 and found / total >= 0.95


def test_uncredited_person_mentions_are_precise_and_all_labelled(data):
    sample = eval_mentions.uncredited_sample(*data)
    correct, labelled, unlabelled = eval_mentions.uncredited_precision(sample, eval_mentions.load_labels())
    assert len(sample) == 100 and not unlabelled
    assert correct / labelled >= 0.90
