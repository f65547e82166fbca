-- Grain: one row per archived response, revisit or resource record (request records are not indexed).
-- Raw layer: the index of the WARC archive (tasks/acquire/archive.py) beside the database. Append-only.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.warc_records (
    url            VARCHAR NOT NULL,               -- WARC-Target-URI (a redirect's final hop has its own row)
    captured_at    TIMESTAMPTZ NOT NULL,           -- WARC-Date: when the request was sent
    record_type    VARCHAR NOT NULL,               -- response | revisit | resource
    http_status    INTEGER,                        -- null for resource records (migrated from the old archive)
    digest         VARCHAR,                        -- sha256 hex of the payload, as raw.pages.sha256
    file_name      VARCHAR NOT NULL,               -- *.warc.gz under the archive folder
    record_offset  BIGINT NOT NULL,                -- byte offset of the record's gzip member
    record_length  BIGINT NOT NULL,                -- compressed bytes of the record
    PRIMARY KEY (file_name, record_offset)
);
COMMENT ON TABLE raw.warc_records IS 'Grain: one row per archived response, revisit or resource record (request records are not indexed).';
