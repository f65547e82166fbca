-- Grain: one row per critic and outlet (critic, outlet).
CREATE OR REPLACE TEMP TABLE critic_stats AS
WITH critic_films AS (
    -- One row per critic, outlet and film: a critic's own reviews of a film never count among the "others".
    -- Decimal scores make every sum exact, so results do not depend on the order rows were loaded in.
    -- Grouped on the integer keys of (critic name, outlet) and film; the names are joined back at the end.
    SELECT critic_outlet_key, film_key,
           count(*) AS review_count,
           count(*) FILTER (WHERE is_fresh) AS fresh_count,
           count(score) AS scored_count,
           sum(score_exact) AS score_sum,
           bool_or(is_top_critic) AS is_top_critic
    FROM review_facts
    GROUP BY critic_outlet_key, film_key
),
film_totals AS (
    -- From the reviews rather than critic_films: critic_films is then read once and never materialised.
    SELECT film_key, sum(score_exact) AS film_score_sum, count(score) AS film_scored_count
    FROM review_facts
    GROUP BY film_key
),
judged AS (
    SELECT critic_films.*,
           -- Leniency: the critic's scores minus the mean score of the same film by other critics.
           CASE WHEN critic_films.scored_count > 0 AND film_scored_count > critic_films.scored_count
                THEN score_sum - critic_films.scored_count * CAST((film_score_sum - score_sum)
                                                                  / (film_scored_count - critic_films.scored_count)
                                                     AS DECIMAL(18, 6)) END AS gap_sum,
           CASE WHEN film_scored_count > critic_films.scored_count THEN critic_films.scored_count ELSE 0 END AS gap_count,
           -- Agreement: verdicts on the same side as the film's status (films with a status only).
           CASE WHEN film_meters.status IS NULL THEN 0
                WHEN film_meters.status <> 'rotten' THEN critic_films.fresh_count
                ELSE critic_films.review_count - critic_films.fresh_count END AS agreeing_count,
           CASE WHEN film_meters.status IS NULL THEN 0 ELSE critic_films.review_count END AS judged_count
    FROM critic_films
    JOIN film_totals USING (film_key)
    JOIN film_meters ON film_meters.film_key = critic_films.film_key
),
per_critic AS (
    SELECT critic_outlet_key,
           CAST(sum(review_count) AS BIGINT) AS review_count,
           CAST(sum(scored_count) AS BIGINT) AS scored_count,
           round(sum(score_sum) / nullif(sum(scored_count), 0), 1) AS avg_score,
           round(sum(fresh_count) / sum(review_count), 3) AS fresh_share,
           round(sum(gap_sum) / nullif(sum(gap_count), 0), 1) AS leniency,
           CAST(sum(gap_count) AS BIGINT) AS leniency_review_count,
           round(sum(agreeing_count) / nullif(sum(judged_count), 0), 3) AS consensus_agreement,
           CAST(sum(judged_count) AS BIGINT) AS agreement_review_count,
           bool_or(is_top_critic) AS is_top_critic
    FROM judged
    GROUP BY critic_outlet_key
),
critic_names AS (
    SELECT DISTINCT critic_outlet_key, critic_name, critic_id, outlet FROM critic_map
)
SELECT critic_names.critic_name AS critic, critic_names.outlet, critic_names.critic_id,
       review_count, scored_count, avg_score, fresh_share, leniency, leniency_review_count,
       consensus_agreement, agreement_review_count, is_top_critic
FROM per_critic
JOIN critic_names USING (critic_outlet_key)
ORDER BY review_count DESC, critic, outlet;
COMMENT ON TABLE critic_stats IS 'Grain: one row per critic and outlet (critic, outlet); unsigned reviews as critic ''(unsigned)''.';
