-- Grain: one row per review whose mentions publish searched again with its film's pooled credits (review_id).
-- Written by publish (tasks/warehouse/pooled_mentions.py): the credit set used and the extraction it replaced;
-- a newer extraction of the page (a new fetch, reprocess) makes the row stale.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE TABLE IF NOT EXISTS staging.mention_credits (
    review_id     VARCHAR PRIMARY KEY,
    extracted_at  TIMESTAMPTZ NOT NULL,
    credits_key   VARCHAR NOT NULL
);
COMMENT ON TABLE staging.mention_credits IS 'Grain: one row per review whose mentions were recomputed with pooled credits (review_id): the credit set used, for the extraction it replaced.';
