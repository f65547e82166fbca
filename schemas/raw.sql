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

CREATE TABLE IF NOT EXISTS raw.page_versions (
    url         VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    fetched_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (url, sha256)
);
COMMENT ON TABLE raw.page_versions IS 'Grain: one row per distinct content version of a URL (history of the archive).';

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
