-- Grain: one row per review page (review_id; url unique).
-- A view of the internal review_facts table. published_at is the page's date (DATE), the name the public
-- interface gives it; published_date is the same DATE under the project's vocabulary (*_date for dates).
CREATE OR REPLACE TEMP VIEW reviews AS
SELECT review_id, url, film_id, critic, outlet, published_date AS published_at, is_top_critic,
       rating_raw, score, verdict, verdict_source, text,
       rating_rule, rating_scale, rating_reason, verdict_confidence, word_count, published_date,
       critic_id, syndicated_of
FROM review_facts;
COMMENT ON VIEW reviews IS 'Grain: one row per review page (review_id; url unique).';
