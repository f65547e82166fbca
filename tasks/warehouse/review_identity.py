"""Publish steps for who wrote a review and where it was first printed: critic identities and syndicated copies."""
from __future__ import annotations

import polars as pl

from critics.tasks.extract.critics import name_key, resolve_critics
from critics.tasks.warehouse.syndication import Printed, find_copies


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


def write_syndication(con, film_map: str, table: str) -> None:
    """table: one row per review printed earlier by another page (review_id, syndicated_of)."""
    critics = [c for (c,) in con.execute("SELECT DISTINCT critic FROM staging.reviews").fetchall()]
    keys = pl.DataFrame({"critic": critics, "critic_key": [name_key(c)[0] for c in critics]},
                        schema={"critic": pl.String, "critic_key": pl.String})
    con.register("critic_keys_frame", keys.to_arrow())
    # Only reviews that can have a copy are read: another review of the film by the same name, or no byline.
    rows = con.execute(f"""WITH keyed AS (
                               SELECT reviews.review_id, map.film_id, keys.critic_key
                               FROM staging.reviews AS reviews
                               JOIN {film_map} AS map ON map.film_title = reviews.film_title
                                AND map.film_year IS NOT DISTINCT FROM reviews.film_year
                               JOIN critic_keys_frame AS keys ON keys.critic IS NOT DISTINCT FROM reviews.critic),
                           same_name AS (
                               SELECT film_id, critic_key FROM keyed GROUP BY ALL HAVING count(*) > 1),
                           with_unsigned AS (
                               SELECT film_id FROM keyed GROUP BY film_id
                               HAVING count(*) > 1 AND count(*) FILTER (WHERE critic_key = '') > 0),
                           candidates AS (
                               SELECT keyed.* FROM keyed SEMI JOIN same_name USING (film_id, critic_key)
                               UNION SELECT keyed.* FROM keyed SEMI JOIN with_unsigned USING (film_id))
                           SELECT candidates.review_id, candidates.film_id, candidates.critic_key,
                                  reviews.published_date, reviews.text
                           FROM candidates JOIN staging.reviews AS reviews USING (review_id)""").fetchall()
    con.unregister("critic_keys_frame")
    copies = find_copies(Printed(*row) for row in rows)
    frame = pl.DataFrame({"review_id": list(copies), "syndicated_of": list(copies.values())},
                         schema={"review_id": pl.String, "syndicated_of": pl.String})
    con.register("syndication_frame", frame.to_arrow())
    _replace(con, table, "SELECT * FROM syndication_frame ORDER BY review_id")
    con.unregister("syndication_frame")


def _replace(con, table: str, select: str) -> None:
    """Fill a declared table (schemas/intermediate) with a query's rows, replacing the last publish's."""
    con.execute(f"DELETE FROM {table}")
    con.execute(f"INSERT INTO {table} BY NAME {select}")
