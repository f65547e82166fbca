-- Grain: one row per byline as written (critic, nullable) and outlet.
-- Written by publish (Python: tasks/extract/critics.py): the critic each byline is. Spellings differing by case,
-- accents or a middle initial are one critic at an outlet; names pinned by [critics] same are one critic everywhere.
CREATE SCHEMA IF NOT EXISTS intermediate;

CREATE TABLE IF NOT EXISTS intermediate.critic_identity (
    critic       VARCHAR,
    outlet       VARCHAR NOT NULL,
    critic_id    VARCHAR NOT NULL,
    critic_name  VARCHAR NOT NULL   -- the identity's display name: its most used spelling
);
COMMENT ON TABLE intermediate.critic_identity IS 'Grain: one row per byline as written (critic, nullable) and outlet; critic_id and display name of the critic it is.';
