-- Marts layer: the public tables users query. Rebuilt whole inside one transaction at publish.
-- Inputs written by the publish step just before: staging.film_map (title resolution),
-- staging.top_critics (from config) and staging.consensus_text (one sentence set per film).
-- Thresholds come from DuckDB variables set by the publish step (getvariable).

-- model: films
CREATE OR REPLACE TABLE films AS
WITH resolved AS (
    SELECT DISTINCT film_id, title, year FROM staging.film_map
)
SELECT film_id, title, year FROM resolved ORDER BY film_id;
COMMENT ON TABLE films IS 'Grain: one row per film (film_id).';

-- model: film_aliases
CREATE OR REPLACE TABLE film_aliases AS
WITH surfaces AS (
    SELECT DISTINCT film_title AS title, film_year AS year, film_id FROM staging.film_map
)
SELECT title, year, film_id FROM surfaces ORDER BY film_id, title, year;
COMMENT ON TABLE film_aliases IS 'Grain: one row per surface title and year seen on a page.';

-- model: reviews
CREATE OR REPLACE TABLE reviews AS
WITH staged AS (
    SELECT * FROM staging.reviews
),
with_film AS (
    SELECT staged.*, film_map.film_id
    FROM staged
    JOIN staging.film_map AS film_map
      ON film_map.film_title = staged.film_title
     AND film_map.film_year IS NOT DISTINCT FROM staged.film_year
),
with_top AS (
    SELECT with_film.*,
           coalesce(lower(trim(critic)) IN (SELECT critic_key FROM staging.top_critics), false) AS is_top_critic
    FROM with_film
)
SELECT review_id, url, film_id, critic, outlet, published_at, is_top_critic,
       rating_raw, score, verdict, verdict_source, text,
       rating_rule, rating_scale, rating_reason, verdict_confidence, word_count
FROM with_top
ORDER BY review_id;
COMMENT ON TABLE reviews IS 'Grain: one row per review page (review_id; url unique).';

-- model: chunks
CREATE OR REPLACE TABLE chunks AS
WITH published AS (
    SELECT chunks.* FROM staging.chunks AS chunks SEMI JOIN reviews USING (review_id)
)
SELECT review_id, chunk_index, text, char_start, char_end FROM published ORDER BY review_id, chunk_index;
COMMENT ON TABLE chunks IS 'Grain: one row per review and chunk_index; offsets index reviews.text.';

-- model: mentions
CREATE OR REPLACE TABLE mentions AS
WITH published AS (
    SELECT mentions.* FROM staging.mentions AS mentions SEMI JOIN reviews USING (review_id)
)
SELECT review_id, chunk_index, name, kind, role, surface, char_start, char_end, sentiment
FROM published ORDER BY review_id, char_start;
COMMENT ON TABLE mentions IS 'Grain: one row per mention (review_id, char_start); offsets index reviews.text.';

-- model: film_aspect_stats
CREATE OR REPLACE TEMP TABLE film_aspect_stats AS
WITH aspect_reviews AS (
    SELECT reviews.film_id, mentions.name AS aspect, mentions.review_id,
           avg(mentions.sentiment) AS review_sentiment
    FROM mentions JOIN reviews USING (review_id)
    WHERE mentions.kind = 'aspect'
    GROUP BY ALL
)
SELECT film_id, aspect,
       count(*) AS review_count,
       count(*) FILTER (WHERE review_sentiment > 0.1) AS positive_count,
       count(*) FILTER (WHERE review_sentiment < -0.1) AS negative_count
FROM aspect_reviews
GROUP BY ALL;

-- model: film_consensus
CREATE OR REPLACE TABLE film_consensus AS
WITH counts AS (
    SELECT film_id,
           count(*) AS review_count,
           count(*) FILTER (WHERE verdict = 'fresh') AS fresh_count,
           count(score) AS scored_count,
           avg(score) AS avg_score,
           count(*) FILTER (WHERE is_top_critic) AS top_critic_count,
           count(*) FILTER (WHERE is_top_critic AND verdict = 'fresh') AS top_critic_fresh_count
    FROM reviews
    GROUP BY film_id
),
meters AS (
    SELECT counts.*,
           -- Rounded half up in integers (RT shows 62.5 as 63; round() on doubles can miss the half).
           CAST((200 * fresh_count + review_count) // (2 * review_count) AS INTEGER) AS tomatometer,
           CASE WHEN top_critic_count > 0 THEN
               CAST((200 * top_critic_fresh_count + top_critic_count) // (2 * top_critic_count) AS INTEGER)
           END AS top_critic_tomatometer,
           fresh_count / review_count AS p,
           1.959963984540054 AS z
    FROM counts
),
intervals AS (
    SELECT meters.*,
           (p + z * z / (2 * review_count)) / (1 + z * z / review_count) AS wilson_center,
           z * sqrt(p * (1 - p) / review_count + z * z / (4 * review_count * review_count))
             / (1 + z * z / review_count) AS wilson_half
    FROM meters
),
statuses AS (
    SELECT intervals.*,
           CASE
               WHEN review_count < getvariable('min_reviews_for_status') THEN NULL
               WHEN tomatometer >= getvariable('certified_threshold')
                    AND review_count >= getvariable('certified_min_reviews')
                    AND top_critic_count >= getvariable('certified_min_top_critics') THEN 'certified_fresh'
               WHEN tomatometer >= getvariable('fresh_threshold') THEN 'fresh'
               ELSE 'rotten'
           END AS status
    FROM intervals
)
SELECT films.film_id, films.title, films.year,
       statuses.review_count, statuses.fresh_count, statuses.tomatometer,
       round(100 * greatest(wilson_center - wilson_half, 0), 1) AS tomatometer_low,
       round(100 * least(wilson_center + wilson_half, 1), 1) AS tomatometer_high,
       statuses.status, statuses.scored_count,
       round(statuses.avg_score, 1) AS avg_score,
       statuses.top_critic_count, statuses.top_critic_tomatometer,
       consensus_text.consensus,
       CAST(getvariable('published_at') AS TIMESTAMP) AS published_at
FROM films
JOIN statuses USING (film_id)
LEFT JOIN staging.consensus_text AS consensus_text USING (film_id)
ORDER BY films.film_id;
COMMENT ON TABLE film_consensus IS 'Grain: one row per film (film_id) as of the latest publish.';
