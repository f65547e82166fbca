-- Grain: one row per film (film_key; film_id unique).
-- Written by publish (Python: tasks/warehouse/consensus.py) from film_meters and the aspect stances.
CREATE SCHEMA IF NOT EXISTS intermediate;

CREATE TABLE IF NOT EXISTS intermediate.consensus_text (
    film_key   INTEGER NOT NULL,
    film_id    VARCHAR NOT NULL,
    consensus  VARCHAR
);
COMMENT ON TABLE intermediate.consensus_text IS 'Grain: one row per film (film_key; film_id unique): its one-to-three sentence consensus.';
-- Publish wrote this table into staging before 0.5.0.
DROP TABLE IF EXISTS staging.consensus_text;
