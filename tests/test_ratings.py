"""Printed ratings -> Rating on 0-100, and finding the critic's rating among look-alikes."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from critics.tasks.extract.ratings import extract_rating, parse_rating_text, rating_from_structured


@pytest.mark.parametrize("printed, score, scale", [
    ("3/4", 75.0, "x/4"),
    ("3.5/5", 70.0, "x/5"),
    (" 3 / 4 ", 75.0, "x/4"),
    ("3,5/5", 70.0, "x/5"),
    ("3½/4", 87.5, "x/4"),
    ("7/10", 70.0, "x/10"),
    ("18/20", 90.0, "x/20"),
    ("7 out of 10", 70.0, "x/10"),
    ("3 of 4 stars", 75.0, "x/4"),
    ("3 1/2 out of 4", 87.5, "x/4"),
    ("Three and a half stars out of four", 87.5, "x/4"),
    ("★★★½", 70.0, "stars/5"),
    ("★★★☆☆", 60.0, "stars/5"),
    ("★★★☆", 75.0, "stars/4"),
    ("☆☆☆☆☆", 0.0, "stars/5"),
    ("★★★★ out of 5", 80.0, "stars/5"),
    ("★★★/4", 75.0, "stars/4"),
    ("***1/2", 70.0, "stars/5"),
    ("three and a half stars", 70.0, "stars/5"),
    ("four stars", 80.0, "stars/5"),
    ("3 1/2 stars", 70.0, "stars/5"),
    ("half a star", 10.0, "stars/5"),
    ("82%", 82.0, "percent"),
])
def test_printed_rating_is_normalised_to_0_100(printed, score, scale):
    rating = parse_rating_text(printed)
    assert (rating.score, rating.scale) == (score, scale)


@pytest.mark.parametrize("grade, score", [
    ("A+", 100.0), ("A", 100.0), ("A-", 90.9), ("B+", 81.8), ("B", 72.7), ("B-", 63.6),
    ("C+", 54.5), ("C", 45.5), ("C-", 36.4), ("D+", 27.3), ("D", 18.2), ("D-", 9.1),
    ("F", 0.0), ("E", 0.0), ("F-", 0.0), ("B−", 63.6),
])
def test_letter_grades_lie_on_an_11_step_line(grade, score):
    rating = parse_rating_text(grade)
    assert (rating.score, rating.scale, rating.rule) == (score, "letter", "letter")


@pytest.mark.parametrize("printed, hint", [
    ("Recommended", "fresh"), ("Not recommended", "rotten"), ("Skip it", "rotten"),
    ("Must see", "fresh"), ("Must-see!", "fresh"), ("Thumbs up", "fresh"), ("Thumbs down", "rotten"),
])
def test_verdict_words_give_a_hint_and_no_score(printed, hint):
    rating = parse_rating_text(printed)
    assert (rating.score, rating.verdict_hint, rating.scale) == (None, hint, "verdict_word")


@pytest.mark.parametrize("printed, reason", [
    ("5.5/5", "out_of_range"), ("2.1/2", "out_of_range"), ("5/4", "out_of_range"),
    ("R", "junk"), ("1-5", "junk"), ("9/11", "junk"), ("Se7en", "junk"),
    ("3.5", "no_scale"), ("3 1/2", "no_scale"),
])
def test_junk_keeps_raw_and_says_why_there_is_no_score(printed, reason):
    rating = parse_rating_text(printed)
    assert (rating.raw, rating.score, rating.reason) == (printed, None, reason)


@pytest.mark.parametrize("printed, best, score", [("3.5", 4, 87.5), ("3 1/2", 4, 87.5), ("8", 10, 80.0),
                                                  ("four stars", 4, 100.0), ("★★★", 4, 75.0)])
def test_default_best_scales_bare_numbers_and_bare_stars(printed, best, score):
    assert parse_rating_text(printed, default_best=best).score == score


def test_empty_print_is_no_rating():
    assert parse_rating_text("   ") is None


@pytest.mark.parametrize("value, raw, score, scale", [
    ({"ratingValue": "3.5", "bestRating": "5"}, "3.5/5", 70.0, "x/5"),
    ({"ratingValue": 8, "bestRating": 10}, "8/10", 80.0, "x/10"),
    ({"ratingValue": 3, "bestRating": 5, "worstRating": 1}, "3/5", 60.0, "x/5"),
    ({"ratingValue": "9", "bestRating": "10", "worstRating": "1"}, "9/10", 90.0, "x/10"),
    ({"ratingValue": 0, "bestRating": 5, "worstRating": -5}, "0/5", 50.0, "x/5"),
    ({"ratingValue": 60, "bestRating": 100, "worstRating": 20}, "60/100", 50.0, "x/100"),
    ({"ratingValue": "4"}, "4/5", 80.0, "x/5 assumed"),
    ({"ratingValue": 8}, "8/10", 80.0, "x/10 assumed"),
    ({"ratingValue": "72"}, "72/100", 72.0, "x/100 assumed"),
    ({"ratingValue": "B+"}, "B+", 81.8, "letter"),
])
def test_structured_ratings_normalise_with_worst_and_best(value, raw, score, scale):
    rating = rating_from_structured(value, "jsonld")
    assert (rating.raw, rating.score, rating.scale, rating.rule) == (raw, score, scale, "jsonld")


def test_structured_value_above_best_is_out_of_range():
    rating = rating_from_structured({"ratingValue": "6", "bestRating": "5"}, "microdata")
    assert (rating.raw, rating.score, rating.reason) == ("6/5", None, "out_of_range")


@pytest.mark.parametrize("blocks, raw, score, rule", [
    (["Rating: 3/4"], "3/4", 75.0, "labelled_fraction"),
    (["Some prose.", "Grade: B+"], "B+", 81.8, "labelled_letter"),
    (["Our rating ★★★½"], "★★★½", 70.0, "labelled_star_row"),
    (["Good film. Rating: 3/5 (Good)"], "3/5", 60.0, "labelled_fraction"),
    (["Verdict: A. Go and see it."], "A", 100.0, "labelled_letter"),
    (["Score: 7 out of 10 stars"], "7 out of 10 stars", 70.0, "labelled_out_of"),
    (["A fine film.", "★★★★☆"], "★★★★☆", 80.0, "star_row"),
    (["The plot is thin.", "I give it 7 out of 10."], "7 out of 10", 70.0, "out_of"),
    (["I'd give the film a solid 3 out of 4 stars."], "3 out of 4 stars", 75.0, "out_of"),
    (["A fine film.", "Seven out of ten."], "Seven out of ten", 70.0, "out_of"),
])
def test_rating_is_found_in_the_critics_own_text(blocks, raw, score, rule):
    rating = extract_rating(None, None, blocks)
    assert (rating.raw, rating.score, rating.rule) == (raw, score, rule)


@pytest.mark.parametrize("blocks", [
    ["He walked out on 9/11 and again on 5/10/2024."],
    ["Open 24/7, the diner is where 2/3 of the film takes place."],
    ["It made my top 10 list, and the first 2/3 is terrific."],
    ["It runs 1/2 hour too long."],
    ["Rated R for violence. PG-13 would have been kinder."],
    ["Rating: R"], ["Rating: PG-13 for language"],
    ["Fellini's 8½ and Fincher's Se7en are the obvious touchstones."],
    ["Verdict: A triumph of style over substance."],
    ["Score: Hans Zimmer"], ["Audience score: 85%"],
    ["***", "The second act begins."],
    ["Two out of ten jokes land. The rest fall flat. Still, it has heart."],
])
def test_look_alikes_are_not_ratings(blocks):
    assert extract_rating(None, None, blocks) is None


def test_structured_rating_wins_over_text():
    rating = extract_rating({"ratingValue": 4, "bestRating": 5}, "jsonld", ["Rating: 1/4"])
    assert (rating.raw, rating.score, rating.rule) == ("4/5", 80.0, "jsonld")


@pytest.mark.parametrize("structured,best,raw,score", [
    ({"ratingValue": None, "bestRating": "4"}, None, "3.5", 87.5),
    ({"ratingValue": "", "bestRating": 5}, None, "3.5", 70.0),
    ({"ratingValue": None, "bestRating": "4"}, 10.0, "3.5", 35.0),  # the source's config wins
    ({"ratingValue": None, "bestRating": None}, None, "3.5", None),
])
def test_bare_number_takes_its_scale_from_the_pages_structured_data(structured, best, raw, score):
    rating = extract_rating(structured, "data_attr", ["Rating: 3.5"], best)
    assert (rating.raw, rating.score) == (raw, score)


def test_labelled_junk_is_kept_when_nothing_better_is_found():
    rating = extract_rating(None, None, ["Rating: 5.5/5"])
    assert (rating.raw, rating.score, rating.reason) == ("5.5/5", None, "out_of_range")


def test_labelled_verdict_word_gives_a_hint():
    assert extract_rating(None, None, ["Verdict: Recommended"]).verdict_hint == "fresh"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.one_of(st.none(), st.floats(0.5, 100)))
def test_parse_rating_text_never_raises_and_scores_stay_in_range(text, best):
    rating = parse_rating_text(text, best)
    assert rating is None or rating.score is None or 0 <= rating.score <= 100


_RATINGISH = st.text(alphabet="0123456789/ .½★☆*ABCDF+-%RatingGradeScoreVrdc:outfI give\n", max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=60), _RATINGISH), max_size=4),
       st.one_of(st.none(), st.dictionaries(st.sampled_from(["ratingValue", "bestRating", "worstRating"]),
                                            st.one_of(st.text(max_size=8), st.integers(), st.floats()))),
       st.one_of(st.none(), st.floats(0.5, 100)))
def test_extract_rating_never_raises_and_scores_stay_in_range(blocks, structured, best):
    rating = extract_rating(structured, "jsonld", blocks, best)
    assert rating is None or rating.score is None or 0 <= rating.score <= 100
