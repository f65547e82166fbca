-- Grain: one row per film with syndication candidates (film_id).
-- Written by publish (Python: tasks/warehouse/review_identity.py) beside intermediate.syndication: a digest of the
-- film's candidate reviews (ids, name keys, dates, texts) and of the method, so the next publish compares texts again
-- only for films whose candidates changed and keeps the other films' rows as they are.
CREATE SCHEMA IF NOT EXISTS intermediate;

CREATE TABLE IF NOT EXISTS intermediate.syndication_films (
    film_id         VARCHAR NOT NULL,
    candidates_key  VARCHAR NOT NULL   -- md5 over the candidates and the method's settings
);
COMMENT ON TABLE intermediate.syndication_films IS 'Grain: one row per film with syndication candidates (film_id); the digest of its candidates when syndication last compared them.';
