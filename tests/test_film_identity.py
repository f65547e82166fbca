"""Films get an imdb_id from the imported catalogue: title, akas, year within one, credits; never a guess."""
from pathlib import Path

import duckdb
import pytest

from critics.tasks.extract.films import resolve_films
from critics.tasks.warehouse import catalogue
from critics.tasks.warehouse.film_identity import link_catalogue

FIXTURES = Path(__file__).parent / "fixtures" / "imdb"


@pytest.fixture()
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    con.execute("CREATE SCHEMA staging")
    con.execute("CREATE TABLE staging.reviews (review_id VARCHAR, film_title VARCHAR, film_year INTEGER)")
    con.execute("CREATE TABLE staging.credits (review_id VARCHAR, name VARCHAR, role VARCHAR, character VARCHAR)")
    catalogue.import_catalogue(con, FIXTURES)
    yield con
    con.close()


def _pages(con, pages, credits=()):
    con.executemany("INSERT INTO staging.reviews VALUES (?, ?, ?)", pages)
    if credits:
        con.executemany("INSERT INTO staging.credits VALUES (?, ?, ?, NULL)", list(credits))
    counts = {(t, y): 1 for _, t, y in pages}
    return link_catalogue(con, resolve_films(counts), counts)


def test_import_keeps_films_with_akas_principals_and_credited_people(con):
    counts = catalogue.catalogue_counts(con)
    assert counts == {"titles": 7, "akas": 4, "principals": 10, "people": 10}
    assert con.execute("SELECT primary_title FROM catalogue.titles WHERE imdb_id = 'tt0100005'").fetchone() == \
        ('The "Quiet" Man',)  # a lone quote inside an unquoted field
    assert con.execute("SELECT start_year FROM catalogue.titles WHERE imdb_id = 'tt0100009'").fetchone() == (None,)


def test_remakes_stay_apart_and_each_gets_its_own_id(con):
    resolved, imdb, matched = _pages(con, [("a", "The Harvest", 1987), ("b", "The Harvest", 2024)])
    assert imdb == {"harvest-1987": "tt0100001", "harvest-2024": "tt0100002"}
    assert matched[("The Harvest", 1987)] == "The Harvest"


def test_an_alternate_title_matches_and_two_titles_of_one_film_become_one(con):
    resolved, imdb, matched = _pages(con, [("a", "Paper Lanterns", 2025), ("b", "Papierlaternen", 2024),
                                           ("c", "Paper Lanterns", 2025)])
    assert resolved[("Papierlaternen", 2024)] == resolved[("Paper Lanterns", 2025)] == \
        ("paper-lanterns-2025", "Paper Lanterns", 2025)
    assert imdb == {"paper-lanterns-2025": "tt0100003"}
    assert matched[("Papierlaternen", 2024)] == "Papierlaternen"


def test_same_title_same_year_stays_null_unless_credits_tell_them_apart(con):
    _, imdb, _ = _pages(con, [("a", "Twin Peaks", 2024)])
    assert imdb == {}
    _, imdb, _ = _pages(con, [("b", "Twin Peaks", 2024)], [("b", "Zeno Quist", "director")])
    assert imdb == {"twin-peaks-2024": "tt0100008"}


def test_a_year_two_off_or_credits_of_other_people_do_not_match(con):
    _, imdb, _ = _pages(con, [("a", "The Harvest", 2022)])
    assert imdb == {}
    _, imdb, _ = _pages(con, [("b", "Paper Lanterns", 2025)], [("b", "Someone Else", "director")])
    assert imdb == {}


def test_a_page_without_year_joins_the_remake_its_credits_name(con):
    resolved, imdb, _ = _pages(con, [("a", "The Harvest", 1987), ("b", "The Harvest", 2024), ("c", "The Harvest", None)],
                               [("c", "Ines Okafor", "director")])
    assert resolved[("The Harvest", None)] == resolved[("The Harvest", 2024)]
    assert imdb["harvest-2024"] == "tt0100002"
