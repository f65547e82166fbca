-- Grain: one row per film and aspect (film_id, aspect).
-- Internal: how many reviews mention the aspect and on which side; film_aspects and the consensus text read it.
CREATE OR REPLACE TEMP TABLE film_aspect_stats AS
SELECT film_id, aspect,
       count(*) AS review_count,
       sum(mention_count) AS mention_count,
       count(*) FILTER (WHERE stance = 'positive') AS positive_count,
       count(*) FILTER (WHERE stance = 'negative') AS negative_count
FROM aspect_reviews
GROUP BY ALL;
