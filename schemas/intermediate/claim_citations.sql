-- Grain: one row per consensus claim and cited review sentence (film_id, claim_index, citation_index).
-- Written by publish with consensus_text; the public consensus_citations mart reads it in claim order.
CREATE SCHEMA IF NOT EXISTS intermediate;

CREATE TABLE IF NOT EXISTS intermediate.claim_citations (
    film_id         VARCHAR NOT NULL,
    claim           VARCHAR NOT NULL,
    claim_index     INTEGER NOT NULL,
    citation_index  INTEGER NOT NULL,
    review_id       VARCHAR NOT NULL,
    char_start      INTEGER,
    char_end        INTEGER,
    sentence        VARCHAR
);
COMMENT ON TABLE intermediate.claim_citations IS 'Grain: one row per consensus claim and cited review sentence (film_id, claim_index, citation_index).';
-- Publish wrote this table into staging (as consensus_citations) before 0.5.0.
DROP TABLE IF EXISTS staging.consensus_citations;
