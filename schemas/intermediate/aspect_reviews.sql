-- Grain: one row per film, aspect and review (film_id, aspect, review_id).
-- Internal: the review's stance on the aspect and its most strongly worded sentence about it.
CREATE OR REPLACE TEMP TABLE aspect_reviews AS
WITH aspect_mentions AS (
    SELECT reviews.film_id, mentions.name AS aspect, mentions.review_id, mentions.char_start,
           mentions.sentiment, sentences.sentence_start, sentences.sentence_end, sentences.sentence
    FROM mentions
    JOIN reviews USING (review_id)
    JOIN intermediate.mention_sentences AS sentences USING (review_id, char_start)
    WHERE mentions.kind = 'aspect'
),
per_review AS (
    SELECT film_id, aspect, review_id,
           count(*) AS mention_count,
           avg(sentiment) AS review_sentiment,
           -- The review's most strongly worded sentence about the aspect stands for it in quotes and citations.
           arg_max(sentence_start, abs(sentiment)) AS sentence_start,
           arg_max(sentence_end, abs(sentiment)) AS sentence_end,
           arg_max(sentence, abs(sentiment)) AS sentence
    FROM aspect_mentions
    GROUP BY ALL
)
SELECT per_review.*,
       CASE WHEN review_sentiment > 0.1 THEN 'positive' WHEN review_sentiment < -0.1 THEN 'negative' ELSE 'neutral' END AS stance
FROM per_review;
