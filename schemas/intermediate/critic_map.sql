-- Grain: one row per critic (as written) and outlet.
-- Internal: with the critic_stats grouping name, an integer key for that name and outlet (grouping a million
-- reviews on integers instead of strings), and the top-critic flag.
CREATE OR REPLACE TEMP TABLE critic_map AS
WITH pairs AS (
    SELECT DISTINCT critic, outlet FROM staging.reviews
),
named AS (
    SELECT critic, outlet,
           coalesce(nullif(trim(critic), ''), '(unsigned)') AS critic_name,
           coalesce(lower(trim(critic)) IN (SELECT critic_key FROM intermediate.top_critics), false) AS is_top_critic
    FROM pairs
)
SELECT critic, outlet, critic_name, is_top_critic,
       CAST(dense_rank() OVER (ORDER BY critic_name, outlet) AS INTEGER) AS critic_outlet_key
FROM named;
