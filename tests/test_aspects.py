"""Aspect mentions from the lexicon and clause-level sentiment."""
import re

import pytest

from critics.tasks.extract.aspects import clause_spans, find_aspects
from critics.tasks.text.chunk import split_sentences

_LEXICON = {"superb": 1.0, "great": 1.0, "good": 0.6, "mess": -1.0, "bad": -0.8, "dull": -0.8}


def toy_sentiment(text: str) -> float:
    """Sum of word polarities, clipped to -1..1 (no negation handling, on purpose)."""
    return max(-1.0, min(1.0, sum(_LEXICON.get(w, 0.0) for w in re.findall(r"[a-z]+", text.lower()))))


def aspects(text, sentiment=None):
    return [(m.name, m.surface, m.char_start) for m in find_aspects(text, split_sentences(text), sentiment)]


@pytest.mark.parametrize("text, expected", [
    ("The fight choreography is tight.", [("action", "fight choreography", 4)]),
    ("Her performance anchors the film.", [("acting", "performance", 4)]),
    ("A lush score by Hildur.", [("music", "score", 7)]),
    ("The CGI looks cheap.", [("effects", "CGI", 4)]),
    ("Every shot is composed with care.", [("visuals", "shot", 6)]),
    ("It is beautifully shot.", [("visuals", "shot", 18)]),
    ("Her turn as the widow is fierce.", [("acting", "turn", 4)]),
    ("The world-building is dense.", [("world-building", "world-building", 4)]),
])
def test_lexicon_terms_are_found_as_written(text, expected):
    assert aspects(text) == expected


@pytest.mark.parametrize("text", [
    "My score: 7/10.", "I give it a score of 3.", "It was shot in Toronto.", "He was shot dead.",
    "She was cast as a nurse.", "It is time to turn the page.", "They take action.", "We talked at length.",
    "Side effects may occur.", "He went in the wrong direction.", "The cgi of it.",
])
def test_non_craft_uses_are_not_aspects(text):
    assert aspects(text) == []


def test_contrast_gives_each_clause_its_own_sentiment():
    text = "The acting is superb, but the plot is a mess."
    found = {m.name: m.sentiment for m in find_aspects(text, split_sentences(text), toy_sentiment)}
    assert found == {"acting": 1.0, "story": -1.0}


def test_although_clause_ends_at_its_comma():
    text = "Although the score is great, the pacing is dull."
    found = {m.name: m.sentiment for m in find_aspects(text, split_sentences(text), toy_sentiment)}
    assert found["music"] > 0 > found["pacing"]


def test_not_bad_flips_to_mildly_positive():
    text = "The acting is not bad."
    (mention,) = find_aspects(text, split_sentences(text), toy_sentiment)
    assert 0 < mention.sentiment < 1


def test_without_a_scorer_sentiment_is_zero():
    text = "The acting is superb."
    assert [m.sentiment for m in find_aspects(text, split_sentences(text))] == [0.0]


@pytest.mark.parametrize("text, pieces", [
    ("Fun, though.", ["Fun, though."]),
    ("Yet another sequel arrives.", ["Yet another sequel arrives."]),
    ("Good, yet dull.", ["Good, ", "yet dull."]),
])
def test_clause_splitting_ignores_non_contrast_markers(text, pieces):
    assert [text[a:b] for a, b in clause_spans(text, 0, len(text))] == pieces


def test_first_letter_classes_match_what_ignorecase_matches():
    # _any_word spells out each first letter's case class; it must accept exactly the characters re.I would.
    from critics.tasks.extract.aspects import _FOLDS_TO
    every_char = "".join(map(chr, range(0x110000)))
    for letter in "abcdefghijklmnopqrstuvwxyz":
        folded = set(re.findall(letter, every_char, re.I)) - {letter, letter.upper()}
        assert folded == set(_FOLDS_TO.get(letter, "")), letter


def test_term_regex_matches_like_one_ignorecase_alternation():
    from critics.tasks.extract.aspects import _TERM_RE, _TERMS
    text = "Performances, ACTION SCENES, Stunt   work; the ſcore, the Kelvin-free plot and a set-pieces sCRIPT."
    plain = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in _TERMS)
                       + r")(?![\w-])", re.IGNORECASE)
    assert [m.span() for m in _TERM_RE.finditer(text)] == [m.span() for m in plain.finditer(text)]
