-- Grain: one row per review page (review_id).
-- Internal: the reviews mart materialised once, plus integer keys and verdict flags computed once for the
-- aggregates (string comparisons and string group keys cost more than the aggregates themselves).
CREATE OR REPLACE TEMP TABLE review_facts AS
WITH staged AS (
    SELECT * FROM staging.reviews
),
with_film AS (
    SELECT staged.*, film_map.film_id, film_map.film_key
    FROM staged
    JOIN intermediate.film_map AS film_map
      ON film_map.film_title = staged.film_title
     AND film_map.film_year IS NOT DISTINCT FROM staged.film_year
),
with_critic AS (
    SELECT with_film.*, critic_map.is_top_critic, critic_map.critic_outlet_key, critic_map.critic_id,
           syndication.syndicated_of
    FROM with_film
    JOIN critic_map
      ON critic_map.critic IS NOT DISTINCT FROM with_film.critic
     AND critic_map.outlet = with_film.outlet
    LEFT JOIN intermediate.syndication AS syndication USING (review_id)
)
SELECT review_id, url, film_id, critic, outlet, published_date, is_top_critic,
       rating_raw, score, verdict, verdict_source, text,
       rating_rule, rating_scale, rating_reason, verdict_confidence, word_count,
       film_key, critic_outlet_key, critic_id, syndicated_of,
       -- exact thousandths: sums of them do not depend on the order rows were loaded in
       CAST(score AS DECIMAL(18, 3)) AS score_exact,
       verdict = 'fresh' AS is_fresh,
       verdict_source = 'model' AS is_model_verdict
FROM with_critic;
