-- Grain: one row per published aspect mention (review_id, char_start) and the sentence around it.
-- Written by publish: cut from reviews.text at the spans extraction stored, or split in Python for rows loaded
-- before the spans were stored.
CREATE SCHEMA IF NOT EXISTS intermediate;

CREATE TABLE IF NOT EXISTS intermediate.mention_sentences (
    review_id       VARCHAR NOT NULL,
    char_start      INTEGER NOT NULL,
    sentence_start  INTEGER,
    sentence_end    INTEGER,
    sentence        VARCHAR
);
COMMENT ON TABLE intermediate.mention_sentences IS 'Grain: one row per published aspect mention (review_id, char_start) and the sentence around it.';
-- Publish wrote this table into staging before 0.5.0.
DROP TABLE IF EXISTS staging.mention_sentences;
