-- Grain: one row per review page (canonical URL), latest extraction.
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
    published_date      DATE,                      -- as the page states it
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
