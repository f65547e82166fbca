-- Grain: one row per film and person mentioned in its reviews (film_id, person).
CREATE OR REPLACE TEMP TABLE film_people AS
WITH person_mentions AS (
    SELECT reviews.film_id, mentions.name AS person, mentions.role, mentions.review_id, mentions.sentiment
    FROM mentions JOIN reviews USING (review_id)
    WHERE mentions.kind = 'person'
)
SELECT film_id, person,
       -- The role most mentions give the person (credits name one; uncredited mentions may have none).
       mode(role) AS role,
       count(*) AS mention_count,
       count(DISTINCT review_id) AS review_count,
       round(avg(CAST(sentiment AS DECIMAL(18, 9))), 3) AS mean_sentiment
FROM person_mentions
GROUP BY film_id, person
ORDER BY film_id, mention_count DESC, person;
COMMENT ON TABLE film_people IS 'Grain: one row per film and person mentioned in its reviews (film_id, person).';
