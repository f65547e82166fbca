-- Grain: one row per top critic named in the config (critic_key: the name trimmed and lower-cased).
-- Written by publish from [critics] top.
CREATE SCHEMA IF NOT EXISTS intermediate;

CREATE TABLE IF NOT EXISTS intermediate.top_critics (
    critic_key  VARCHAR NOT NULL
);
COMMENT ON TABLE intermediate.top_critics IS 'Grain: one row per top critic named in the config (critic_key: trimmed, lower-cased).';
-- Publish wrote this table into staging before 0.5.0.
DROP TABLE IF EXISTS staging.top_critics;
