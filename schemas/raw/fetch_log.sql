-- Grain: one row per HTTP attempt (retries are separate rows).
-- Raw layer: what was fetched and what happened to every URL. Append-mostly; never rebuilt.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.fetch_log (
    run_id       VARCHAR NOT NULL,
    url          VARCHAR NOT NULL,
    attempt      INTEGER NOT NULL,
    http_status  INTEGER,
    byte_count   BIGINT NOT NULL,
    elapsed_ms   DOUBLE NOT NULL,
    outcome      VARCHAR NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE raw.fetch_log IS 'Grain: one row per HTTP attempt (retries are separate rows).';
