-- Grain: one row per fetched URL, its latest state and archive hash.
-- Raw layer: what was fetched and what happened to every URL. Append-mostly; never rebuilt.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.pages (
    url              VARCHAR PRIMARY KEY,
    source           VARCHAR NOT NULL,
    canonical_url    VARCHAR,
    sha256           VARCHAR,                      -- key into the content-addressed raw archive
    etag             VARCHAR,
    last_modified    VARCHAR,
    http_status      INTEGER,
    content_type     VARCHAR,
    first_seen_at    TIMESTAMPTZ NOT NULL,
    last_fetched_at  TIMESTAMPTZ NOT NULL,
    last_changed_at  TIMESTAMPTZ,
    is_removed       BOOLEAN NOT NULL DEFAULT false
);
COMMENT ON TABLE raw.pages IS 'Grain: one row per fetched URL, its latest state and archive hash.';
