"""Publish steps for who wrote a review and where it was first printed: critic identities and syndicated copies."""
from __future__ import annotations

import polars as pl

from critics.tasks.extract.critics import name_key, resolve_critics
from critics.tasks.warehouse.syndication import METHOD, Printed, find_copies


def write_critic_identity(con, same: list[list[str]], table: str) -> None:
    """table: one row per byline and outlet with its critic_id and the critic's display name."""
    counts = {(critic, outlet): n for critic, outlet, n in
              con.execute("SELECT critic, outlet, count(*) FROM staging.reviews GROUP BY ALL").fetchall()}
    resolved = resolve_critics(counts, same)
    rows = [(critic, outlet, critic_id, name) for (critic, outlet), (critic_id, name) in resolved.items()]
    frame = pl.DataFrame(rows, schema={"critic": pl.String, "outlet": pl.String, "critic_id": pl.String,
                                       "critic_name": pl.String}, orient="row")
    con.register("critic_identity_frame", frame.to_arrow())
    _replace(con, table, "SELECT * FROM critic_identity_frame ORDER BY critic_id, outlet")
    con.unregister("critic_identity_frame")


def write_syndication(con, film_map: str, table: str, state: str = "intermediate.syndication_films") -> None:
    """table: one row per review printed earlier by another page (review_id, syndicated_of).

    Texts are compared again only for films whose candidates changed since the last publish (state holds each
    film's digest); the other films keep their rows.
    """
    _candidates(con, film_map)
    # films whose candidates (ids, name keys, dates, texts) or the method differ from the digest stored last time
    con.execute(f"""CREATE OR REPLACE TEMP TABLE syndication_keys AS
                    SELECT film_id, md5(? || chr(30) || string_agg(
                               concat_ws(chr(31), review_id, critic_key, coalesce(CAST(published_date AS VARCHAR), ''),
                                         coalesce(text_md5, '')), chr(30)
                               ORDER BY review_id)) AS candidates_key
                    FROM syndication_candidates GROUP BY film_id""", [METHOD])
    con.execute(f"""CREATE OR REPLACE TEMP TABLE syndication_changed AS
                    SELECT film_id FROM syndication_keys ANTI JOIN {state} USING (film_id, candidates_key)""")
    rows = con.execute("""SELECT candidates.review_id, candidates.film_id, candidates.critic_key,
                                 candidates.published_date, reviews.text
                          FROM syndication_candidates AS candidates
                          SEMI JOIN syndication_changed USING (film_id)
                          JOIN staging.reviews AS reviews USING (review_id)""").fetchall()
    copies = find_copies(Printed(*row) for row in rows)
    frame = pl.DataFrame({"review_id": list(copies), "syndicated_of": list(copies.values())},
                         schema={"review_id": pl.String, "syndicated_of": pl.String})
    con.register("syndication_frame", frame.to_arrow())
    # the unchanged films' rows as the last publish found them, and the changed films' fresh ones
    con.execute(f"""CREATE OR REPLACE TEMP TABLE syndication_rows AS
                    SELECT kept.* FROM {table} AS kept
                    SEMI JOIN (SELECT review_id FROM syndication_candidates
                               ANTI JOIN syndication_changed USING (film_id)) USING (review_id)
                    UNION ALL SELECT * FROM syndication_frame""")
    _replace(con, table, "SELECT * FROM syndication_rows ORDER BY review_id")
    _replace(con, state, "SELECT * FROM syndication_keys ORDER BY film_id")
    con.unregister("syndication_frame")
    for name in ("syndication_candidates", "syndication_keys", "syndication_changed", "syndication_rows"):
        con.execute(f"DROP TABLE {name}")


def _candidates(con, film_map: str) -> None:
    """Temp table syndication_candidates: the reviews that can have a copy, with their film and name key."""
    critics = [c for (c,) in con.execute("SELECT DISTINCT critic FROM staging.reviews").fetchall()]
    names = [name_key(c)[0] for c in critics]
    number = {key: i for i, key in enumerate(["", *sorted(set(names) - {""})])}  # 0: unsigned
    keys = pl.DataFrame({"critic": critics, "critic_key": names, "key_id": [number[k] for k in names]},
                        schema={"critic": pl.String, "critic_key": pl.String, "key_id": pl.Int32})
    con.register("critic_keys_frame", keys.to_arrow())
    # Every review once as integers (its rowid: stable within this transaction, film, name key): the groupings
    # below compare no strings.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE syndication_keyed AS
                    SELECT reviews.rowid AS row_id, map.film_key, keys.key_id
                    FROM staging.reviews AS reviews
                    JOIN {film_map} AS map ON map.film_title = reviews.film_title
                     AND map.film_year IS NOT DISTINCT FROM reviews.film_year
                    JOIN critic_keys_frame AS keys ON keys.critic IS NOT DISTINCT FROM reviews.critic""")
    # Only reviews that can have a copy are read: another review of the film by the same name, or no byline.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE syndication_candidates AS
                    WITH same_name AS (
                        SELECT film_key, key_id FROM syndication_keyed GROUP BY ALL HAVING count(*) > 1),
                    with_unsigned AS (
                        SELECT film_key FROM syndication_keyed GROUP BY film_key
                        HAVING count(*) > 1 AND count_if(key_id = 0) > 0),
                    candidates AS (
                        SELECT * FROM syndication_keyed SEMI JOIN same_name USING (film_key, key_id)
                        UNION SELECT * FROM syndication_keyed SEMI JOIN with_unsigned USING (film_key))
                    SELECT reviews.review_id, films.film_id, keys.critic_key, reviews.published_date,
                           md5(reviews.text) AS text_md5
                    FROM candidates
                    JOIN staging.reviews AS reviews ON reviews.rowid = candidates.row_id
                    JOIN (SELECT DISTINCT film_key, film_id FROM {film_map}) AS films USING (film_key)
                    JOIN (SELECT DISTINCT key_id, critic_key FROM critic_keys_frame) AS keys USING (key_id)""")
    con.execute("DROP TABLE syndication_keyed")
    con.unregister("critic_keys_frame")


def _replace(con, table: str, select: str) -> None:
    """Fill a declared table (schemas/intermediate) with a query's rows, replacing the last publish's."""
    con.execute(f"DELETE FROM {table}")
    con.execute(f"INSERT INTO {table} BY NAME {select}")
