-- Grain: one row per review and credit stated on its page.
-- Staging layer: one extraction per review page, replaced whole when the page changes.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE TABLE IF NOT EXISTS staging.credits (
    review_id  VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    role       VARCHAR NOT NULL,
    character  VARCHAR
);
COMMENT ON TABLE staging.credits IS 'Grain: one row per review and credit stated on its page.';
