-- Staging layer: one extraction per review page, replaced whole when the page changes.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE TABLE IF NOT EXISTS staging.reviews (
    review_id           VARCHAR PRIMARY KEY,       -- hash of the canonical URL
    url                 VARCHAR NOT NULL UNIQUE,   -- canonical URL
    fetched_url         VARCHAR NOT NULL,
    source              VARCHAR NOT NULL,
    sha256              VARCHAR NOT NULL,
    film_title          VARCHAR NOT NULL,          -- the title as this page names the film
    film_year           INTEGER,
    headline            VARCHAR,
    critic              VARCHAR,
    outlet              VARCHAR NOT NULL,
    published_at        DATE,
    rating_raw          VARCHAR,
    rating_rule         VARCHAR,
    rating_scale        VARCHAR,
    rating_reason       VARCHAR,
    score               DOUBLE,
    verdict             VARCHAR NOT NULL,
    verdict_source      VARCHAR NOT NULL,
    verdict_confidence  DOUBLE,
    text                VARCHAR NOT NULL,
    word_count          INTEGER NOT NULL,
    run_id              VARCHAR NOT NULL,
    extracted_at        TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE staging.reviews IS 'Grain: one row per review page (canonical URL), latest extraction.';

CREATE TABLE IF NOT EXISTS staging.chunks (
    review_id    VARCHAR NOT NULL,
    chunk_index  INTEGER NOT NULL,
    text         VARCHAR NOT NULL,
    char_start   INTEGER NOT NULL,
    char_end     INTEGER NOT NULL,
    PRIMARY KEY (review_id, chunk_index)
);
COMMENT ON TABLE staging.chunks IS 'Grain: one row per review and chunk.';

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
-- Files from before 0.4.0: their rows keep NULL spans, and publish finds those sentences itself.
ALTER TABLE staging.mentions ADD COLUMN IF NOT EXISTS sentence_start INTEGER;
ALTER TABLE staging.mentions ADD COLUMN IF NOT EXISTS sentence_end INTEGER;
COMMENT ON TABLE staging.mentions IS 'Grain: one row per mention (review and start offset).';

CREATE TABLE IF NOT EXISTS staging.credits (
    review_id  VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    role       VARCHAR NOT NULL,
    character  VARCHAR
);
COMMENT ON TABLE staging.credits IS 'Grain: one row per review and credit stated on its page.';
