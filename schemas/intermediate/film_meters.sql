-- Grain: one row per film (film_key).
-- Internal: the counts and averages, the tomatometer and the status (what
-- the consensus text step and critic_stats read). The published figures, titles and ids are added in film_consensus,
-- so this table, written once and read three times, stays narrow.
-- film_key is dense (1..films), so a direct-indexed ("perfect hash") aggregate fits it; DuckDB only picks one
-- for key ranges up to 2^12 by default, and the hash table it uses otherwise costs more than the aggregates.
SET perfect_ht_threshold = 16;
CREATE OR REPLACE TEMP TABLE film_meters AS
WITH counts AS (
    SELECT film_key,
           count(*) AS review_count,
           CAST(count_if(is_fresh) AS BIGINT) AS fresh_count,
           count(score) AS scored_count,
           avg(score_exact) AS avg_score,
           stddev_pop(score) AS score_stddev,
           CAST(count_if(is_model_verdict) AS BIGINT) AS model_verdict_count
    FROM review_facts
    WHERE syndicated_of IS NULL  -- a review printed by several outlets counts once, as its earliest print
    GROUP BY film_key
),
top_counts AS (
    -- Top critics write about a tenth of the reviews: aggregating just their rows costs less than three more
    -- aggregates (one of them filtered) over every review above.
    SELECT film_key,
           count(*) AS top_critic_count,
           CAST(count_if(is_fresh) AS BIGINT) AS top_critic_fresh_count,
           avg(score_exact) AS top_critic_avg_score
    FROM review_facts
    WHERE is_top_critic AND syndicated_of IS NULL
    GROUP BY film_key
),
meters AS (
    SELECT counts.*,
           coalesce(top_counts.top_critic_count, 0) AS top_critic_count,
           coalesce(top_counts.top_critic_fresh_count, 0) AS top_critic_fresh_count,
           top_counts.top_critic_avg_score,
           -- Rounded half up in integers (RT shows 62.5 as 63; round() on doubles can miss the half).
           CAST((200 * fresh_count + review_count) // (2 * review_count) AS INTEGER) AS tomatometer
    FROM counts
    LEFT JOIN top_counts USING (film_key)
),
previous AS (
    -- Status as of the latest earlier night (a same-night republish never feeds on itself).
    SELECT film_keys.film_key, arg_max(history.status, history.publish_night) AS previous_status
    FROM consensus_history AS history
    JOIN intermediate.film_keys AS film_keys USING (film_id)
    WHERE history.publish_night < getvariable('publish_night')
    GROUP BY film_keys.film_key
)
SELECT meters.*,
       CASE
           WHEN review_count < getvariable('min_reviews_for_status') THEN NULL
           WHEN tomatometer >= getvariable('certified_threshold')
                AND review_count >= getvariable('certified_min_reviews')
                AND top_critic_count >= getvariable('certified_min_top_critics') THEN 'certified_fresh'
           -- RT's hysteresis: a certified film keeps the badge until it falls below the keep threshold.
           WHEN previous.previous_status = 'certified_fresh'
                AND tomatometer >= getvariable('certified_keep_threshold') THEN 'certified_fresh'
           WHEN tomatometer >= getvariable('fresh_threshold') THEN 'fresh'
           ELSE 'rotten'
       END AS status
FROM meters
LEFT JOIN previous USING (film_key);
RESET perfect_ht_threshold;
