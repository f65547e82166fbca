"""End to end: the nightly flow crawls the demo site over loopback into DuckDB; checked against the generator's truth."""
from __future__ import annotations

from urllib.parse import urlsplit

import duckdb
import pytest

from critics.tasks.extract.textmodel import default_model

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def db(demo_run):
    con = duckdb.connect(str(demo_run.db), read_only=True)
    yield con
    con.close()


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _reviews_by_path(db) -> dict[str, dict]:
    rows = db.execute("SELECT * FROM reviews").fetchall()
    cols = [d[0] for d in db.description]
    return {_path(r[cols.index("url")]): dict(zip(cols, r)) for r in rows}


def test_every_sitemap_url_is_accounted_for(demo_run, db):
    outcomes = {_path(u): (o, r) for u, o, r in db.execute("SELECT url, outcome, reason FROM url_outcomes").fetchall()}
    for review in demo_run.truth["reviews"]:
        assert outcomes[review["path"]][0] == "loaded", review["path"]
    for extra in demo_run.truth["extra_urls"]:
        outcome, reason = outcomes[extra["path"]]
        assert outcome == "rejected" and "robots" in reason


def test_accounting_equation_holds(demo_run):
    s = demo_run.summary
    assert s["discovered"] == s["loaded"] + s["unchanged"] + s["rejected"] + s["out_of_scope"]
    assert s["loaded"] == len(demo_run.truth["reviews"])


def test_every_rated_page_scores_its_true_rating(demo_run, db):
    reviews = _reviews_by_path(db)
    for truth in demo_run.truth["reviews"]:
        got = reviews[truth["path"]]
        assert got["rating_raw"] == truth["rating_raw"], truth["path"]
        if truth["score"] is None:
            assert got["score"] is None
        else:
            assert got["score"] == pytest.approx(truth["score"], abs=0.05), truth["path"]


def test_every_page_names_its_true_critic_outlet_and_date(demo_run, db):
    reviews = _reviews_by_path(db)
    wrong = [(t["path"], reviews[t["path"]]["critic"], reviews[t["path"]]["outlet"])
             for t in demo_run.truth["reviews"]
             if (reviews[t["path"]]["critic"], reviews[t["path"]]["outlet"], str(reviews[t["path"]]["published_at"]))
             != (t["critic"], t["outlet"], t["published_at"])]
    assert not wrong, wrong[:5]


def test_no_reader_comment_rating_leaks_into_a_review(demo_run, db):
    reviews = _reviews_by_path(db)
    unrated = [t["path"] for t in demo_run.truth["reviews"] if not t["has_rating"]]
    assert unrated, "the demo site must have unrated pages"
    assert all(reviews[p]["rating_raw"] is None and reviews[p]["verdict_source"] == "model" for p in unrated)


def test_rated_verdicts_come_from_the_rating(demo_run, db):
    reviews = _reviews_by_path(db)
    for truth in demo_run.truth["reviews"]:
        if truth["has_rating"]:
            got = reviews[truth["path"]]
            assert (got["verdict"], got["verdict_source"]) == (truth["verdict"], "rating"), truth["path"]


def test_tomatometer_matches_true_and_model_verdicts(demo_run, db):
    model = default_model()
    reviews = _reviews_by_path(db)
    expected: dict[str, list[bool]] = {}
    for truth in demo_run.truth["reviews"]:
        if truth.get("syndicated_of"):
            continue  # a review printed by several outlets counts once
        got = reviews[truth["path"]]
        verdict = truth["verdict"] if truth["has_rating"] else model.verdict(got["text"])[0]
        expected.setdefault(got["film_id"], []).append(verdict == "fresh")
    meters = dict(db.execute("SELECT film_id, tomatometer FROM film_consensus").fetchall())
    for film, verdicts in expected.items():
        fresh, n = sum(verdicts), len(verdicts)
        assert meters[film] == (200 * fresh + n) // (2 * n), film


def test_reviews_of_one_film_share_one_film_id(demo_run, db):
    reviews = _reviews_by_path(db)
    ids_per_film: dict[str, set[str]] = {}
    for truth in demo_run.truth["reviews"]:
        ids_per_film.setdefault(truth["film_key"], set()).add(reviews[truth["path"]]["film_id"])
    assert all(len(ids) == 1 for ids in ids_per_film.values()), ids_per_film
    assert len({next(iter(ids)) for ids in ids_per_film.values()}) == len(ids_per_film)


def test_same_title_films_stay_apart(demo_run, db):
    films = db.execute("SELECT title, count(DISTINCT film_id), count(DISTINCT year) FROM films GROUP BY title HAVING count(*) > 1").fetchall()
    assert films, "the demo site has two films with one title"
    assert all(n == years == 2 for _, n, years in films)


