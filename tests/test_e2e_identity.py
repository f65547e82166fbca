"""End to end on the demo site: pooled credits, one critic under two spellings, a review syndicated to three
outlets, and (after `catalogue import` of the shipped IMDb extract) films with their imdb_id."""
from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import duckdb
import pytest

from critics.schemas.config import load_config
from critics.schemas.paths import package_data
from critics.tasks.warehouse.catalogue import import_catalogue
from critics.tasks.warehouse.load import open_work, work_path
from critics.tasks.warehouse.publish import build_marts, snapshot

pytestmark = pytest.mark.timeout(600)
NO_CREDIT_OUTLETS = {"Reel Talk Weekly", "Starlight Post", "The Long Take", "Plainview Journal"}


def _by_path(con) -> dict[str, dict]:
    rows = con.execute("SELECT * FROM reviews").fetchall()
    cols = [d[0] for d in con.description]
    return {urlsplit(r[cols.index("url")]).path: dict(zip(cols, r)) for r in rows}


@pytest.fixture(scope="module")
def db(demo_run):
    con = duckdb.connect(str(demo_run.db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def imported(demo_run, tmp_path_factory):
    """A copy of the demo run's files with the shipped IMDb extract imported, then republished."""
    folder = tmp_path_factory.mktemp("identity")
    db_path = folder / "critics.duckdb"
    shutil.copy(demo_run.db, db_path)
    shutil.copy(work_path(demo_run.db), work_path(db_path))
    with open_work(db_path) as con:
        counts = import_catalogue(con, package_data("demo_site", "imdb"))
        build_marts(con, load_config(demo_run.config_path))
        snapshot(con, db_path)
    con = duckdb.connect(str(db_path), read_only=True)
    yield con, counts
    con.close()


def test_people_credited_on_other_pages_are_found_on_pages_without_credits(demo_run, db):
    reviews = _by_path(db)
    film_of = {r["review_id"]: r["film_id"] for r in reviews.values()}
    with duckdb.connect(str(work_path(demo_run.db)), read_only=True) as work:
        credited = {(film_of[review], name) for review, name in
                    work.execute("SELECT review_id, name FROM staging.credits").fetchall() if review in film_of}
    found = set(db.execute("SELECT review_id, name FROM mentions WHERE kind = 'person' AND role IS NOT NULL").fetchall())
    expected = {(reviews[t["path"]]["review_id"], name) for t in demo_run.truth["reviews"]
                if t["outlet"] in NO_CREDIT_OUTLETS for name in t["people_mentioned"]
                if (reviews[t["path"]]["film_id"], name) in credited}
    assert len(expected) > 50
    assert not expected - found, sorted(expected - found)[:10]


def test_a_review_printed_by_three_outlets_counts_once(demo_run, db):
    reviews = _by_path(db)
    prints = [t for t in demo_run.truth["reviews"] if t["critic"] == demo_run.truth["identity"]["syndicated"]["critic"]]
    first = next(t for t in prints if not t["syndicated_of"])
    assert len(prints) == 3 and len({t["outlet"] for t in prints}) == 3
    for t in prints:
        expected = None if t is first else reviews[first["path"]]["review_id"]
        assert reviews[t["path"]]["syndicated_of"] == expected, t["path"]
    film = reviews[first["path"]]["film_id"]
    pages = sum(1 for t in demo_run.truth["reviews"] if reviews[t["path"]]["film_id"] == film)
    assert db.execute("SELECT review_count FROM film_consensus WHERE film_id = ?", [film]).fetchone()[0] == pages - 2
    assert db.execute("SELECT count(*) FROM reviews WHERE syndicated_of IS NOT NULL").fetchone()[0] == 2


def test_a_critic_under_two_spellings_is_one_critic(demo_run, db):
    reviews = _by_path(db)
    spellings = demo_run.truth["identity"]["two_spellings"]
    paths = [t["path"] for t in demo_run.truth["reviews"] if t["critic"] in spellings["names"]]
    ids = {reviews[p]["critic_id"] for p in paths}
    assert len(paths) == 2 and len(ids) == 1
    aliases = db.execute("SELECT critic FROM critic_aliases WHERE critic_id = ?", list(ids)).fetchall()
    assert sorted(a for (a,) in aliases) == sorted(spellings["names"])
    assert db.execute("SELECT review_count FROM critic_stats WHERE critic_id = ?", list(ids)).fetchall() == [(2,)]
    # the wire critic's three outlets are three critics unless the config pins the name
    wire = {r["critic_id"] for r in reviews.values() if r["critic"] == demo_run.truth["identity"]["syndicated"]["critic"]}
    assert len(wire) == 3


def test_imported_catalogue_gives_every_listed_film_its_imdb_id_and_remakes_stay_apart(demo_run, imported):
    con, counts = imported
    assert counts["titles"] == len(demo_run.truth["films"]) - 1 + 2  # less the one left out; two film-type decoys
    left_out = set(demo_run.truth["identity"]["imdb"]["left_out"])
    wanted = {(f["title"], f["year"]): f["film_key"] not in left_out for f in demo_run.truth["films"]}
    films = {(t, y): imdb for t, y, imdb in con.execute("SELECT title, year, imdb_id FROM films").fetchall()}
    assert films.keys() == wanted.keys()
    assert all((films[k] is not None) == listed for k, listed in wanted.items()), films
    harvests = [imdb for (title, _), imdb in films.items() if title == "The Harvest"]
    assert len(harvests) == 2 and len(set(harvests)) == 2
    consensus = dict(con.execute("SELECT film_id, imdb_id FROM film_consensus").fetchall())
    assert consensus == dict(con.execute("SELECT film_id, imdb_id FROM films").fetchall())
    assert con.execute("SELECT DISTINCT matched_title FROM film_aliases WHERE title = 'Ember'").fetchall() == [("Ember",)]


def test_writers_only_the_catalogue_credits_become_credited_mentions(demo_run, db, imported):
    con, _ = imported
    writers = {f["writer"] for f in demo_run.truth["films"]
               if f["writer"] != f["director"] and f["film_key"] not in demo_run.truth["identity"]["imdb"]["left_out"]}
    query = "SELECT DISTINCT name FROM mentions WHERE kind = 'person' AND role = 'writer'"
    before = {n for (n,) in db.execute(query).fetchall()} & writers
    after = {n for (n,) in con.execute(query).fetchall()} & writers
    assert after - before, "the import credits writers no page credits, and publish searched the reviews again"
