"""The consensus sentence: claims only with majority support from two or more reviews, each one cited."""
from __future__ import annotations

import pytest

from critics.tasks.warehouse.consensus import AspectStat, Evidence, build_consensus, is_supported


def stat(aspect: str, positive: int, negative: int, neutral: int = 0) -> AspectStat:
    stances = ["positive"] * positive + ["negative"] * negative + ["neutral"] * neutral
    evidence = tuple(Evidence(f"{aspect}-{i}", s, 0.5 + i / 100, 0, 10, f"{aspect} sentence {i}.") for i, s in enumerate(stances))
    return AspectStat(aspect, len(stances), positive, negative, evidence)


@pytest.mark.parametrize("positive, negative, neutral, praised, faulted", [
    (2, 0, 0, True, False), (1, 0, 0, False, False), (2, 2, 0, False, False), (2, 1, 1, False, False),
    (3, 1, 1, True, False), (0, 2, 1, False, True), (1, 1, 0, False, False),
])
def test_claims_need_a_strict_majority_of_at_least_two_reviews(positive, negative, neutral, praised, faulted):
    aspect = stat("story", positive, negative, neutral)
    assert (is_supported(aspect, "positive"), is_supported(aspect, "negative")) == (praised, faulted)


def test_sentence_names_praise_and_faults_and_cites_each_claim():
    result = build_consensus("Film", 80, 10, [stat("acting", 3, 0), stat("story", 0, 2), stat("music", 1, 0)])
    assert result.text == "Critics largely admire Film (10 reviews). They praise the performances. They fault the story."
    assert {c for c, _ in result.citations} == {"praise: the performances", "fault: the story"}
    assert all(e.stance == ("positive" if c.startswith("praise") else "negative") for c, e in result.citations)


def test_citations_prefer_the_most_strongly_worded_sentences_and_cap_at_five():
    result = build_consensus("Film", 80, 10, [stat("acting", 7, 0)])
    assert [e.review_id for _, e in result.citations] == ["acting-6", "acting-5", "acting-4", "acting-3", "acting-2"]


def test_a_claim_without_citable_sentences_is_not_made():
    bare = AspectStat("acting", 3, 3, 0, ())
    assert build_consensus("Film", 50, 3, [bare]).text == "Critics are split on Film (3 reviews)."


@pytest.mark.parametrize("meter, lead", [(75, "Critics largely admire"), (60, "Critics lean positive on"),
                                         (40, "Critics are split on"), (39, "Most critics are unconvinced by")])
def test_lead_follows_the_tomatometer(meter, lead):
    assert build_consensus("Film", meter, 1, []).text == f"{lead} Film (1 review)."
