-- Grain: one row per review and chunk.
-- Staging layer: one extraction per review page, replaced whole when the page changes.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE TABLE IF NOT EXISTS staging.chunks (
    review_id    VARCHAR NOT NULL,
    chunk_index  INTEGER NOT NULL,
    text         VARCHAR NOT NULL,
    char_start   INTEGER NOT NULL,
    char_end     INTEGER NOT NULL,
    PRIMARY KEY (review_id, chunk_index)
);
COMMENT ON TABLE staging.chunks IS 'Grain: one row per review and chunk.';
