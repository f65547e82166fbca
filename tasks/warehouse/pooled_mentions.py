"""Mentions recomputed with a film's pooled credits when they change (a new page of the film, an import), without
refetching: the stored text is searched again with every page's credits and the catalogue's."""
from __future__ import annotations

from collections import defaultdict

import polars as pl

from critics.schemas.records import Chunk, Credit, ParsedPage
from critics.tasks.extract.people import catalogue_credit, credits_key, pool_credits
from critics.tasks.text.chunk import chunk_index_at

SLICE_REVIEWS = 2_000  # reviews searched again per slice: their texts are the memory this step holds



def pooled_credits(con, film_map: str) -> dict[str, list[Credit]]:
    """film_id -> its credits from every page of it and from the catalogue principals of its imdb_id."""
    # each distinct page credit once, at its first sighting (review_id, then its place on the page)
    pages = con.execute(f"""WITH placed AS (
                                SELECT map.film_id, credits.name, credits.role, credits.character,
                                       row_number() OVER (PARTITION BY map.film_id, credits.name, credits.role,
                                                                       credits.character
                                                          ORDER BY credits.review_id, credits.rowid) AS sighting,
                                       credits.review_id, credits.rowid AS place
                                FROM staging.credits AS credits
                                JOIN staging.reviews AS reviews USING (review_id)
                                JOIN {film_map} AS map ON map.film_title = reviews.film_title
                                 AND map.film_year IS NOT DISTINCT FROM reviews.film_year)
                            SELECT film_id, name, role, character FROM placed WHERE sighting = 1
                            ORDER BY film_id, review_id, place""").fetchall()
    by_film: dict[str, list[Credit]] = defaultdict(list)
    for film, name, role, character in pages:
        by_film[film].append(Credit(name, role, character))
    listed = defaultdict(list)
    for film, name, category, characters in con.execute(f"""
            SELECT map.film_id, people.name, principals.category, principals.characters
            FROM (SELECT DISTINCT film_id, imdb_id FROM {film_map} WHERE imdb_id IS NOT NULL) AS map
            JOIN catalogue.principals AS principals USING (imdb_id)
            JOIN catalogue.people AS people USING (person_id)
            ORDER BY map.film_id, principals.ordering""").fetchall():
        listed[film].append(catalogue_credit(name, category, characters))
    return {film: pool_credits([by_film[film]], listed[film]) for film in set(by_film) | set(listed)}


def refresh_mentions(con, film_map: str, model=None) -> int:
    """Search again the reviews whose film's pooled credits differ from the credits their mentions were found with."""
    pooled = pooled_credits(con, film_map)
    stale = _stale_reviews(con, film_map, pooled)
    for start in range(0, len(stale), SLICE_REVIEWS):
        _search_again(con, stale[start:start + SLICE_REVIEWS], pooled, model)
    return len(stale)


def _stale_reviews(con, film_map: str, pooled: dict[str, list[Credit]]) -> list[tuple[str, str]]:
    """(review_id, film_id) of reviews whose mentions were found with another credit set than the film's pooled one."""
    # Compared in SQL (credits_key's formula), so a million unchanged reviews never become Python objects.
    keys = pl.DataFrame({"film_id": list(pooled), "pooled_key": [credits_key(c) for c in pooled.values()]},
                        schema={"film_id": pl.String, "pooled_key": pl.String})
    con.register("pooled_keys", keys.to_arrow())
    stale = con.execute(f"""WITH own AS (
                                SELECT review_id, md5(string_agg(DISTINCT line, chr(30) ORDER BY line)) AS own_key
                                FROM (SELECT review_id, name || chr(31) || role || chr(31) || coalesce(character, '')
                                             AS line FROM staging.credits)
                                GROUP BY review_id)
                            SELECT reviews.review_id, map.film_id
                            FROM staging.reviews AS reviews
                            JOIN {film_map} AS map ON map.film_title = reviews.film_title
                             AND map.film_year IS NOT DISTINCT FROM reviews.film_year
                            LEFT JOIN own USING (review_id)
                            LEFT JOIN staging.mention_credits AS used USING (review_id)
                            LEFT JOIN pooled_keys USING (film_id)
                            -- a newer extraction than the recorded search used the page's own credits
                            WHERE coalesce(CASE WHEN used.extracted_at = reviews.extracted_at THEN used.credits_key END,
                                           own.own_key, md5('')) <> coalesce(pooled_keys.pooled_key, md5(''))
                            ORDER BY reviews.review_id""").fetchall()
    con.unregister("pooled_keys")
    return stale


def _search_again(con, reviews: list[tuple[str, str]], pooled: dict[str, list[Credit]], model) -> None:
    """Replace these reviews' mention rows by a search with their films' pooled credits."""
    from critics.tasks.extract.review import find_all_mentions
    from critics.tasks.extract.textmodel import default_model

    model = model or default_model()
    film_of = dict(reviews)
    con.register("stale_reviews", pl.DataFrame({"review_id": list(film_of)}, schema={"review_id": pl.String}).to_arrow())
    texts = con.execute("""SELECT review_id, url, film_title, text, extracted_at FROM staging.reviews
                           JOIN stale_reviews USING (review_id)""").fetchall()
    chunks = defaultdict(list)
    for review, index, start, end in con.execute("""SELECT review_id, chunk_index, char_start, char_end
                                                    FROM staging.chunks JOIN stale_reviews USING (review_id)
                                                    ORDER BY review_id, chunk_index""").fetchall():
        chunks[review].append(Chunk(index, "", start, end))
    rows, keys = [], []
    for review, url, title, text, extracted_at in texts:
        credits = pooled.get(film_of[review], [])
        page = ParsedPage(url, url, film_title=title, credits=credits)
        for m in find_all_mentions(text, page, model=model):
            rows.append((review, chunk_index_at(chunks[review], m.char_start), m.name, m.kind, m.role, m.surface,
                         m.char_start, m.char_end, float(m.sentiment), m.sentence_start, m.sentence_end))
        keys.append((review, extracted_at, credits_key(credits)))
    _replace(con, rows, keys)
    con.unregister("stale_reviews")


def _replace(con, rows: list[tuple], keys: list[tuple]) -> None:
    frame = pl.DataFrame(rows, schema=_MENTION_SCHEMA, orient="row")
    con.register("fresh_mentions", frame.to_arrow())
    con.execute("DELETE FROM staging.mentions WHERE review_id IN (SELECT review_id FROM stale_reviews)")
    con.execute("INSERT INTO staging.mentions BY NAME SELECT * FROM fresh_mentions")
    con.unregister("fresh_mentions")
    key_frame = pl.DataFrame(keys, schema={"review_id": pl.String, "extracted_at": pl.Datetime("us", "UTC"),
                                           "credits_key": pl.String}, orient="row")
    con.register("fresh_keys", key_frame.to_arrow())
    con.execute("INSERT OR REPLACE INTO staging.mention_credits BY NAME SELECT * FROM fresh_keys")
    con.unregister("fresh_keys")


_MENTION_SCHEMA = {"review_id": pl.String, "chunk_index": pl.Int32, "name": pl.String, "kind": pl.String,
                   "role": pl.String, "surface": pl.String, "char_start": pl.Int32, "char_end": pl.Int32,
                   "sentiment": pl.Float64, "sentence_start": pl.Int32, "sentence_end": pl.Int32}
