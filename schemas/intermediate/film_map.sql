-- Grain: one row per film title and year as pages print them (film_title, film_year).
-- Written by publish (Python: title resolution in tasks/extract/films.py), read by the models. film_key is a dense
-- integer per film in film_id order, so the marts group a million reviews on integers.
CREATE SCHEMA IF NOT EXISTS intermediate;

CREATE TABLE IF NOT EXISTS intermediate.film_map (
    film_title  VARCHAR NOT NULL,
    film_year   INTEGER,
    film_id     VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,
    year        INTEGER,
    film_key    INTEGER NOT NULL,
    imdb_id     VARCHAR,            -- the imported catalogue's film, when one matches (tasks/warehouse/film_identity.py)
    matched_title VARCHAR           -- the catalogue title (primary, original or aka) this surface title matched
);
-- Work files from before the catalogue import gain the columns.
ALTER TABLE intermediate.film_map ADD COLUMN IF NOT EXISTS imdb_id VARCHAR;
ALTER TABLE intermediate.film_map ADD COLUMN IF NOT EXISTS matched_title VARCHAR;
COMMENT ON TABLE intermediate.film_map IS 'Grain: one row per film title and year as pages print them (film_title, film_year); the film each resolves to.';
-- Publish wrote this table into staging before 0.5.0.
DROP TABLE IF EXISTS staging.film_map;
