-- Grain: one row per film (film_id).
CREATE OR REPLACE TEMP TABLE films AS
WITH resolved AS (
    SELECT film_id, title, year, imdb_id FROM intermediate.film_keys
)
SELECT film_id, title, year, imdb_id FROM resolved ORDER BY film_id;
COMMENT ON TABLE films IS 'Grain: one row per film (film_id).';