def test_chunk_offsets_slice_the_review_text_exactly(db):
    bad = db.execute("""SELECT count(*) FROM chunks JOIN reviews USING (review_id)
                        WHERE substr(reviews.text, chunks.char_start + 1, chunks.char_end - chunks.char_start) <> chunks.text""").fetchone()[0]
    assert bad == 0
    assert db.execute("SELECT count(*) FROM chunks").fetchone()[0] >= db.execute("SELECT count(*) FROM reviews").fetchone()[0]


def test_mention_offsets_slice_the_review_text_exactly(db):
    bad = db.execute("""SELECT count(*) FROM mentions JOIN reviews USING (review_id)
                        WHERE substr(reviews.text, mentions.char_start + 1, mentions.char_end - mentions.char_start) <> mentions.surface""").fetchone()[0]
    assert bad == 0


def test_people_credited_on_the_page_and_named_in_the_text_are_found(demo_run, db):
    from critics.tasks.warehouse.load import work_path

    reviews = _reviews_by_path(db)
    with duckdb.connect(str(work_path(demo_run.db)), read_only=True) as work:
        credited = set(work.execute("SELECT review_id, name FROM staging.credits").fetchall())
    found = set(db.execute("SELECT review_id, name FROM mentions WHERE kind = 'person'").fetchall())
    expected = {(reviews[t["path"]]["review_id"], name) for t in demo_run.truth["reviews"]
                for name in t["people_mentioned"]} & credited
    assert len(expected) > 50
    assert not expected - found, sorted(expected - found)[:10]


def test_public_keys_are_unique_and_not_null(db):
    for table, key in [("films", "film_id"), ("reviews", "review_id"), ("reviews", "url"),
                       ("film_consensus", "film_id"), ("chunks", "review_id, chunk_index")]:
        total, distinct = db.execute(f"SELECT count(*), count(DISTINCT ({key})) FROM {table}").fetchone()
        assert total == distinct, (table, key)


def test_every_public_table_states_its_grain(db):
    comments = dict(db.execute("SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'").fetchall())
    for table in ("films", "reviews", "chunks", "mentions", "film_consensus", "film_aliases"):
        assert comments[table] and comments[table].startswith("Grain:"), table


def test_second_run_over_unchanged_site_changes_no_count(demo_run, tmp_path):
    from critics.flows.nightly import nightly

    def counts(path):
        with duckdb.connect(str(path), read_only=True) as con:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("films", "film_aliases", "reviews", "chunks", "mentions", "film_consensus")}

    before = counts(demo_run.db)
    summary = nightly(config_path=str(demo_run.config_path), db=str(demo_run.db))
    assert counts(demo_run.db) == before
    assert summary["loaded"] == 0
    assert summary["unchanged"] >= len(demo_run.truth["reviews"])
    assert summary["discovered"] == demo_run.summary["discovered"]


@pytest.mark.parametrize("starts, review_count", [
    (["/reviews/"], None),
    (["/feed.xml"], 20),
    (["/sitemap_index.xml", "/reviews/"], None),
])
def test_scrape_loads_each_canonical_page_once(demo_run, tmp_path, starts, review_count):
    review_count = review_count or len(demo_run.truth["reviews"])
    from critics.flows.nightly import scrape

    db = tmp_path / "critics.duckdb"
    summary = scrape(urls=[demo_run.base_url + s for s in starts], config_path=str(demo_run.config_path), db=str(db))
    with duckdb.connect(str(db), read_only=True) as con:
        urls = [u for (u,) in con.execute("SELECT url FROM reviews").fetchall()]
        outcomes = dict(con.execute("SELECT url, outcome FROM url_outcomes").fetchall())
    assert len(urls) == review_count and not any("utm_source" in u for u in urls)
    off_site = [u for u in outcomes if not u.startswith(demo_run.base_url)]
    assert all(outcomes[u] == "out_of_scope" for u in off_site)  # recorded, never fetched
    if len(starts) == 2:  # utm-tagged listing links are the same pages as the sitemap's clean URLs
        utm_links = {h for page in demo_run.truth["listing_pages"] for h in page["hrefs"] if "utm_source" in h}
        pairs = [{outcomes[demo_run.base_url + h], outcomes[demo_run.base_url + h.split("?")[0]]} for h in utm_links]
        assert utm_links and all(pair == {"loaded", "unchanged"} for pair in pairs)  # one loads, the other is its duplicate
    assert summary["discovered"] == summary["loaded"] + summary["unchanged"] + summary["rejected"] + summary["out_of_scope"]
