-- Grain: one row per distinct content version of a URL (history of the archive).
-- Raw layer: what was fetched and what happened to every URL. Append-mostly; never rebuilt.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.page_versions (
    url         VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    fetched_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (url, sha256)
);
COMMENT ON TABLE raw.page_versions IS 'Grain: one row per distinct content version of a URL (history of the archive).';
