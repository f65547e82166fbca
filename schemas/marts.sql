-- Marts layer: the public tables users query. Rebuilt whole inside one transaction at publish, as temporary
-- tables of the publishing connection: the snapshot (tasks/publish.py) is the one place they are written to disk.
-- Inputs written by the publish step: staging.film_map (title resolution, with an integer film_key),
-- staging.film_keys (film_map's distinct film_key, film_id, title and year: the films, deduplicated once),
-- staging.mention_sentences, staging.top_critics (from config), staging.consensus_text and staging.consensus_citations.
-- reviews is a view of the internal review_facts table, which also carries integer keys and verdict flags for the
-- aggregates (critic_map, film_meters and review_facts are internal: the snapshot copies only the public tables).
-- consensus_history is the one mart kept across publishes (it feeds the certified-fresh hysteresis).
-- Thresholds come from DuckDB variables set by the publish step (getvariable).

-- model: films
CREATE OR REPLACE TEMP TABLE films AS
WITH resolved AS (
    SELECT film_id, title, year FROM staging.film_keys
)
SELECT film_id, title, year FROM resolved ORDER BY film_id;
COMMENT ON TABLE films IS 'Grain: one row per film (film_id).';

-- model: film_aliases
CREATE OR REPLACE TEMP TABLE film_aliases AS
WITH surfaces AS (
    SELECT DISTINCT film_title AS title, film_year AS year, film_id FROM staging.film_map
)
SELECT title, year, film_id FROM surfaces ORDER BY film_id, title, year;
COMMENT ON TABLE film_aliases IS 'Grain: one row per surface title and year seen on a page.';

-- model: critic_map
CREATE OR REPLACE TEMP TABLE critic_map AS
-- Internal: one row per critic (as written) and outlet, with the critic_stats grouping name, an integer key for
-- that name and outlet (grouping a million reviews on integers instead of strings), and the top-critic flag.
WITH pairs AS (
    SELECT DISTINCT critic, outlet FROM staging.reviews
),
named AS (
    SELECT critic, outlet,
           coalesce(nullif(trim(critic), ''), '(unsigned)') AS critic_name,
           coalesce(lower(trim(critic)) IN (SELECT critic_key FROM staging.top_critics), false) AS is_top_critic
    FROM pairs
)
SELECT critic, outlet, critic_name, is_top_critic,
       CAST(dense_rank() OVER (ORDER BY critic_name, outlet) AS INTEGER) AS critic_outlet_key
FROM named;

-- model: review_facts
CREATE OR REPLACE TEMP TABLE review_facts AS
-- Internal: the reviews mart materialised once, plus integer keys and verdict flags computed once for the
-- aggregates below (string comparisons and string group keys cost more than the aggregates themselves).
WITH staged AS (
    SELECT * FROM staging.reviews
),
with_film AS (
    SELECT staged.*, film_map.film_id, film_map.film_key
    FROM staged
    JOIN staging.film_map AS film_map
      ON film_map.film_title = staged.film_title
     AND film_map.film_year IS NOT DISTINCT FROM staged.film_year
),
with_critic AS (
    SELECT with_film.*, critic_map.is_top_critic, critic_map.critic_outlet_key
    FROM with_film
    JOIN critic_map
      ON critic_map.critic IS NOT DISTINCT FROM with_film.critic
     AND critic_map.outlet = with_film.outlet
)
SELECT review_id, url, film_id, critic, outlet, published_at, is_top_critic,
       rating_raw, score, verdict, verdict_source, text,
       rating_rule, rating_scale, rating_reason, verdict_confidence, word_count,
       film_key, critic_outlet_key,
       -- exact thousandths: sums of them do not depend on the order rows were loaded in
       CAST(score AS DECIMAL(18, 3)) AS score_exact,
       verdict = 'fresh' AS is_fresh,
       verdict_source = 'model' AS is_model_verdict
FROM with_critic;

-- model: reviews
CREATE OR REPLACE TEMP VIEW reviews AS
SELECT review_id, url, film_id, critic, outlet, published_at, is_top_critic,
       rating_raw, score, verdict, verdict_source, text,
       rating_rule, rating_scale, rating_reason, verdict_confidence, word_count
FROM review_facts;
COMMENT ON VIEW reviews IS 'Grain: one row per review page (review_id; url unique).';

-- model: chunks
CREATE OR REPLACE TEMP TABLE chunks AS
WITH published AS (
    SELECT chunks.* FROM staging.chunks AS chunks SEMI JOIN reviews USING (review_id)
)
SELECT review_id, chunk_index, text, char_start, char_end FROM published ORDER BY review_id, chunk_index;
COMMENT ON TABLE chunks IS 'Grain: one row per review and chunk_index; offsets index reviews.text.';

-- model: mentions
CREATE OR REPLACE TEMP TABLE mentions AS
WITH published AS (
    SELECT mentions.* FROM staging.mentions AS mentions SEMI JOIN reviews USING (review_id)
)
SELECT review_id, chunk_index, name, kind, role, surface, char_start, char_end, sentiment
FROM published ORDER BY review_id, char_start;
COMMENT ON TABLE mentions IS 'Grain: one row per mention (review_id, char_start); offsets index reviews.text.';

-- model: aspect_reviews
CREATE OR REPLACE TEMP TABLE aspect_reviews AS
WITH aspect_mentions AS (
    SELECT reviews.film_id, mentions.name AS aspect, mentions.review_id, mentions.char_start,
           mentions.sentiment, sentences.sentence_start, sentences.sentence_end, sentences.sentence
    FROM mentions
    JOIN reviews USING (review_id)
    JOIN staging.mention_sentences AS sentences USING (review_id, char_start)
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

-- model: film_aspect_stats
CREATE OR REPLACE TEMP TABLE film_aspect_stats AS
SELECT film_id, aspect,
       count(*) AS review_count,
       sum(mention_count) AS mention_count,
       count(*) FILTER (WHERE stance = 'positive') AS positive_count,
       count(*) FILTER (WHERE stance = 'negative') AS negative_count
FROM aspect_reviews
GROUP BY ALL;

-- model: film_aspects
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

-- model: film_people
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

-- model: consensus_history_table
CREATE TABLE IF NOT EXISTS consensus_history (
    film_id          VARCHAR NOT NULL,
    publish_night    DATE NOT NULL,
    published_at     TIMESTAMP NOT NULL,
    review_count     BIGINT NOT NULL,
    fresh_count      BIGINT NOT NULL,
    tomatometer      INTEGER NOT NULL,
    status           VARCHAR,
    avg_score        DOUBLE,
    PRIMARY KEY (film_id, publish_night)
);
COMMENT ON TABLE consensus_history IS 'Grain: one row per film and publish night (film_id, publish_night); a night runs noon to noon in the config timezone and its latest publish wins.';

-- model: film_meters
-- Internal: one row per film_key with the counts and averages, the tomatometer and the status (what
-- _write_consensus and critic_stats read). The published figures, titles and ids are added in film_consensus,
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
    WHERE is_top_critic
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
    JOIN staging.film_keys AS film_keys USING (film_id)
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

-- model: film_consensus
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
SELECT film_keys.film_id, film_keys.title, film_keys.year,
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
JOIN staging.film_keys AS film_keys USING (film_key)
LEFT JOIN staging.consensus_text AS consensus_text USING (film_key)
ORDER BY intervals.film_key;
COMMENT ON TABLE film_consensus IS 'Grain: one row per film (film_id) as of the latest publish.';

-- model: consensus_citations
CREATE OR REPLACE TEMP TABLE consensus_citations AS
SELECT film_id, claim, review_id, char_start, char_end, sentence
FROM staging.consensus_citations
ORDER BY film_id, claim_index, citation_index;
COMMENT ON TABLE consensus_citations IS 'Grain: one row per consensus claim and cited review sentence (film_id, claim, review_id); offsets index reviews.text.';

-- model: consensus_history
DELETE FROM consensus_history WHERE publish_night = getvariable('publish_night');
INSERT INTO consensus_history
SELECT film_id, getvariable('publish_night'), CAST(getvariable('published_at') AS TIMESTAMP),
       review_count, fresh_count, tomatometer, status, avg_score
FROM film_consensus;

-- model: critic_stats
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
    SELECT DISTINCT critic_outlet_key, critic_name, outlet FROM critic_map
)
SELECT critic_names.critic_name AS critic, critic_names.outlet,
       review_count, scored_count, avg_score, fresh_share, leniency, leniency_review_count,
       consensus_agreement, agreement_review_count, is_top_critic
FROM per_critic
JOIN critic_names USING (critic_outlet_key)
ORDER BY review_count DESC, critic, outlet;
COMMENT ON TABLE critic_stats IS 'Grain: one row per critic and outlet (critic, outlet); unsigned reviews as critic ''(unsigned)''.';
