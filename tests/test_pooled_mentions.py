"""Publish searches a review again when its film's pooled credits change, from the stored text, and only then."""
from datetime import datetime, timezone

import pytest

from critics.schemas.records import Credit
from critics.tasks.extract.people import credits_key
from critics.tasks.warehouse import catalogue
from critics.tasks.warehouse.load import open_work
from critics.tasks.warehouse.pooled_mentions import refresh_mentions

TEXT_A = "Ines Okafor directs with a cold eye. Carys Lindqvist is superb."
TEXT_B = "Okafor never lets the tension drop, and Lindqvist holds the screen."


def _add_review(con, review_id, text):
    con.execute("""INSERT INTO staging.reviews (review_id, url, fetched_url, source, sha256, film_title,
                       film_year, outlet, verdict, verdict_source, text, word_count, run_id, extracted_at)
                   VALUES (?, ?, ?, 'x', 'h', 'The Harvest', 2024, 'Planet', 'fresh', 'model', ?, 9, 'r', ?)""",
                [review_id, f"http://x/{review_id}", f"http://x/{review_id}", text, datetime.now(timezone.utc)])
    con.execute("INSERT INTO staging.chunks VALUES (?, 0, ?, 0, ?)", [review_id, text, len(text)])


@pytest.fixture()
def con(tmp_path):
    with open_work(tmp_path / "critics.duckdb") as con:
        catalogue.ensure_schema(con)
        con.execute("CREATE TEMP TABLE film_map AS SELECT 'The Harvest' AS film_title, 2024 AS film_year, "
                    "'harvest-2024' AS film_id, CAST(NULL AS VARCHAR) AS imdb_id")
        _add_review(con, "a", TEXT_A)
        _add_review(con, "b", TEXT_B)
        con.execute("INSERT INTO staging.credits VALUES ('a', 'Ines Okafor', 'director', NULL), "
                    "('a', 'Carys Lindqvist', 'actor', 'June Ellery')")
        yield con


def _people(con, review_id):
    return sorted(con.execute("SELECT surface, name, role FROM staging.mentions WHERE review_id = ? AND kind = 'person'",
                              [review_id]).fetchall())


def test_a_page_without_credits_is_searched_with_its_films_credits_once(con):
    assert refresh_mentions(con, "film_map") == 1  # only b: a was extracted with these very credits
    assert _people(con, "b") == [("Lindqvist", "Carys Lindqvist", "actor"), ("Okafor", "Ines Okafor", "director")]
    assert refresh_mentions(con, "film_map") == 0


def test_a_credit_arriving_later_searches_the_films_reviews_again(con):
    refresh_mentions(con, "film_map")
    _add_review(con, "c", "Achterberg is the find of the year.")  # a new page of the film, crediting someone new
    con.execute("INSERT INTO staging.credits VALUES ('c', 'Bram Achterberg', 'actor', NULL)")
    assert refresh_mentions(con, "film_map") == 3  # a and b gain him; c gains the others
    assert ("Achterberg", "Bram Achterberg", "actor") in _people(con, "c")
    key = credits_key([Credit("Ines Okafor", "director"), Credit("Carys Lindqvist", "actor", "June Ellery"),
                       Credit("Bram Achterberg", "actor")])
    assert {k for (k,) in con.execute("SELECT credits_key FROM staging.mention_credits").fetchall()} == {key}


def test_a_new_extraction_of_a_page_counts_as_its_own_credits_again(con):
    refresh_mentions(con, "film_map")
    con.execute("UPDATE staging.reviews SET extracted_at = now() + INTERVAL 1 SECOND WHERE review_id = 'b'")
    assert refresh_mentions(con, "film_map") == 1
