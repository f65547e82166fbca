-- Grain: one row per film (film_key; film_id unique).
-- Written by publish with film_map: the films deduplicated once (films, film_meters, film_consensus and the
-- consensus text step read them).
CREATE SCHEMA IF NOT EXISTS intermediate;

CREATE TABLE IF NOT EXISTS intermediate.film_keys (
    film_key  INTEGER NOT NULL,
    film_id   VARCHAR NOT NULL,
    title     VARCHAR NOT NULL,
    year      INTEGER,
    imdb_id   VARCHAR
);
ALTER TABLE intermediate.film_keys ADD COLUMN IF NOT EXISTS imdb_id VARCHAR;
COMMENT ON TABLE intermediate.film_keys IS 'Grain: one row per film (film_key; film_id unique).';
-- Publish wrote this table into staging before 0.5.0.
DROP TABLE IF EXISTS staging.film_keys;
