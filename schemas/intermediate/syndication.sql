-- Grain: one row per review that is a later print of another review's text (review_id).
-- Written by publish (Python: tasks/warehouse/syndication.py): within a film, same critic (or no byline) and
-- the shorter text's words found in order in the longer; syndicated_of is the earliest print.
CREATE SCHEMA IF NOT EXISTS intermediate;

CREATE TABLE IF NOT EXISTS intermediate.syndication (
    review_id      VARCHAR NOT NULL,
    syndicated_of  VARCHAR NOT NULL
);
COMMENT ON TABLE intermediate.syndication IS 'Grain: one row per review that is a later copy of another (review_id); syndicated_of is the earliest copy.';
