-- Grain: one row per run and discovered URL: what became of it and why.
-- Raw layer: what was fetched and what happened to every URL. Append-mostly; never rebuilt.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.url_outcomes (
    run_id       VARCHAR NOT NULL,
    url          VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    outcome      VARCHAR NOT NULL,                 -- loaded | unchanged | rejected | out_of_scope
    reason       VARCHAR,
    recorded_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, url)
);
COMMENT ON TABLE raw.url_outcomes IS 'Grain: one row per run and discovered URL: what became of it and why.';
