-- Grain: one row per film (film_id) as of the latest publish.
CREATE OR REPLACE TEMP TABLE film_consensus AS
WITH meters AS (
    SELECT film_meters.*,
           fresh_count / review_count AS p,
           -- z and z² as the doubles the DECIMAL literal gave (z * z was exact, then cast), folded once
           -- instead of multiplied in 128-bit decimals on every row.
           CAST(1.959963984540054 AS DOUBLE) AS z,
           CAST(1.959963984540054 * 1.959963984540054 AS DOUBLE) AS z2
    FROM film_meters
),
intervals AS (
    SELECT meters.*,
           (p + z2 / (2 * review_count)) / (1 + z2 / review_count) AS wilson_center,
           z * sqrt(p * (1 - p) / review_count + z2 / (4 * review_count * review_count))
             / (1 + z2 / review_count) AS wilson_half,
           least(fresh_count, review_count - fresh_count) / review_count AS minority_share
    FROM meters
)
SELECT film_keys.film_id, film_keys.title, film_keys.year, film_keys.imdb_id,
       review_count, fresh_count, tomatometer,
       round(100 * greatest(wilson_center - wilson_half, 0), 1) AS tomatometer_low,
       round(100 * least(wilson_center + wilson_half, 1), 1) AS tomatometer_high,
       status, scored_count, round(avg_score, 1) AS avg_score,
       top_critic_count,
       CASE WHEN top_critic_count > 0 THEN
           CAST((200 * top_critic_fresh_count + top_critic_count) // (2 * top_critic_count) AS INTEGER)
       END AS top_critic_tomatometer,
       consensus_text.consensus,
       CAST(getvariable('published_at') AS TIMESTAMP) AS published_at,
       -- Metacritic bands on the score as Metacritic prints it (an integer, rounded half up).
       CASE
           WHEN scored_count < getvariable('min_scored_for_label') THEN NULL
           WHEN floor(avg_score + 0.5) >= 81 THEN 'universal acclaim'
           WHEN floor(avg_score + 0.5) >= 61 THEN 'generally favorable'
           WHEN floor(avg_score + 0.5) >= 40 THEN 'mixed or average'
           WHEN floor(avg_score + 0.5) >= 20 THEN 'generally unfavorable'
           ELSE 'overwhelming dislike'
       END AS avg_score_label,
       round(top_critic_avg_score, 1) AS top_critic_avg_score,
       CASE WHEN scored_count >= 2 THEN round(score_stddev, 1) END AS score_stddev,
       -- Critics split: enough reviews, and either the smaller verdict side holds 35% or more,
       -- or (with 4+ scores) the scores spread 25 points or more around their mean.
       CASE WHEN review_count >= getvariable('min_reviews_for_status') THEN
           minority_share >= 0.35 OR (scored_count >= getvariable('min_scored_for_label') AND score_stddev >= 25)
       END AS is_controversial,
       round(model_verdict_count / review_count, 3) AS model_verdict_share
FROM intervals
-- film_key order is film_id order (film_map ranks the keys by film_id); integers join and sort cheaper.
JOIN intermediate.film_keys AS film_keys USING (film_key)
LEFT JOIN intermediate.consensus_text AS consensus_text USING (film_key)
ORDER BY intervals.film_key;
COMMENT ON TABLE film_consensus IS 'Grain: one row per film (film_id) as of the latest publish.';
