-- Grain: one row per film and aspect (film_id, aspect).
CREATE OR REPLACE TEMP TABLE film_aspects AS
WITH stats AS (
    SELECT film_aspect_stats.*,
           round(positive_count / review_count, 3) AS share_positive,
           CASE WHEN positive_count >= negative_count THEN 'positive' ELSE 'negative' END AS majority_stance
    FROM film_aspect_stats
),
ranked_quotes AS (
    -- Representative: from the majority side, most strongly worded first; one quote per review.
    SELECT aspect_reviews.film_id, aspect_reviews.aspect, aspect_reviews.review_id, aspect_reviews.sentence,
           row_number() OVER (PARTITION BY aspect_reviews.film_id, aspect_reviews.aspect
                              ORDER BY abs(aspect_reviews.review_sentiment) DESC, aspect_reviews.review_id) AS quote_rank
    FROM aspect_reviews
    JOIN stats USING (film_id, aspect)
    WHERE aspect_reviews.stance = stats.majority_stance
),
quotes AS (
    SELECT film_id, aspect,
           any_value(sentence) FILTER (WHERE quote_rank = 1) AS quote_1,
           any_value(review_id) FILTER (WHERE quote_rank = 1) AS quote_1_review_id,
           any_value(sentence) FILTER (WHERE quote_rank = 2) AS quote_2,
           any_value(review_id) FILTER (WHERE quote_rank = 2) AS quote_2_review_id
    FROM ranked_quotes
    WHERE quote_rank <= 2
    GROUP BY ALL
)
SELECT stats.film_id, stats.aspect, stats.mention_count, stats.review_count, stats.positive_count,
       stats.negative_count, stats.share_positive,
       quotes.quote_1, quotes.quote_1_review_id, quotes.quote_2, quotes.quote_2_review_id
FROM stats
LEFT JOIN quotes USING (film_id, aspect)
ORDER BY stats.film_id, stats.review_count DESC, stats.aspect;
COMMENT ON TABLE film_aspects IS 'Grain: one row per film and aspect (film_id, aspect); quotes are review sentences from the majority side.';
