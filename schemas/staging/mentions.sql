-- Grain: one row per mention (review and start offset).
-- Staging layer: one extraction per review page, replaced whole when the page changes.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE TABLE IF NOT EXISTS staging.mentions (
    review_id    VARCHAR NOT NULL,
    chunk_index  INTEGER NOT NULL,
    name         VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    role         VARCHAR,
    surface      VARCHAR NOT NULL,
    char_start   INTEGER NOT NULL,
    char_end     INTEGER NOT NULL,
    sentiment    DOUBLE NOT NULL,
    sentence_start INTEGER,  -- aspects: the sentence around the mention, quoted by publish
    sentence_end   INTEGER,
    PRIMARY KEY (review_id, char_start)
);
COMMENT ON TABLE staging.mentions IS 'Grain: one row per mention (review and start offset).';
