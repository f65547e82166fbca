"""The shipped text verdict model: loads offline, gets obvious cases right, never raises on empty text."""
import pytest

from critics.tasks.extract.textmodel import MODEL_PATH, TextModel, default_model, lexicon_prob_fresh, split_sentences_simple, tokenize


@pytest.fixture(scope="module")
def model():
    return default_model()


def test_shipped_artefact_is_small_and_loads_without_network(model):
    assert MODEL_PATH.stat().st_size < 20_000_000
    assert len(model.weights) > 10_000 and "provenance" in model.meta


@pytest.mark.parametrize("text", [
    "brutal, bloody fight scenes that are a thrill",
    "a wonderful, moving film with superb performances",
    "one of the best films of the year",
    "funny, smart and beautifully acted",
    "a gripping thriller that never lets up",
    "an absolute delight from start to finish",
    "Gorgeous to look at and deeply felt. A triumph.",
])
def test_obvious_praise_is_fresh(model, text):
    assert model.verdict(text)[0] == "fresh"


@pytest.mark.parametrize("text", [
    "a tedious, overlong mess",
    "boring, predictable and badly acted",
    "the worst movie i have seen in years",
    "a dull, lifeless waste of a talented cast",
    "the jokes fall flat and the plot makes no sense",
    "Clumsy and forgettable. Skip it.",
    "an incoherent, ugly, exhausting slog",
])
def test_obvious_pans_are_rotten(model, text):
    assert model.verdict(text)[0] == "rotten"


@pytest.mark.xfail(reason="bigram NB-LR without negation scope scores it 0.32; see report", strict=False)
def test_not_bad_at_all_leans_positive(model):
    assert model.prob_fresh("not bad at all") > 0.5


@pytest.mark.parametrize("text", ["", "   ", "!!!", "a", "great " * 2000])
def test_sentence_sentiment_stays_in_range(model, text):
    assert -1.0 <= model.sentence_sentiment(text) <= 1.0
    assert 0.0 <= model.prob_fresh(text) <= 1.0


def test_empty_review_is_a_coin_toss_not_an_error(model):
    assert model.prob_fresh("") == 0.5


def test_loading_an_explicit_path_gives_the_same_scores(model):
    again = TextModel.load(MODEL_PATH)
    assert again.sentence_score("a fine film") == model.sentence_score("a fine film")


@pytest.mark.parametrize("text, tokens", [
    ("Don\u2019t MISS it!", ["don't", "miss", "it", "!"]),
    ("too-tepid biopic", ["too", "tepid", "biopic"]),
    ("the film's charm , however , wears thin .", ["the", "film's", "charm", "however", "wears", "thin"]),
])
def test_tokenize_normalises_case_apostrophes_and_punctuation(text, tokens):
    assert tokenize(text) == tokens


def test_sentences_are_cut_after_end_punctuation():
    assert split_sentences_simple("Great. Awful! Fine?") == ["Great.", " Awful!", " Fine?"]


@pytest.mark.parametrize("text, fresh", [("a great, funny film", True), ("not good, boring", False)])
def test_lexicon_baseline_reads_negation(text, fresh):
    assert (lexicon_prob_fresh(text) > 0.5) is fresh
