"""Verdicts from review text: a compact linear model scored in pure Python (no numpy, no scikit-learn).

The artefact (data/models/verdict_text.json.gz) is written by tasks/training/text_model.py; it maps
word unigrams and bigrams to NB-SVM weights learned from Rotten Tomatoes snippets labelled fresh/rotten
(see the artefact's "provenance" field). A review is scored sentence by sentence: each sentence gets a
log-odds of being positive and the review's probability of 'fresh' comes from the mean of those.
"""
from __future__ import annotations

import gzip
import json
import math
import re
from functools import lru_cache
from pathlib import Path

from critics.schemas.paths import package_data
from critics.tasks.extract import lexicon

MODEL_PATH = package_data("models", "verdict_text.json.gz")

# Words keep inner apostrophes ("don't", "film's") because the Pang & Lee data was tokenised that way;
# an explicit Latin letter range is much faster than [^\W_] and English reviews need nothing else.
_TOKEN_RE = re.compile(r"[a-z0-9\u00c0-\u024f]+(?:'[a-z0-9\u00c0-\u024f]+)*|[!?]")
_SENTENCE_RE = re.compile(r"[^.!?;\n]*(?:[.!?;\n]+|$)")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?;\n])(?=[^.!?;\n])")  # same cuts as _SENTENCE_RE, for re.split


def _normalise(text: str) -> str:
    """Lower case with typographic apostrophes made plain."""
    # chained replace is several times faster than str.translate on long reviews
    return text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens plus '!' and '?', identical at training and inference time."""
    return _TOKEN_RE.findall(_normalise(text))


def features(tokens: list[str]) -> set[str]:
    """Distinct unigrams and space-joined bigrams of one sentence (binary features)."""
    return set(tokens).union(map(" ".join, zip(tokens, tokens[1:])))


def _lookup_keys(tokens: list[str]) -> set:
    """Same features as features(), with bigrams as tuples: no string building at scoring time."""
    return set(tokens).union(zip(tokens, tokens[1:]))


def _lookup_key(name: str):
    """Artefact feature name -> key used by _lookup_keys ("a b" -> ("a", "b"))."""
    return tuple(name.split(" ")) if " " in name else name


def split_sentences_simple(text: str) -> list[str]:
    """Cut text after . ! ? ; or newline; good enough for scoring, not for display."""
    return [s for s in _SENTENCE_RE.findall(text) if s.strip()]


def read_artefact(path: str | Path) -> tuple[dict[str, float], dict]:
    """A model artefact's feature weights and the whole blob (gzip JSON, as tasks/training/text_model.export writes)."""
    with gzip.open(Path(path), "rt", encoding="utf-8") as fh:
        blob = json.load(fh)
    return dict(zip(blob["features"], (w / blob["weight_scale"] for w in blob["weights"]))), blob


def sigmoid(x: float) -> float:
    """Logistic function that does not overflow."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class TextModel:
    """Linear sentence scorer over binary unigram+bigram features, plus a review-level aggregation."""

    def __init__(self, weights: dict[str, float], bias: float, review_scale: float = 1.0,
                 review_bias: float = 0.0, meta: dict | None = None):
        self.weights = weights
        self._get = {_lookup_key(k): w for k, w in weights.items()}.get
        self.bias = bias
        self.review_scale = review_scale
        self.review_bias = review_bias
        self.meta = meta or {}

    @classmethod
    def load(cls, path: str | Path | None = None) -> "TextModel":
        """Read an artefact written by tasks/training/text_model.py (gzip JSON, no network)."""
        weights, blob = read_artefact(path or MODEL_PATH)
        agg = blob.get("aggregation", {})
        return cls(weights, blob["bias"], agg.get("scale", 1.0), agg.get("bias", 0.0), blob.get("meta"))

    def token_score(self, tokens: list[str]) -> float:
        """Log-odds of positive for one already tokenised sentence."""
        # filter(None, ...) drops unknown features (None) while keeping the loop in C.
        # fsum: the set's iteration order varies with the hash seed; the sum must not.
        return self.bias + math.fsum(filter(None, map(self._get, _lookup_keys(tokens))))

    def sentence_score(self, sentence: str) -> float:
        """Log-odds that a sentence is positive."""
        return self.token_score(tokenize(sentence))

    def sentence_sentiment(self, sentence: str) -> float:
        """Sentiment in -1..1 (2p - 1 of the sentence's probability of being positive)."""
        return 2.0 * sigmoid(self.sentence_score(sentence)) - 1.0

    def review_score(self, text: str) -> float:
        """Mean sentence log-odds over the sentences that have any word; 0.0 for empty text."""
        # normalise once and keep the per-sentence loop in C: long reviews have dozens of sentences
        sentences = _SENTENCE_END_RE.split(_normalise(text))
        get = self._get  # inlined token_score: this loop is the pipeline's hot path
        # a {*t, *pairs} display builds the feature set faster than set(t).union(pairs)
        sums = [math.fsum(filter(None, map(get, {*t, *zip(t, t[1:])}))) for t in map(_TOKEN_RE.findall, sentences) if t]
        return self.bias + sum(sums) / len(sums) if sums else 0.0

    def prob_fresh(self, text: str) -> float:
        """Probability that a whole review (a snippet or a long text) is 'fresh'."""
        if not text or not text.strip():
            return 0.5
        return sigmoid(self.review_scale * self.review_score(text) + self.review_bias)

    def verdict(self, text: str) -> tuple[str, float]:
        """('fresh' | 'rotten', probability of fresh) for a review's text."""
        p = self.prob_fresh(text)
        return ("fresh" if p >= 0.5 else "rotten"), p


@lru_cache(maxsize=1)
def default_model() -> TextModel:
    """The shipped model, loaded once per process."""
    return TextModel.load()


# A deliberately small hand-written lexicon: the baseline every trained figure is reported against.
_POSITIVE = frozenset(lexicon.words("sentiment_positive"))
_NEGATIVE = frozenset(lexicon.words("sentiment_negative"))
_NEGATORS = frozenset(lexicon.words("sentiment_negators"))


def lexicon_score(text: str) -> int:
    """Positive minus negative word count, flipping the first sentiment word within three tokens of a negator."""
    score, flip_left = 0, 0
    for tok in tokenize(text):
        if tok in _NEGATORS:
            flip_left = 3
            continue
        polarity = (tok in _POSITIVE) - (tok in _NEGATIVE)
        score += -polarity if flip_left else polarity
        flip_left = 0 if polarity else max(0, flip_left - 1)  # a negator flips one sentiment word only
    return score


def lexicon_prob_fresh(text: str) -> float:
    """Baseline probability of 'fresh' from the hand-written lexicon (ties lean fresh, as RT does)."""
    return sigmoid(lexicon_score(text) + 0.25)
