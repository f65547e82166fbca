"""Film identity: headline parsing, title normalisation, merging surface titles into films."""
import pytest

from critics.tasks.extract.films import film_id, normalise_title, parse_headline, resolve_films


@pytest.mark.parametrize("headline, expected", [
    ("Harvest review", ("Harvest", None)),
    ("Review: Harvest", ("Harvest", None)),
    ("'Harvest' (2025)", ("Harvest", 2025)),
    ("Harvest review – a slow burn in the fields", ("Harvest", None)),
    ("Harvest (2024) review – The Daily Reel", ("Harvest", 2024)),
    ("Harvest | The Daily Reel", ("Harvest", None)),
    ("The Daily Reel | Harvest review", ("Harvest", None)),
    ("Review: ‘Harvest’ is a gorgeous slog", ("Harvest", None)),
    ("Harvest movie review: a slow burn", ("Harvest", None)),
    ("John Wick: Chapter 4 review – Keanu's back", ("John Wick: Chapter 4", None)),
    ("Dune: Part Two (2024) - Review", ("Dune: Part Two", 2024)),
    (None, (None, None)),
    ("   ", (None, None)),
])
def test_headline_gives_title_and_year_without_outlet_or_review_words(headline, expected):
    assert parse_headline(headline) == expected


@pytest.mark.parametrize("a, b", [
    ("The Godfather Part II", "Godfather: Part 2"),
    ("Amélie", "AMELIE"),
    ("Fast & Furious", "Fast and Furious"),
    ("A Quiet Place", "Quiet Place"),
    ("Rocky V", "Rocky 5"),
    ("Schindler’s List", "Schindler's  List"),
])
def test_normalisation_makes_spellings_of_one_title_equal(a, b):
    assert normalise_title(a) == normalise_title(b)


def test_leading_roman_letter_stays_a_word():
    assert normalise_title("V for Vendetta") == "v for vendetta"


@pytest.mark.parametrize("title, year, expected", [
    ("Harvest", 2024, "harvest-2024"), ("The Harvest", None, "harvest-nd"), ("Amélie!", 2001, "amelie-2001")])
def test_film_id_is_a_readable_slug_with_year(title, year, expected):
    assert film_id(title, year) == expected


def test_same_title_and_year_merge_with_most_common_spelling():
    out = resolve_films([("Harvest", 2024), ("HARVEST", 2024), ("Harvest", 2024)])
    assert out[("HARVEST", 2024)] == ("harvest-2024", "Harvest", 2024)


def test_remakes_with_different_years_stay_apart():
    out = resolve_films([("Dune", 1984), ("Dune", 2021)])
    assert out[("Dune", 1984)][0] != out[("Dune", 2021)][0]


def test_title_without_year_joins_the_only_candidate():
    out = resolve_films([("Harvest", 2024), ("Harvest", None)])
    assert out[("Harvest", None)] == ("harvest-2024", "Harvest", 2024)


def test_title_without_year_stays_apart_when_several_candidates():
    out = resolve_films([("Dune", 1984), ("Dune", 2021), ("Dune", None)])
    assert out[("Dune", None)] == ("dune-nd", "Dune", None)


@pytest.mark.parametrize("long", ["From the World of John Wick: Ballerina", "Night Circuit: Ballerina"])
def test_franchise_prefix_merges_when_year_agrees(long):
    out = resolve_films([("Ballerina", 2025), (long, 2025), ("Ballerina", 2025)])
    assert out[(long, 2025)] == out[("Ballerina", 2025)] == ("ballerina-2025", "Ballerina", 2025)


def test_franchise_prefix_does_not_merge_across_years():
    out = resolve_films([("Ember", 2023), ("Night Circuit: Ember", 2024)])
    assert out[("Ember", 2023)][0] != out[("Night Circuit: Ember", 2024)][0]


def test_pinned_alias_merges_an_unrelated_surface_title():
    out = resolve_films([("Ballet Girl", 2025), ("Ballerina", 2025)], pinned={"Ballet Girl": "Ballerina"})
    assert out[("Ballet Girl", 2025)] == out[("Ballerina", 2025)] == ("ballerina-2025", "Ballerina", 2025)


def test_pinned_canonical_title_wins_over_the_most_common_form():
    out = resolve_films([("JW: Ballerina", 2025), ("Ballerina", 2025), ("Ballerina", 2025)],
                        pinned={"JW: Ballerina": "From the World of John Wick: Ballerina"})
    assert out[("Ballerina", 2025)][1] == "From the World of John Wick: Ballerina"


def test_canonical_title_tie_breaks_longest_then_alphabetical():
    out = resolve_films([("Se7en", 1995), ("Se7en!", 1995)])
    assert out[("Se7en", 1995)][1] == "Se7en!"


def test_resolve_films_takes_page_counts_and_names_the_film_by_its_most_used_title():
    out = resolve_films({("Harvest", 2024): 1, ("HARVEST", 2024): 5})
    assert out[("Harvest", 2024)][1] == "HARVEST"
