-- Grain: one row per pipeline run.
-- Raw layer: what was fetched and what happened to every URL. Append-mostly; never rebuilt.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.runs (
    run_id              VARCHAR PRIMARY KEY,
    kind                VARCHAR NOT NULL,          -- nightly | scrape | reprocess | publish
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ,
    discovered_count    INTEGER,
    loaded_count        INTEGER,
    unchanged_count     INTEGER,
    rejected_count      INTEGER,
    out_of_scope_count  INTEGER
);
COMMENT ON TABLE raw.runs IS 'Grain: one row per pipeline run.';
-- How the run ended (completed | failed; null while running or when it crashed) and its one-line message.
ALTER TABLE raw.runs ADD COLUMN IF NOT EXISTS state VARCHAR;
ALTER TABLE raw.runs ADD COLUMN IF NOT EXISTS message VARCHAR;
